"""The "Too many attempts" page in a real browser: axe, 320 px wide, and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible


@pytest.fixture
def one_attempt(settings, transactional_db):
    settings.RATE_LIMITS = {"sign_in": (1, 600), "set_up": (1, 600)}


def wrong_sign_in(page):
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill("someone@example.gov.uk")
    page.get_by_label("Password").fill("not-the-password")
    # Wait for the answer: going on at once would abort the form's navigation.
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_too_many_sign_ins_show_a_gov_uk_page_that_reflows(page, one_attempt):
    wrong_sign_in(page)
    wrong_sign_in(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Too many attempts")
    # The window is fixed on the clock, so what is left of it varies.
    expect(page.locator("main")).to_contain_text(re.compile(r"Try again in ([1-9]|10) minutes?\."))
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_too_many_set_up_requests_without_javascript(page_without_js, one_attempt):
    page = page_without_js
    for _ in range(2):
        page.goto("/account/set-up/")
        page.get_by_label("Work email address").fill("someone@example.gov.uk")
        with page.expect_navigation():
            page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Too many attempts")
    expect(page.locator("main")).to_contain_text("too many requests to set up an account")
