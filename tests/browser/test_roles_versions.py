"""The change log and an earlier version in a real browser, checked with axe."""

import re

from playwright.sync_api import expect

from roles.models import RoleLevel
from roles.services import framework_publish
from tests.browser.conftest import assert_accessible
from tests.factories import make_framework


def two_versions():
    profession, _ = make_framework(levels=3, skills=3)
    level = RoleLevel.objects.get(profession=profession, rank=2)
    level.name = "Renamed level"
    level.save()
    level.expectations.first().delete()
    framework_publish(profession=profession, by=None, change_note="Renamed the second level")
    return profession


def test_change_log_shows_what_changed_and_is_accessible(page, transactional_db):
    profession = two_versions()

    page.goto(f"/professions/{profession.slug}/changes/")

    expect(page).to_have_title(f"Change log: {profession.name} - Civil Service career pathways")
    expect(page.get_by_role("heading", name="Version 2")).to_be_visible()
    assert_accessible(page)
    page.get_by_text("What changed in version 2").click()
    expect(page.get_by_text(re.compile(r"^Renamed level: .+ to Renamed level$"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Read version 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Version 1 of the framework")


def test_earlier_version_page_links_to_the_latest_and_is_accessible(page, transactional_db):
    profession = two_versions()

    page.goto(f"/professions/{profession.slug}/versions/1/")

    expect(page.get_by_text("This is an earlier version")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Read the latest version (version 2)").click()
    expect(page.get_by_text("This is the latest version")).to_be_visible()
    expect(page.get_by_role("heading", name="2. Renamed level")).to_be_visible()
    assert_accessible(page)
