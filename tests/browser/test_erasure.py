"""A service administrator erases a leaver from the people admin in real Chromium: the action,
the confirmation page (axe, 320 px), then the placeholder left behind."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD
from tests.factories import PersonFactory, UserFactory


@pytest.fixture
def administrator(transactional_db, settings):
    settings.ADMIN_SECOND_FACTOR = False
    return UserFactory(password=PASSWORD, is_staff=True, is_superuser=True)


def test_erase_a_leaver_after_confirming(page, administrator):
    leaver = PersonFactory(name="Lee Leaver", is_active=False)
    page.goto("/admin/login/?next=/admin/people/person/")
    page.get_by_label("Email address").fill(administrator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/people/person/$"))

    page.locator(f"input[name='_selected_action'][value='{leaver.pk}']").check()
    page.locator("select[name='action']").select_option("erase_personal_data")
    page.locator("button[name='index']").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Erase personal data")
    expect(page.locator("#erase-leavers")).to_contain_text("Lee Leaver")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    page.get_by_role("button", name="Yes, erase their personal data").click()
    expect(page.locator(".messagelist")).to_contain_text("Personal data erased for 1 leaver")
    expect(page.locator("#result_list")).to_contain_text("Erased person")
    expect(page.locator("#result_list")).not_to_contain_text("Lee Leaver")
