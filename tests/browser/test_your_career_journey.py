"""The issue's whole journey in one go: a member of staff signs in to their career home, opens
their profile against the next level, adds a plan action from a gap, finds a role in another
profession that fits, and their line manager sees the plan beside the review."""

import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from assessments.models import PlanAction
from people.models import Person
from roles.models import FrameworkVersion
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import make_assessment_for_review


@pytest.fixture
def demo(transactional_db):
    from careers import demo as careers_demo
    from people import demo as people_demo
    from roles import demo as roles_demo

    for module in (roles_demo, people_demo, careers_demo):
        module.load(password=DEMO_PASSWORD, stdout=io.StringIO())
    staff = Person.objects.get(email="staff@example.gov.uk")
    version = FrameworkVersion.objects.filter(profession=staff.profession).latest("number")
    # This year's assessment, submitted and waiting for the line manager.
    return make_assessment_for_review(person=staff, version=version, level_rank=2)


def test_home_profile_plan_from_a_gap_a_move_and_the_plan_beside_the_review(page, demo):
    sign_in(page, "staff@example.gov.uk", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your career")

    page.get_by_role("link", name=re.compile("skill profile", re.I)).first.click()
    page.locator("#id_level").select_option(label="Senior product manager")
    page.get_by_role("button", name="Show profile").click()
    expect(page.locator("svg.app-chart--dot desc")).to_contain_text("Senior product manager")
    assert_accessible(page)

    page.goto("/your-career/ready/?level=product-management/senior-product-manager")
    gap = page.locator(".app-gap").first
    gap_skill = gap.get_by_role("heading").first.inner_text()
    gap.get_by_role("link", name=re.compile("Add to your plan")).click()
    expect(page.locator(".govuk-caption-l")).to_have_text(gap_skill)
    page.locator("#id_title").fill("Lead the next roadmap review")
    next_year = timezone.localdate().year + 1
    page.locator("#id_target_day").fill("30")
    page.locator("#id_target_month").fill("4")
    page.locator("#id_target_year").fill(str(next_year))
    page.get_by_role("button", name="Add action").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert PlanAction.objects.filter(title="Lead the next roadmap review").exists()
    assert_accessible(page)

    page.goto("/your-career/moves/?sideways=on")
    move = page.locator(".app-move", has_text="Operations manager")
    expect(move.locator(".govuk-tag")).to_have_text("Sideways move")
    move.get_by_role("link", name=re.compile("Compare with your level")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare roles across professions")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "manager@example.gov.uk", DEMO_PASSWORD)
    page.goto(f"/reviews/{demo.pk}/")
    plan = page.locator(".app-plan-summary")
    expect(plan).to_contain_text("Lead the next roadmap review")
    expect(plan).to_contain_text("Overdue")  # the demo's overdue action stands out
    assert_accessible(page)
