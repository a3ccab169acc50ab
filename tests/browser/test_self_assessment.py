"""A member of staff assesses themselves in a real browser: keyboard, errors, axe on every page."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import AssessmentEvent, AssessmentStatus, EventKind, Rating, SelfAssessment
from tests.browser.conftest import (
    assert_accessible,
    sign_in,
    submit_from_the_task_list,
    tab_until,
)
from tests.factories import (
    PersonFactory,
    make_assessment_for_review,
    make_framework,
    make_person_at_level,
    rate_all,
    start_assessment,
    submit_assessment,
)


@pytest.fixture
def staff(transactional_db):
    profession, version = make_framework(levels=2, skills=3)
    manager = PersonFactory(name="Morgan Manager")
    person = make_person_at_level(profession, rank=1, line_manager=manager)
    return person, version


def test_a_member_of_staff_completes_and_submits_a_self_assessment(page, staff):
    person, version = staff
    level_name = version.content["levels"][0]["name"]
    sign_in(page, person.email)

    page.goto("/assessments/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your assessments")
    assert_accessible(page)
    page.get_by_role("button", name="Start a new assessment").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Choose a level to assess yourself against"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()  # nothing chosen: an error
    expect(page).to_have_title(re.compile(r"^Error: Choose a level"))
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(f"^{re.escape(level_name)}")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Assess yourself against {level_name}"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Start assessment").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Assess yourself against {level_name}"
    )
    expect(page.locator(".govuk-task-list__item")).to_have_count(3)
    assert_accessible(page)
    page.locator(".govuk-task-list__link").first.click()

    # Error state: no proficiency chosen and evidence over the limit.
    page.get_by_label(re.compile("^Evidence for")).fill("x" * 3001)
    page.get_by_role("button", name="Save and continue").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select the proficiency that best describes you"
    )
    expect(page.locator(".govuk-error-summary")).to_contain_text("3,000 characters or fewer")
    assert_accessible(page)

    # The first skill by keyboard alone.
    page.reload()
    tab_until(page, "input[type=radio]")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # Working
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("I ran the discovery for a new service & <wrote> the plan.")
    tab_until(page, "button[value=continue]")
    page.keyboard.press("Enter")

    # The other skills with the mouse.
    for _ in range(2):
        expect(page.get_by_role("button", name="Save and continue")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("radio", name="Practitioner").check()
        page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before submitting"
    )
    expect(
        page.get_by_text("I ran the discovery for a new service & <wrote> the plan.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit assessment").click()
    expect(page).to_have_title(re.compile(r"^Error: Check your answers"))
    assert_accessible(page)
    page.get_by_label("I confirm that my ratings and evidence are accurate").check()
    page.get_by_role("button", name="Submit assessment").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Assessment submitted")
    expect(page.get_by_text("Morgan Manager")).to_be_visible()
    assert_accessible(page)
    assessment = SelfAssessment.objects.get(person=person)
    assert assessment.status == AssessmentStatus.SUBMITTED
    first = Rating.objects.filter(assessment=assessment).order_by("position").first()
    assert first.self_proficiency == "working"
    assert len(mail.outbox) == 1

    page.get_by_role("link", name="Go to your assessments").click()
    expect(page.locator(".moj-timeline__title").first).to_have_text(
        f"Submitted to line manager: {level_name}"
    )
    assert_accessible(page)


def test_a_skill_page_works_without_javascript(page_without_js, staff):
    person, version = staff
    assessment = start_assessment(person, version)
    rating = assessment.ratings.order_by("position").first()
    page = page_without_js
    sign_in(page, person.email)

    page.goto(f"/assessments/{assessment.pk}/skills/{rating.pk}/")
    page.get_by_role("radio", name="Expert").check()
    page.get_by_label(re.compile("^Evidence for")).fill("Written with scripts off")
    page.get_by_role("button", name="Save and come back later").click()

    # (axe needs JavaScript, so it runs on this page in the journey test above instead.)
    expect(page.get_by_text("Your answers have been saved")).to_be_visible()
    rating.refresh_from_db()
    assert (rating.self_proficiency, rating.evidence) == ("expert", "Written with scripts off")


def test_withdrawing_a_submission_from_its_page(page, staff):
    person, version = staff
    assessment = start_assessment(person, version)
    rate_all(assessment, evidence="")
    submit_assessment(assessment)
    sign_in(page, person.email)

    page.goto(f"/assessments/{assessment.pk}/view/")
    expect(page.get_by_text("Submitted", exact=True).first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Withdraw assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw your assessment")
    assert_accessible(page)
    page.get_by_role("button", name="Withdraw assessment").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have withdrawn")
    expect(page.locator(".govuk-task-list__item")).to_have_count(3)
    assert_accessible(page)


def test_a_returned_assessment_is_changed_and_resubmitted(page, staff):
    person, version = staff
    assessment = make_assessment_for_review(
        person=person, version=version, status="returned", return_reason="Add an example please"
    )
    first = assessment.ratings.order_by("position").first()
    Rating.objects.filter(pk=first.pk).update(manager_comment="Which team was this with?")
    AssessmentEvent.objects.create(
        assessment=assessment,
        kind=EventKind.RETURNED,
        at=timezone.now(),
        by=person.line_manager,
        note="Add an example please",
    )
    sign_in(page, person.email)

    page.goto(f"/assessments/{assessment.pk}/")
    expect(page.get_by_text("Add an example please")).to_be_visible()
    expect(page.locator(".govuk-task-list__status").first).to_have_text("Changes requested")
    assert_accessible(page)
    page.locator(".govuk-task-list__link").first.click()
    expect(page.get_by_text("Which team was this with?")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("^Evidence for")).fill("With the benefits team, in 2025.")
    page.get_by_role("button", name="Save and come back later").click()
    submit_from_the_task_list(page)
    page.goto("/assessments/")
    expect(page.locator(".moj-timeline__title").first).to_contain_text("Resubmitted")
    assert_accessible(page)
    assert SelfAssessment.objects.get(pk=assessment.pk).status == AssessmentStatus.SUBMITTED
