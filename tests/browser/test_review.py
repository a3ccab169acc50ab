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
    assert_accessible(page)
    page.get_by_role("button", name="Sign off or return").click()
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
    # The emailed review link, followed later, leads to what was decided.
    page.goto(f"/reviews/{assessment.pk}/")
    expect(page.get_by_text("Add evidence for each skill, please.")).to_be_visible()
    page.goto("/reviews/reviewed/")
    expect(page.locator(".govuk-summary-list__row", has_text="Sasha Staff")).to_contain_text(
        "Returned"
    )
    assert_accessible(page)

    # The member of staff resubmits (their side is tested elsewhere): back to SUBMITTED here.
    SelfAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.SUBMITTED)

    page.goto("/reviews/")
    page.get_by_role("link", name=re.compile("Sasha Staff")).click()
    page.get_by_role("button", name="Agree with all remaining").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You agreed with their own rating for 3 skills"
    )
    expect(page.locator("#step-1-status")).to_have_text("Completed")
    assert_accessible(page)
    page.get_by_role("button", name="Sign off or return").click()
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
    expect(page.get_by_text("You signed off this assessment on")).to_be_visible()
    expect(page.get_by_text("line manager can review it")).to_have_count(0)
    assert_accessible(page)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SIGNED_OFF
    assert len(mail.outbox) == 2

    # Every review link, the emailed one included, now leads to the read-only record.
    for url in [f"/reviews/{assessment.pk}/", f"/reviews/{assessment.pk}/skills/1/"]:
        response = page.goto(url)
        assert response.status == 200
        expect(page).to_have_url(re.compile(rf"/reviews/{assessment.pk}/read/$"))

    page.goto("/reviews/")
    expect(page.get_by_text("Nothing is waiting for your review.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Reviewed").click()
    expect(page.locator(".govuk-summary-list__row", has_text="Sasha Staff")).to_contain_text(
        "Signed off"
    )
    assert_accessible(page)


def test_an_adjusted_skill_survives_leaving_for_the_decision(page, team):
    """Walk the review step by step, adjust one skill, leave for the decision: nothing lost."""
    assessment = team["assessment"]
    big = make_framework(levels=1, skills=7)[1]
    long_one = make_assessment_for_review(
        person=PersonFactory(name="Lee Long", line_manager=team["manager"]), version=big
    )
    sign_in(page, team["manager"].email)

    page.goto(f"/reviews/{long_one.pk}/")
    expect(page.locator(".govuk-task-list__link")).to_have_count(3)  # 2 steps and the summary
    expect(page.locator("#step-1-status")).to_contain_text("Not yet started")
    assert_accessible(page)
    page.get_by_role("link", name="Skills 1 to 5").click()
    # Nothing is chosen for the manager.
    expect(page.locator("input[type=radio]:checked")).to_have_count(0)
    assert_accessible(page)
    skills = page.locator(".app-review-skill")
    skills.nth(0).get_by_label("Working").check()
    skills.nth(1).get_by_label("Expert").check()
    skills.nth(1).get_by_role("textbox").fill("Well above what the level expects.")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skills 6 to 7")
    assert_accessible(page)
    page.locator(".app-review-skill").nth(0).get_by_label("Awareness").check()
    # Straight to the decision, without a separate save: the button saves first.
    page.get_by_role("button", name="Save and sign off or return").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sign off or return the self-assessment"
    )
    assert_accessible(page)
    rows = {
        row.locator("th").inner_text(): row.locator("td").last.inner_text()
        for row in page.locator("tbody tr").all()
    }
    agreed = dict(
        long_one.ratings.order_by("position").values_list("skill_name", "manager_proficiency")
    )
    names = list(agreed)
    assert rows[names[0]] == "Working"
    assert rows[names[1]] == "Expert"
    assert rows[names[5]] == "Awareness"
    assert agreed[names[1]] == "expert"
    assert long_one.ratings.get(skill_name=names[1]).manager_comment == (
        "Well above what the level expects."
    )
    expect(page.get_by_text("Some skills have no agreed proficiency yet")).to_be_visible()

    page.goto(f"/reviews/{long_one.pk}/")
    expect(page.locator("#step-1-status")).to_contain_text("2 of 5 agreed")
    expect(page.locator("#step-2-status")).to_contain_text("1 of 2 agreed")
    page.get_by_role("link", name="Skills 1 to 5").click()
    expect(page.locator(".app-review-skill").nth(1).get_by_label("Expert")).to_be_checked()
    expect(page.get_by_text("Well above what the level expects.")).to_be_visible()
    assert assessment.ratings.exclude(manager_proficiency="").count() == 0

    page.goto(f"/reviews/{long_one.pk}/summary/")
    page.get_by_label("Overall summary (optional)").fill("A strong year.")
    assert_accessible(page)
    page.get_by_role("button", name="Save and sign off or return").click()
    expect(page.get_by_text("A strong year.")).to_be_visible()


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
    # axe needs JavaScript: the same pages are checked in the tests above.

    page.get_by_role("link", name=re.compile("Sasha Staff")).click()
    page.get_by_role("link", name="Skills 1 to 3").click()
    page.locator(".app-review-skill").first.get_by_label("Practitioner").check()
    page.get_by_role("button", name="Save and sign off or return").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sign off or return the self-assessment"
    )
    stored = SelfAssessment.objects.get(pk=team["assessment"].pk)
    assert stored.status == "in_review"
    assert stored.ratings.order_by("position").first().manager_proficiency == "practitioner"


def test_the_director_reads_but_cannot_review(page, team):
    sign_in(page, team["manager"].line_manager.email)

    page.goto("/reviews/")
    expect(page.get_by_role("heading", name="Further down your line")).to_be_visible()
    page.get_by_role("link", name=re.compile("Sasha Staff")).click()

    expect(
        page.get_by_text(f"Only Sasha Staff{RSQUO}s line manager can review it.")
    ).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Save"))).to_have_count(0)
    assert_accessible(page)
    # A review link leads them to the record they may read.
    page.goto(f"/reviews/{team['assessment'].pk}/")
    expect(page).to_have_url(re.compile(rf"/reviews/{team['assessment'].pk}/read/$"))


def test_the_new_review_pages_fit_320_pixels(browser, live_server, team):
    """The pages this journey added reflow at 320 CSS px. The queue's and the decision's
    tables, and the comparison table inside a step, are older: the site-wide reflow work turns
    tables into stacked rows on narrow screens, and its test covers every page."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    assessment = team["assessment"]
    sign_in(page, team["manager"].email)
    make_assessment_for_review(
        person=PersonFactory(name="Rae Reviewed", line_manager=team["manager"]),
        version=assessment.framework_version,
        status=AssessmentStatus.SIGNED_OFF,
        reviewer=team["manager"],
    )
    for url in [
        "/reviews/reviewed/",
        f"/reviews/{assessment.pk}/",
        f"/reviews/{assessment.pk}/summary/",
    ]:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{url} is {width}px wide"
    context.close()
