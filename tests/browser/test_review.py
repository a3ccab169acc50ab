"""A line manager reviews a report's self-assessment in a real browser, with axe on every page."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import AssessmentStatus, SelfAssessment
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PersonFactory, make_assessment_for_review, make_framework

RSQUO = "\N{RIGHT SINGLE QUOTATION MARK}"  # as the pages write apostrophes


@pytest.fixture
def team(transactional_db):
    _, version = make_framework(levels=2, skills=3)
    manager = PersonFactory(name="Morgan Manager", line_manager=PersonFactory(name="Dee Director"))
    author = PersonFactory(name="Sasha Staff", line_manager=manager)
    assessment = make_assessment_for_review(
        person=author,
        version=version,
        evidence="I ran <b>user research</b> every sprint.",
        submitted_at=timezone.now() - timezone.timedelta(days=3),
    )
    PersonFactory(name="Alex Another", line_manager=manager)
    return {"manager": manager, "author": author, "assessment": assessment}


def test_manager_returns_then_signs_off_an_assessment(page, team):
    assessment = team["assessment"]
    sign_in(page, team["manager"].email)

    page.goto("/reviews/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessments to review")
    expect(page).to_have_title("Assessments to review - Civil Service career pathways")
    row = page.get_by_role("row").filter(has_text="Sasha Staff")
    expect(row).to_contain_text("3 days")
    assert_accessible(page)
    page.goto("/reviews/?sort=-name")  # sorted on the server, then enhanced by MOJ's script
    expect(page.locator("th[aria-sort=descending] button")).to_have_text(re.compile("Name"))
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Sasha Staff")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Review Sasha Staff{RSQUO}s self-assessment"
    )
    # Evidence is shown as typed, never as markup.
    expect(page.get_by_text("I ran <b>user research</b> every sprint.").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Sign off or return").click()
    page.get_by_label("Return it to Sasha Staff").check()
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_title(re.compile(r"^Error: Sign off or return"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a reason for returning the assessment"
    )
    assert_accessible(page)

    page.get_by_label("Reason for returning it").fill("Add evidence for each skill, please.")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessment returned")
    assert_accessible(page)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.RETURNED
    assert [email.to for email in mail.outbox] == [[team["author"].email]]

    # The member of staff resubmits (their side is tested elsewhere): back to SUBMITTED here.
    SelfAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.SUBMITTED)

    page.goto("/reviews/")
    page.get_by_role("link", name=re.compile("Sasha Staff")).click()
    first_skill = page.locator(".app-review-skill").first
    first_skill.get_by_label("Expert").check()
    first_skill.get_by_role("textbox").fill("Well above what the level expects.")
    page.get_by_label("Overall summary (optional)").fill("A strong year.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your review has been saved"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Sign off or return").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sign off or return the self-assessment"
    )
    assert_accessible(page)
    page.get_by_label("Sign off the assessment").check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessment signed off")
    assert_accessible(page)

    page.get_by_role("link", name="Read the signed-off assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Sasha Staff{RSQUO}s self-assessment"
    )
    expect(page.get_by_text("Well above what the level expects.")).to_be_visible()
    assert_accessible(page)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SIGNED_OFF
    assert len(mail.outbox) == 2

    page.goto("/reviews/")
    expect(page.get_by_text("Nothing is waiting for your review.")).to_be_visible()
    assert_accessible(page)


def test_the_queue_sorts_and_the_review_saves_without_javascript(page_without_js, team):
    page = page_without_js
    make_assessment_for_review(
        person=PersonFactory(name="Aaron Able", line_manager=team["manager"]),
        version=team["assessment"].framework_version,
    )
    sign_in(page, team["manager"].email)

    page.goto("/reviews/")
    page.get_by_role("link", name="Name", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?sort=name$"))
    names = page.locator("tbody tr td:first-child").all_inner_texts()
    assert [name.split(":")[0].strip() for name in names] == ["Aaron Able", "Sasha Staff"]
    # axe needs JavaScript: the same pages are checked in the test above.

    page.get_by_role("link", name=re.compile("Sasha Staff")).click()
    page.locator(".app-review-skill").first.get_by_label("Practitioner").check()
    page.get_by_role("button", name="Save").click()

    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert SelfAssessment.objects.get(pk=team["assessment"].pk).status == "in_review"


def test_the_director_reads_but_cannot_review(page, team):
    sign_in(page, team["manager"].line_manager.email)

    page.goto("/reviews/")
    expect(page.get_by_role("heading", name="Further down your line")).to_be_visible()
    page.get_by_role("link", name=re.compile("Sasha Staff")).click()

    expect(
        page.get_by_text(f"Only Sasha Staff{RSQUO}s line manager can review it.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    assert_accessible(page)
    response = page.goto(f"/reviews/{team['assessment'].pk}/")
    assert response.status == 403
