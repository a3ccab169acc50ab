"""The whole journey, end to end, as two people in two browsers: a member of staff assesses
themselves (one skill by keyboard alone) and submits; their line manager returns it with a
reason; they change it and resubmit; the manager signs it off; the timeline shows it."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from assessments.models import AssessmentStatus, SelfAssessment
from tests.browser.conftest import (
    assert_accessible,
    sign_in,
    submit_from_the_task_list,
    tab_until,
)
from tests.factories import PersonFactory, make_framework, make_person_at_level


@pytest.fixture
def team(transactional_db):
    profession, _version = make_framework(levels=2, skills=2)
    manager = PersonFactory(name="Morgan Manager", profession=profession)
    author = make_person_at_level(profession, rank=1, name="Sasha Staff", line_manager=manager)
    level = author.role_level
    return {"profession": profession, "level": level, "manager": manager, "author": author}


@pytest.fixture
def manager_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_assess_return_resubmit_sign_off(page, manager_page, team):
    author, manager, level = team["author"], team["manager"], team["level"]
    sign_in(page, author.email)
    sign_in(manager_page, manager.email)

    # The member of staff starts from the level page and rates both skills.
    page.goto(f"/professions/{team['profession'].slug}/levels/{level.slug}/")
    page.get_by_role("button", name=re.compile("Assess yourself against this level")).click()
    page.get_by_role("button", name="Start assessment").click()
    page.locator(".govuk-task-list__link").first.click()
    expect(page.get_by_role("button", name="Save and continue")).to_be_visible()
    tab_until(page, "input[type=radio]")  # the first skill by keyboard alone
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("Led the discovery for the new service.")
    tab_until(page, "button[value=continue]")
    page.keyboard.press("Enter")
    page.get_by_role("radio", name="Working").check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("I confirm that my ratings and evidence are accurate").check()
    page.get_by_role("button", name="Submit assessment").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Assessment submitted")
    assessment = SelfAssessment.objects.get(person=author)
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert [message.to for message in mail.outbox] == [[manager.email]]

    # The line manager returns it with a reason.
    manager_page.goto("/reviews/")
    manager_page.get_by_role("link", name=re.compile("Sasha Staff")).click()
    manager_page.locator(".govuk-task-list__link").first.click()
    expect(manager_page.get_by_text("Led the discovery for the new service.")).to_be_visible()
    manager_page.get_by_role("button", name="Save and sign off or return").click()
    manager_page.get_by_label("Return it to Sasha Staff").check()
    manager_page.get_by_label("Reason for returning it").fill("Say what came of the discovery.")
    manager_page.get_by_role("button", name="Confirm").click()
    expect(manager_page.get_by_role("heading", level=1)).to_have_text("Assessment returned")
    assert mail.outbox[-1].to == [author.email]

    # The member of staff sees why, changes the first skill and resubmits.
    page.goto(f"/assessments/{assessment.pk}/")
    expect(page.get_by_text("Say what came of the discovery.")).to_be_visible()
    assert_accessible(page)
    page.locator(".govuk-task-list__link").first.click()
    page.get_by_label(re.compile("^Evidence for")).fill(
        "Led the discovery; it cut the time to apply by half."
    )
    page.get_by_role("button", name="Save and come back later").click()
    submit_from_the_task_list(page)

    # The line manager agrees a proficiency and signs it off.
    manager_page.goto("/reviews/")
    manager_page.get_by_role("link", name=re.compile("Sasha Staff")).click()
    manager_page.locator(".govuk-task-list__link").first.click()
    expect(
        manager_page.get_by_text("Led the discovery; it cut the time to apply by half.")
    ).to_be_visible()
    manager_page.locator(".app-review-skill").first.get_by_label("Practitioner").check()
    manager_page.get_by_role("button", name="Save and continue").click()
    manager_page.get_by_role("link", name="Back to the review").click()
    manager_page.get_by_role("button", name="Agree with all remaining").click()
    manager_page.get_by_role("button", name="Sign off or return").click()
    manager_page.get_by_label("Sign off the assessment").check()
    manager_page.get_by_role("button", name="Confirm").click()
    expect(manager_page.get_by_role("heading", level=1)).to_have_text("Assessment signed off")

    # The timeline on "Your assessments" tells the whole story, newest first.
    page.goto("/assessments/")
    titles = page.locator(".moj-timeline__title").all_inner_texts()
    assert [title.split(":")[0] for title in titles] == [
        "Signed off",
        "Review started",
        "Resubmitted",
        "Returned",
        "Review started",
        "Submitted to line manager",
        "Started",
    ]
    assert_accessible(page)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SIGNED_OFF
    assert assessment.reviewer == manager
