"""Your career in Chromium: the demo member of staff signs in, lands on their career home,
looks at their skill profile against the next level, sees what would get them ready for it,
finds a sideways move into another profession and follows it to the comparison. axe on every
page, by keyboard, at 320 px and without JavaScript."""

import io
import re

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in, tab_until

STAFF = "staff@example.gov.uk"
PAGES = [
    "/your-career/",
    "/your-career/profile/",
    "/your-career/ready/",
    "/your-career/moves/",
    "/your-career/your-data/",
]


@pytest.fixture
def demo(transactional_db):
    """The demo frameworks and people, and staff@'s signed-off assessment (careers.demo).
    The generated organisation of assessments.demo is not needed here."""
    from careers import demo as careers_demo
    from people import demo as people_demo
    from roles import demo as roles_demo

    for module in (roles_demo, people_demo, careers_demo):
        module.load(password=DEMO_PASSWORD, stdout=io.StringIO())


def heading(page):
    return page.get_by_role("heading", level=1)


def test_from_sign_in_to_a_sideways_move_by_keyboard(page, demo):
    sign_in(page, STAFF, DEMO_PASSWORD)

    # Signing in lands on the career home.
    expect(page).to_have_url(re.compile(r"/your-career/$"))
    expect(heading(page)).to_have_text("Your career")
    expect(page.locator(".govuk-service-navigation__item--active")).to_have_text("Your career")
    expect(page.locator(".app-last-outcome")).to_contain_text("Product manager")
    expect(page.locator(".app-last-outcome")).to_contain_text("3 below, 1 above")
    assert_accessible(page)

    # The skill profile, against the next level, chosen from the select by keyboard.
    tab_until(page, "a[href='/your-career/profile/']")
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Your skill profile")
    expect(
        page.get_by_role("heading", level=2, name=re.compile("Against Product manager"))
    ).to_be_visible()
    tab_until(page, "#id_level")
    page.locator("#id_level").select_option(label="Senior product manager")
    tab_until(page, ".app-target-chooser .govuk-button")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"level=product-management(/|%2F)senior-product-manager"))
    expect(
        page.get_by_role("heading", level=2, name=re.compile("Against Senior product manager"))
    ).to_be_visible()
    chart = page.locator("svg.app-chart--dot")
    expect(chart).to_have_attribute("role", "img")
    expect(chart.locator("desc")).to_contain_text("Against Senior product manager")
    expect(page.get_by_role("table", name=re.compile("Senior product manager"))).to_be_visible()
    assert_accessible(page)

    # Readiness for it: the gaps, each with what helps.
    tab_until(page, "a[href^='/your-career/ready/?level=']")
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("How ready you are for Senior product manager")
    expect(page.locator(".app-gap").first).to_be_visible()
    expect(page.get_by_role("heading", name="Skills you meet")).to_be_visible()
    assert_accessible(page)

    # Where you could move: sideways moves only, then the comparison.
    tab_until(page, "a[href='/your-career/moves/']")
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Where you could move")
    assert_accessible(page)
    tab_until(page, "#id_sideways")
    page.keyboard.press("Space")
    tab_until(page, "form .govuk-button")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"sideways=on"))
    moves = page.locator(".app-move")
    expect(moves.first).to_be_visible()
    assert moves.count() == page.locator(".app-move--sideways").count()
    move = page.locator(".app-move", has_text="Operations manager")
    expect(move.locator(".govuk-tag")).to_have_text("Sideways move")
    expect(move).to_contain_text("Typical grades: HEO, SEO")
    assert_accessible(page)
    move.get_by_role("link", name=re.compile("Compare with your level")).click()

    expect(heading(page)).to_have_text("Compare roles across professions")
    expect(
        page.get_by_role(
            "heading",
            name="From Product manager (Product management) to Operations manager (Operations)",
        )
    ).to_be_visible()
    assert_accessible(page)


def test_you_are_here_on_your_pathway(page, demo):
    sign_in(page, STAFF, DEMO_PASSWORD)
    page.goto("/professions/product-management/")

    here = page.locator(".app-you-are-here")
    expect(here).to_contain_text("You are here: Product manager. Next: Senior product manager.")
    here.get_by_role("link", name="See how ready you are for it").click()
    expect(heading(page)).to_have_text("How ready you are for Senior product manager")

    page.goto("/professions/operations/")
    expect(page.locator(".app-you-are-here")).to_have_count(0)


def test_every_page_reflows_at_320_pixels(page, demo):
    sign_in(page, STAFF, DEMO_PASSWORD)
    page.set_viewport_size({"width": 320, "height": 800})

    for url in [*PAGES, "/your-career/profile/?level=operations/operations-manager"]:
        page.goto(url)
        expect(heading(page)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
        assert_accessible(page)


def test_it_works_without_javascript(page_without_js, demo):
    page = page_without_js
    sign_in(page, STAFF, DEMO_PASSWORD)
    expect(heading(page)).to_have_text("Your career")

    page.goto("/your-career/profile/")
    page.locator("#id_level").select_option(label="Operations manager")
    page.get_by_role("button", name="Show profile").click()
    expect(page).to_have_url(re.compile(r"level=operations(/|%2F)operations-manager"))
    expect(page.locator("tr.app-profile-row--not_assessed").first).to_be_visible()

    page.goto("/your-career/moves/")
    page.get_by_label("Sideways moves only").check()
    page.get_by_role("button", name="Apply filter").click()
    expect(page.locator(".app-move", has_text="Operations manager")).to_be_visible()


def test_the_profile_prints_without_navigation(page, demo):
    sign_in(page, STAFF, DEMO_PASSWORD)
    page.goto("/your-career/profile/?level=product-management/senior-product-manager")

    page.emulate_media(media="print")

    expect(page.locator(".govuk-service-navigation")).to_be_hidden()
    expect(page.locator(".moj-sub-navigation")).to_be_hidden()
    expect(page.locator(".app-target-chooser")).to_be_hidden()
    expect(page.locator("svg.app-chart--dot")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Senior product manager"))).to_be_visible()


def test_your_data_by_keyboard(page, demo):
    sign_in(page, STAFF, DEMO_PASSWORD)
    tab_until(page, "a[href='/your-career/your-data/']")
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Your data")
    expect(page.locator("#section-assessments")).to_be_visible()
    expect(page.locator(".govuk-summary-card").first).to_be_visible()
    assert_accessible(page)
