"""Heads of profession read the capability report in Chromium: from the demo's generated
organisation, filtered by department and quarter, with its CSV; a departmental head sees only
their department. axe, keyboard, no JavaScript and 320 px wide."""

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in, tab_until

# The demo's generated organisation is random but seeded, and placed in time from "now": frozen
# here so the same people fall in the same quarters on any day the suite runs.
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
REPORT = "/professions/operations/capability/"
LEADERSHIP = "Leadership through change"


@pytest.fixture
def demo(transactional_db):
    from assessments import demo as assessments_demo
    from people import demo as people_demo
    from roles import demo as roles_demo

    with time_machine.travel(NOW, tick=True):
        for module in (roles_demo, people_demo, assessments_demo):
            module.load(password=DEMO_PASSWORD, stdout=io.StringIO())
        yield


def ranked_table(page):
    table = page.get_by_role("table", name=re.compile("by skill$"))
    return [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()]
        for row in table.locator("tbody tr").all()
    ]


def test_head_of_operations_filters_to_a_department_and_quarter_and_downloads_it(page, demo):
    sign_in(page, "head.operations@example.gov.uk", DEMO_PASSWORD)
    page.goto("/")
    page.get_by_role("link", name="Capability in Operations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Capability in Operations")
    assert_accessible(page)

    # By keyboard: choose DWP and the July to September quarter, then apply.
    tab_until(page, "#department")
    page.keyboard.type("Department for Work")
    tab_until(page, "#period")
    page.locator("#period").select_option(label="Jul to Sept 2026")
    tab_until(page, "form .govuk-button")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"department=DWP"))
    expect(page).to_have_url(re.compile(r"period=2026-q3"))
    expect(page.locator(".moj-filter__tag")).to_have_count(2)
    chart = page.locator("svg.app-chart").first
    expect(chart).to_have_attribute("role", "img")
    first_bar_label = chart.locator("text").first
    expect(first_bar_label).to_have_text(LEADERSHIP)
    table = ranked_table(page)
    assert table[0][0] == LEADERSHIP
    assert_accessible(page)

    with page.expect_download() as downloaded:
        page.get_by_role("link", name=re.compile("Download these figures")).click()
    with open(downloaded.value.path(), encoding="utf-8") as file:
        rows = list(csv.reader(file))
    ranked = [row for row in rows if row and row[0] == "Skills ranked by gap"]
    assert ranked[0][1] == LEADERSHIP
    assert [[r[1], r[4], r[5], r[6], r[7], r[8]] for r in ranked] == [
        [re.sub(r"\s*Priority$", "", row[0]), *row[1:]] for row in table
    ]


def test_the_report_reflows_at_320_pixels_and_works_without_javascript(page, page_without_js, demo):
    sign_in(page, "head.operations@example.gov.uk", DEMO_PASSWORD)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(REPORT + "?department=HMRC")

    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_role("button", name="Show filter").click()
    expect(page.locator("#grade")).to_be_visible()
    assert_accessible(page)

    sign_in(page_without_js, "head.operations@example.gov.uk", DEMO_PASSWORD)
    page_without_js.goto(REPORT)
    page_without_js.locator("#department").select_option("HMRC")
    page_without_js.get_by_role("button", name="Apply filters").click()
    expect(page_without_js).to_have_url(re.compile(r"department=HMRC"))
    assert ranked_table(page_without_js)[0][0] == LEADERSHIP


def test_a_departmental_head_sees_their_department_only(page, demo):
    sign_in(page, "head.operations.dwp@example.gov.uk", DEMO_PASSWORD)
    page.goto("/")
    page.get_by_role("link", name="Capability in Operations (DWP)").click()

    expect(page.locator(".govuk-caption-l")).to_have_text(
        "Operations: Department for Work and Pensions"
    )
    expect(page.locator("#department")).to_have_count(0)
    expect(page.get_by_text("HM Revenue and Customs")).to_have_count(0)
    assert ranked_table(page)[0][0] == LEADERSHIP
    assert_accessible(page)

    response = page.goto(REPORT + "?department=HMRC")
    assert response.status == 404
