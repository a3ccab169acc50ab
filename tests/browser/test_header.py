"""Sign out sits in the header's service navigation, after the pages, and works everywhere:
a POST button that looks like the navigation's links, by keyboard, without JavaScript, at
320 CSS px (behind the navigation's "Menu" when JavaScript runs)."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in, tab_until

LINK_STYLE = "el => { const s = getComputedStyle(el); return [s.color, s.fontSize, s.fontWeight] }"


def test_sign_out_is_the_last_navigation_item_and_looks_like_the_links(page, user):
    sign_in(page, user.email)
    page.goto("/professions/")

    items = page.locator(".govuk-service-navigation__list > .govuk-service-navigation__item")
    last = items.last
    expect(last.get_by_role("button", name="Sign out")).to_be_visible()
    search = page.get_by_role("link", name="Search", exact=True)
    button = last.get_by_role("button", name="Sign out")
    assert button.evaluate(LINK_STYLE) == search.evaluate(LINK_STYLE)
    assert button.evaluate("el => el.closest('form').method") == "post"

    button.hover()
    assert button.evaluate(LINK_STYLE)[0] != search.evaluate(LINK_STYLE)[0]  # hover colour
    assert_accessible(page)


def test_sign_out_at_320_pixels_by_keyboard_without_javascript(page_without_js, user):
    page = page_without_js
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, user.email)

    tab_until(page, "button.app-link-button")
    focused = page.locator("button.app-link-button")
    assert focused.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 221, 0)"
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_sign_out_at_320_pixels_is_behind_the_menu_with_javascript(page, user):
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, user.email)
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_hidden()

    page.get_by_role("button", name="Menu").click()
    sign_out.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
