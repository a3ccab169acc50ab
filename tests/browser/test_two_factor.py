"""A service administrator sets up an authenticator app at admin sign-in, in real Chromium,
by keyboard, with axe, at 320 px; then signs in again with a code."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.test_two_factor import code_for
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD
from tests.factories import UserFactory


@pytest.fixture
def administrator(transactional_db, settings):
    settings.ADMIN_SECOND_FACTOR = True
    return UserFactory(password=PASSWORD, is_staff=True, is_superuser=True)


def admin_sign_in(page, user):
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")


def test_set_up_the_app_then_sign_in_with_a_code(page, browser, live_server, administrator):
    admin_sign_in(page, administrator)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    expect(page.locator(".app-qr-code svg")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1024, "height": 800})

    secret = re.sub(r"\s", "", page.locator("#secret-key").inner_text())
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the code from your authenticator app"
    )
    assert_accessible(page)

    page.get_by_label("Code from your authenticator app").fill(code_for(secret))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # Another browser, another day: the password, then the code step.
    context = browser.new_context(base_url=live_server.url)
    second = context.new_page()
    admin_sign_in(second, administrator)
    expect(second.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    assert_accessible(second)
    context.close()
