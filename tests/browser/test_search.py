"""Searching as a civil servant would, in Chromium with axe: a misspelling, its suggestion,
marked matches, by keyboard, without JavaScript and at 320 px wide."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, tab_until
from tests.search.conftest import publish_frameworks


@pytest.fixture
def frameworks(transactional_db):
    return publish_frameworks()


def test_a_misspelling_is_suggested_and_the_suggestion_finds_the_skill(page, frameworks):
    page.goto("/search/")
    assert_accessible(page)

    tab_until(page, "input[name=q]")
    page.keyboard.type("custmer servise")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Did you mean")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="customer service").click()

    first = page.locator(".app-search-results > li").first
    expect(first.get_by_role("link", name="Customer service")).to_be_visible()
    expect(first.locator("mark").first).to_have_text("Customer")
    # Marked words are bold as well as highlighted: not colour alone.
    weight = first.locator("mark").first.evaluate("m => getComputedStyle(m).fontWeight")
    assert int(weight) >= 700
    assert_accessible(page)


def test_a_grade_search_reflows_at_320_pixels(page, frameworks):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/search/?q=grade+7")

    expect(page.get_by_role("link", name="Senior product manager")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)


def test_search_works_without_javascript(page_without_js, frameworks):
    page_without_js.goto("/search/")
    page_without_js.get_by_label("Search professions, levels and skills").fill("sprint")
    page_without_js.get_by_role("button", name="Search").click()

    expect(page_without_js.get_by_role("link", name="Running a good sprint")).to_be_visible()
    expect(page_without_js.locator(".app-search__snippet mark").first).to_have_text("sprint")
