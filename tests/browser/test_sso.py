"""Single sign-on in real Chromium through a real OpenID provider (tests/oidc_provider): choose
the department, the provider's sign-in and consent pages, back to the person's home; signing out
there too; a refusal page. axe, keyboard, 320 px and no JavaScript on careerpath's pages."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.conftest import assert_accessible
from tests.factories import PersonFactory
from tests.oidc_provider import ACCOUNTS, provider_settings, running_provider

TITLE = " - Civil Service career pathways"


@pytest.fixture(scope="module")
def issuer(live_server):
    with running_provider(base_url=live_server.url) as issuer:
        yield issuer


@pytest.fixture
def sso(settings, issuer):
    settings.OIDC_PROVIDERS = provider_settings(issuer)
    return issuer


@pytest.fixture
def ada(transactional_db):
    return PersonFactory(user=None, name="Ada Lovelace", email=ACCOUNTS["ada"]["email"])


def at_the_provider(page, issuer, login):
    """The provider's own pages (not careerpath's): sign in, then agree to share details."""
    page.locator('input[name="login"]').wait_for()
    assert page.url.startswith(f"{issuer}/interaction/")
    page.locator('input[name="login"]').fill(login)
    page.locator('input[name="password"]').fill("any")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()


def test_sign_in_with_the_department_and_out_again(page, sso, ada):
    page.goto("/sign-in/")
    expect(page).to_have_title("Sign in" + TITLE)
    assert_accessible(page)

    # No department chosen: a GOV.UK error.
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Error: Sign in" + TITLE)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select your department")
    assert_accessible(page)

    # By keyboard: the radio, then Enter.
    page.get_by_label("Department A").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    at_the_provider(page, sso, "ada")

    page.wait_for_url("**/your-career/")
    assert_accessible(page)
    ada.refresh_from_db()
    assert ada.user is not None

    # Sign out: here, then at the provider, which asks to confirm and sends the browser back.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{sso}/session/end**")
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    assert_accessible(page)
    page.goto("/your-career/")
    assert "/sign-in/" in page.url


def test_an_unknown_address_gets_a_clear_page(page, sso, transactional_db):
    page.goto("/sign-in/")
    page.get_by_label("Department A").check()
    page.get_by_role("button", name="Continue").click()
    at_the_provider(page, sso, "stranger")
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot sign in to this service")
    expect(page.locator("main")).to_contain_text("we have no staff record")
    assert_accessible(page)
    assert not User.objects.exists()


def test_the_sign_in_page_reflows_at_320_pixels_and_works_without_javascript(
    page, page_without_js, sso, ada
):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/sign-in/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    page_without_js.goto("/sign-in/")
    page_without_js.get_by_label("Department A").check()
    page_without_js.get_by_role("button", name="Continue").click()
    assert page_without_js.url.startswith(f"{sso}/")


def test_with_passwords_off_set_up_says_to_use_the_department(page, sso, settings):
    settings.PASSWORD_SIGN_IN = False
    page.goto("/sign-in/")
    expect(page.get_by_label("Password")).to_have_count(0)
    assert_accessible(page)
    page.goto("/account/set-up/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sign in with your department's account"
    )
    assert_accessible(page)
