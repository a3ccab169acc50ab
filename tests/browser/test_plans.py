"""The development plan in a real browser: a member of staff adds an action by keyboard from
a skill gap, their line manager sees it beside the review and comments, and they see the
comment. axe on every page; 320 px wide without sideways scrolling; no JavaScript needed."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import PlanAction, PlanComment, PlanStatus
from roles.models import Skill
from tests.browser.conftest import assert_accessible, sign_in, tab_until
from tests.factories import PersonFactory, make_assessment_for_review, make_framework

RSQUO = "\N{RIGHT SINGLE QUOTATION MARK}"  # as the pages write apostrophes


@pytest.fixture
def team(transactional_db):
    _, version = make_framework(levels=2, skills=3)
    manager = PersonFactory(name="Morgan Manager", line_manager=PersonFactory(name="Dee Director"))
    author = PersonFactory(name="Sasha Staff", line_manager=manager)
    assessment = make_assessment_for_review(person=author, version=version)
    skill = Skill.objects.get(slug=version.content["skills"][0]["slug"])
    return {"manager": manager, "author": author, "assessment": assessment, "skill": skill}


def switch_user(page, email):
    page.context.clear_cookies()
    sign_in(page, email)


def add_url(skill):
    return f"/your-career/plan/add/?skill={skill.slug}"


def next_year():
    return timezone.localdate().year + 1


def test_add_by_keyboard_then_the_manager_comments_beside_the_review(page, team):
    skill = team["skill"]
    sign_in(page, team["author"].email)
    page.goto(add_url(skill))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Add an action to your development plan"
    )
    expect(page.locator(".govuk-caption-l")).to_have_text(skill.name)
    assert_accessible(page)

    # Nothing typed: GOV.UK's error summary, then the fields.
    page.get_by_role("button", name="Add action").click()
    expect(page).to_have_title(re.compile(r"^Error: Add an action"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter what you will do")
    expect(summary).to_contain_text("Enter the target date")
    assert_accessible(page)

    # By keyboard alone: the title, the details, a learning resource and the date.
    page.goto(add_url(skill))
    tab_until(page, "#id_title")
    page.keyboard.type("Take the <data> course")
    page.keyboard.press("Tab")
    page.keyboard.type("All four modules")
    tab_until(page, "input[name=resource]:checked")
    page.keyboard.press("ArrowUp")  # from None to the skill's learning resource
    tab_until(page, "#id_target_day")
    page.keyboard.type("15")
    page.keyboard.press("Tab")
    page.keyboard.type("6")
    page.keyboard.press("Tab")
    page.keyboard.type(str(next_year()))
    tab_until(page, "form button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The action has been added to your development plan"
    )
    card = page.locator(".govuk-summary-card").first
    expect(card.get_by_role("heading", level=2)).to_have_text("Take the <data> course")
    expect(card).to_contain_text(f"15 June {next_year()}")
    expect(card).to_contain_text("Not started")
    expect(card.get_by_role("link", name=skill.resources.get().title)).to_be_visible()
    assert_accessible(page)
    action = PlanAction.objects.get()
    assert action.resource_title == skill.resources.get().title

    # The line manager sees it beside the review, and comments.
    switch_user(page, team["manager"].email)
    page.goto(f"/reviews/{team['assessment'].pk}/")
    plan = page.locator(".app-plan-summary")
    expect(plan.get_by_role("heading", name="Development plan")).to_be_visible()
    expect(plan).to_contain_text("Take the <data> course")
    assert_accessible(page)
    plan.get_by_role("link", name=re.compile("Read and comment on the plan")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Sasha Staff{RSQUO}s development plan"
    )
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Add comment")).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a comment")
    assert_accessible(page)
    page.get_by_label(re.compile("Add a comment")).fill("Good choice. Book it for June.")
    page.get_by_role("button", name=re.compile("Add comment")).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your comment has been added"
    )
    assert_accessible(page)
    assert PlanComment.objects.get().author == team["manager"]

    # The person sees the comment under the action.
    switch_user(page, team["author"].email)
    page.goto("/your-career/plan/")
    card = page.locator(".govuk-summary-card").first
    expect(card).to_contain_text("Good choice. Book it for June.")
    expect(card).to_contain_text("Morgan Manager")
    assert_accessible(page)


def test_overdue_actions_stand_out_and_every_page_fits_320_pixels(page, team):
    author, skill = team["author"], team["skill"]
    long_word = "Supercalifragilisticexpialidocious" * 3
    common = {"person": author, "skill": skill, "skill_name": skill.name}
    PlanAction.objects.create(
        **common, title="Later", target_date=timezone.localdate() + datetime.timedelta(days=50)
    )
    overdue = PlanAction.objects.create(
        **common,
        title=f"Finish the {long_word} course",
        details=long_word,
        resource_title=long_word,
        resource_url=f"https://learning.example.gov.uk/{long_word}",
        target_date=timezone.localdate() - datetime.timedelta(days=3),
        status=PlanStatus.IN_PROGRESS,
    )
    PlanComment.objects.create(action=overdue, author=team["manager"], text=long_word)
    sign_in(page, author.email)
    page.set_viewport_size({"width": 320, "height": 800})

    page.goto("/your-career/plan/")
    first = page.locator(".govuk-summary-card").first
    expect(first.locator(".govuk-tag--red")).to_have_text("Overdue")
    expect(first).to_contain_text("(overdue)")
    expect(page.locator(".govuk-warning-text")).to_contain_text("1 action is overdue")
    assert_accessible(page)
    for url in [
        "/your-career/plan/",
        add_url(skill),
        f"/your-career/plan/{overdue.pk}/",
        f"/your-career/plan/{overdue.pk}/status/",
        f"/your-career/plan/{overdue.pk}/delete/",
    ]:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
        assert_accessible(page)

    switch_user(page, team["manager"].email)
    for url in [f"/team/{author.pk}/plan/", f"/reviews/{team['assessment'].pk}/"]:
        page.goto(url)
        expect(page.locator(".govuk-tag--red").first).to_have_text("Overdue")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
        assert_accessible(page)


def test_the_whole_plan_works_without_javascript(page_without_js, team):
    page = page_without_js
    skill = team["skill"]
    sign_in(page, team["author"].email)

    # Choose the skill, then add an action.
    page.goto("/your-career/plan/add/")
    page.get_by_label("Skill").select_option(label=skill.name)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(rf"\?skill={skill.slug}$"))
    page.get_by_label("What will you do?").fill("Shadow an analyst")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2001")
    page.get_by_role("button", name="Add action").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Target date must be today or in the future"
    )
    page.get_by_label("Year").fill(str(next_year()))
    page.get_by_role("button", name="Add action").click()
    expect(page.locator(".govuk-summary-card")).to_contain_text("Shadow an analyst")

    # Change its status, then its title.
    page.get_by_role("link", name="Change status of Shadow an analyst").click()
    page.get_by_label("In progress").check()
    page.get_by_role("button", name="Save status").click()
    expect(page.locator(".govuk-summary-card")).to_contain_text("In progress")
    page.get_by_role("link", name="Change Shadow an analyst").click()
    page.get_by_label("What will you do?").fill("Shadow two analysts")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-summary-card h2")).to_have_text("Shadow two analysts")

    # The line manager comments.
    switch_user(page, team["manager"].email)
    page.goto(f"/team/{team['author'].pk}/plan/")
    page.get_by_label(re.compile("Add a comment")).fill("Ask Jo in data science.")
    page.get_by_role("button", name=re.compile("Add comment")).click()
    expect(page.locator(".govuk-summary-card")).to_contain_text("Ask Jo in data science.")

    # The person deletes it, after confirming.
    switch_user(page, team["author"].email)
    page.goto("/your-career/plan/")
    expect(page.locator(".govuk-summary-card")).to_contain_text("Ask Jo in data science.")
    page.get_by_role("link", name="Delete Shadow two analysts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Are you sure you want to delete this action?"
    )
    page.get_by_role("button", name="Delete action").click()
    expect(page.get_by_text("You have no actions in your plan yet.")).to_be_visible()
    assert not PlanAction.objects.exists()
