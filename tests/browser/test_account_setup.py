"""Setting up an account in a real browser, by keyboard, with axe on every page and error."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PersonFactory

NEW_PASSWORD = "a-brand-new-password-456"


@pytest.fixture
def imported(transactional_db):
    return PersonFactory(user=None, name="Imported Person", email="imported@example.gov.uk")


def test_set_up_an_account_and_sign_in(page, imported):
    page.goto("/account/set-up/")
    expect(page).to_have_title("Set up your account - Civil Service career pathways")
    assert_accessible(page)

    # An error first: nothing entered.
    page.get_by_role("button", name="Send me a link").click()
    expect(page).to_have_title("Error: Set up your account - Civil Service career pathways")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your work email address")
    assert_accessible(page)

    # By keyboard alone.
    page.get_by_label("Work email address").fill("imported@example.gov.uk")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)

    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your password")
    assert_accessible(page)

    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Enter the password again").fill("not-the-same-password-1")
    page.get_by_role("button", name="Save password").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The passwords do not match")
    assert_accessible(page)

    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Enter the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password is set")
    assert_accessible(page)

    # The link is spent.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    assert_accessible(page)

    sign_in(page, "imported@example.gov.uk", NEW_PASSWORD)
    expect(page).not_to_have_url(re.compile(r"/sign-in/"))
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)
