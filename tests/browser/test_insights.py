"""A head of profession reads their profession's self-assessments in aggregate, with axe."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import AssessmentStatus
from insights.reports import SMALL_NUMBER_TEXT
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    PersonFactory,
    make_assessment_for_review,
    make_framework,
    make_head_of_profession,
)


@pytest.fixture
def profession_with_assessments(transactional_db):
    profession, version = make_framework(levels=2, skills=3)
    manager = PersonFactory(name="Morgan Manager")
    for _ in range(6):
        make_assessment_for_review(
            person=PersonFactory(name="Sasha Staff", line_manager=manager),
            version=version,
            level_rank=2,
            status=AssessmentStatus.SIGNED_OFF,
            self_proficiency="awareness",
            evidence="Evidence nobody else should read here.",
            reviewer=manager,
            signed_off_at=timezone.now(),
        )
    make_assessment_for_review(person=PersonFactory(), version=version, status="in_review")
    head = make_head_of_profession(profession, email="head.of.profession@example.gov.uk")
    return {"profession": profession, "version": version, "head": head}


def test_head_of_profession_reads_the_aggregate_page(page, profession_with_assessments):
    profession = profession_with_assessments["profession"]
    sign_in(page, profession_with_assessments["head"].email)

    page.goto(f"/professions/{profession.slug}/insights/")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Self-assessments in {profession.name}"
    )
    expect(page).to_have_title(
        f"Self-assessments in {profession.name} - Civil Service career pathways"
    )
    status_table = page.get_by_role("table", name="Assessments by status")
    expect(status_table.get_by_role("row", name="Signed off")).to_contain_text("6")
    expect(status_table.get_by_role("row", name="In review")).to_contain_text(SMALL_NUMBER_TEXT)
    skill_name = profession_with_assessments["version"].content["skills"][0]["name"]
    expect(page.get_by_role("row", name=skill_name)).to_contain_text("100%")
    expect(page.get_by_text("Sasha Staff")).to_have_count(0)
    expect(page.get_by_text("Evidence nobody else should read here.")).to_have_count(0)
    assert_accessible(page)
