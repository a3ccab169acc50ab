"""Starting from the last assessment, checking what was copied, and deleting a draft, in a real
browser: keyboard, axe, 320 px."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import AssessmentStatus, SelfAssessment
from tests.browser.conftest import assert_accessible, sign_in, tab_until
from tests.factories import (
    PersonFactory,
    level_slug,
    make_assessment_for_review,
    make_framework,
    make_person_at_level,
)


@pytest.fixture
def staff_with_last_year(transactional_db):
    profession, version = make_framework(levels=2, skills=2)
    manager = PersonFactory(name="Morgan Manager")
    person = make_person_at_level(profession, rank=1, line_manager=manager)
    make_assessment_for_review(
        person=person,
        version=version,
        status=AssessmentStatus.SIGNED_OFF,
        self_proficiency="working",
        evidence="Ran the winter pilot.",
        reviewer=manager,
        signed_off_at=timezone.now(),
    )
    return person, version


def test_start_from_last_check_a_copied_skill_then_delete_the_draft(page, staff_with_last_year):
    person, version = staff_with_last_year
    profession = version.content["profession"]["slug"]
    sign_in(page, person.email)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/assessments/start/?profession={profession}&level={level_slug(version, 2)}")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    tab_until(page, "input[value=last]")
    page.keyboard.press("Space")
    tab_until(page, "form button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.locator(".govuk-tag--yellow")).to_have_count(2)
    assert_accessible(page)
    page.locator(".govuk-task-list__link").first.click()
    expect(page.get_by_label(re.compile("^Evidence for"))).to_have_value("Ran the winter pilot.")
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.locator(".govuk-tag--yellow")).to_have_count(1)

    page.get_by_role("link", name="Delete this draft").click()
    assert_accessible(page)
    page.get_by_role("button", name="Delete draft").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("deleted")
    assert not SelfAssessment.objects.filter(status=AssessmentStatus.DRAFT).exists()
