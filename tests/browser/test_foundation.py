"""The foundation in a real browser: styles and fonts load, sign in and out, errors, axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in


def test_home_page_has_gov_uk_styles_and_font(page):
    responses = []
    page.on("response", lambda response: responses.append(response))

    page.goto("/")
    page.evaluate("document.fonts.ready")

    stylesheet = [r for r in responses if r.url.endswith("application.css")]
    fonts = [r for r in responses if re.search(r"/fonts/.*\.woff2$", r.url)]
    assert stylesheet
    assert stylesheet[0].status == 200
    assert fonts
    assert all(font.status == 200 for font in fonts)
    heading = page.get_by_role("heading", level=1)
    assert "GDS Transport" in heading.evaluate("el => getComputedStyle(el).fontFamily")
    assert page.evaluate("document.fonts.check('bold 48px \"GDS Transport\"')")
    # GOV.UK's heading size proves the stylesheet applied, not just loaded.
    assert heading.evaluate("el => getComputedStyle(el).fontWeight") == "700"
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    expect(page).to_have_title(
        "Plan your next move in the Civil Service - Civil Service career pathways"
    )


def test_home_page_is_accessible(page):
    page.goto("/")

    assert_accessible(page)


def test_sign_in_page_is_accessible(page, db):
    page.goto("/sign-in/")

    assert_accessible(page)


def test_sign_in_error_state_is_accessible_and_focuses_the_summary(page, db):
    page.goto("/sign-in/")

    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    assert_accessible(page)


def test_error_summary_link_moves_focus_to_the_first_wrong_field(page, db):
    page.goto("/sign-in/")
    page.get_by_label("Password").fill("something")
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Enter your email address").click()

    expect(page.get_by_label("Email address")).to_be_focused()


def test_404_page_is_accessible(page, db):
    response = page.goto("/no-such-page/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)


def test_error_pages_are_accessible(page, db, settings):
    settings.ROOT_URLCONF = "tests.test_error_pages"

    for url, status in [("/suspicious/", 400), ("/denied/", 403), ("/boom/", 500)]:
        response = page.goto(url)
        assert response.status == status
        assert_accessible(page)


def test_sign_in_and_sign_out(page, user):
    sign_in(page, user.email)

    expect(page).to_have_url(re.compile(r"/$"))
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_visible()

    sign_out.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    assert_accessible(page)


def test_sign_in_works_without_javascript_and_by_keyboard(page_without_js, user):
    page = page_without_js
    page.goto("/sign-in/")

    page.keyboard.press("Tab")  # first stop is the skip link
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.get_by_label("Email address").focus()
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type("a-long-test-password-123")
    page.keyboard.press("Enter")

    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_the_axe_helper_fails_on_a_violation(page):
    page.goto("/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=x>')")

    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_the_locked_out_page_is_accessible(page, user):
    for _ in range(5):
        sign_in(page, user.email, password="wrong")

    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot sign in for now")
    assert_accessible(page)
