"""The line manager's pages: queue, review, decision, confirmation and the read-only view."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import emails, forms, lifecycle, services
from assessments.forms import DECISION_REQUIRED
from assessments.models import AssessmentStatus, EventKind, SelfAssessment
from tests.factories import PersonFactory, make_assessment_for_review, make_framework

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)

RSQUO = "\N{RIGHT SINGLE QUOTATION MARK}"  # as the pages write apostrophes


def review_data(assessment, lock_version=None, **overrides):
    """The first step of the review as the page sends it (the three skills of these tests'
    levels are one step), with every skill agreed at Practitioner."""
    data = {"lock_version": str(lock_version or assessment.lock_version)}
    for rating in assessment.ratings.all():
        data[f"agreed-{rating.pk}"] = "practitioner"
        data[f"comment-{rating.pk}"] = f"Comment on {rating.skill_name}"
    data.update(overrides)
    return data


def stored(assessment):
    return SelfAssessment.objects.get(pk=assessment.pk)


def step_url(assessment, step=1):
    return reverse("assessments:review_step", args=[assessment.pk, step])


# --- queue ---------------------------------------------------------------------------------
def test_queue_lists_only_direct_reports_waiting_for_review(manager_client, manager, version):
    waiting = {
        status: make_assessment_for_review(
            person=PersonFactory(line_manager=manager, name=f"Person {status}"),
            version=version,
            status=status,
        )
        for status in AssessmentStatus.values
    }
    elsewhere = make_assessment_for_review(person=PersonFactory(name="Not Mine"), version=version)

    html = manager_client.get(reverse("assessments:review_queue")).content.decode()

    for status, assessment in waiting.items():
        link = f'href="{reverse("assessments:review", args=[assessment.pk])}"'
        assert (link in html) is (status in ["submitted", "in_review"]), status
    assert "Not Mine" not in html
    assert reverse("assessments:review", args=[elsewhere.pk]) not in html
    assert 'data-module="moj-sortable-table"' in html


def test_queue_says_how_long_each_has_waited(manager_client, manager, version):
    for days in [0, 1, 3]:
        make_assessment_for_review(
            person=PersonFactory(line_manager=manager),
            version=version,
            submitted_at=NOW - dt.timedelta(days=days, hours=2),
        )

    with time_machine.travel(NOW, tick=False):
        html = manager_client.get(reverse("assessments:review_queue")).content.decode()

    assert "Less than a day" in html
    assert ">1 day<" in html
    assert ">3 days<" in html


@pytest.mark.parametrize(
    ("sort", "expected", "aria"),
    [
        (
            "",
            ["Bea", "Cal", "Abe"],
            'aria-sort="ascending"><a class="govuk-link" href="?sort=-submitted',
        ),
        (
            "name",
            ["Abe", "Bea", "Cal"],
            'aria-sort="ascending"><a class="govuk-link" href="?sort=-name',
        ),
        (
            "-name",
            ["Cal", "Bea", "Abe"],
            'aria-sort="descending"><a class="govuk-link" href="?sort=name',
        ),
        ("-submitted", ["Abe", "Cal", "Bea"], 'href="?sort=submitted"'),
        ("waited", ["Abe", "Cal", "Bea"], 'href="?sort=-waited"'),
        ("level; DROP TABLE", ["Bea", "Cal", "Abe"], 'href="?sort=-submitted"'),
    ],
)
def test_queue_sorts_on_the_server(manager_client, manager, version, sort, expected, aria):
    for name, days in [("Abe", 1), ("Bea", 9), ("Cal", 4)]:
        make_assessment_for_review(
            person=PersonFactory(line_manager=manager, name=name),
            version=version,
            submitted_at=NOW - dt.timedelta(days=days),
        )

    with time_machine.travel(NOW, tick=False):
        response = manager_client.get(
            reverse("assessments:review_queue"), {"sort": sort} if sort else {}
        )

    html = response.content.decode()
    positions = [html.index(f">{name}<span") for name in expected]
    assert positions == sorted(positions)
    assert aria in html


def test_queue_has_an_empty_state(manager_client):
    response = manager_client.get(reverse("assessments:review_queue"))

    assert "Nothing is waiting for your review" in response.content.decode()
    assert "moj-sortable-table" not in response.content.decode()
    assert "no-store" in response.headers["Cache-Control"]


def test_queue_shows_further_down_the_line_read_only(client, director, assessment):
    client.force_login(director.user)

    html = client.get(reverse("assessments:review_queue")).content.decode()

    assert "Further down your line" in html
    assert f'href="{reverse("assessments:team_assessment", args=[assessment.pk])}"' in html
    assert f'href="{reverse("assessments:review", args=[assessment.pk])}"' not in html
    assert "Mo Manager" in html  # whose line manager reviews it


def build_team(manager, version, reports):
    for _ in range(reports):
        person = PersonFactory(line_manager=manager)
        make_assessment_for_review(person=person, version=version)
        make_assessment_for_review(
            person=PersonFactory(line_manager=person), version=version, status="in_review"
        )


def test_queue_query_count_does_not_grow_with_the_team(
    client, director, version, django_assert_max_num_queries
):
    client.force_login(director.user)
    build_team(director, version, reports=2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("assessments:review_queue")).status_code == 200

    build_team(director, version, reports=60)
    with django_assert_max_num_queries(len(small)) as large:
        response = client.get(reverse("assessments:review_queue"))

    assert response.status_code == 200
    assert response.content.decode().count('href="/reviews/') >= 60
    assert len(large) == len(small) <= 9


# --- review page ---------------------------------------------------------------------------
def test_review_step_shows_each_skill_side_by_side_with_escaped_evidence(
    manager_client, author, version
):
    assessment = make_assessment_for_review(
        person=author, version=version, evidence='<script>alert("x")</script>\nSecond line'
    )

    response = manager_client.get(step_url(assessment))

    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>Second line" in html
    for rating in assessment.ratings.all():
        assert f'<h2 class="govuk-heading-m">{rating.skill_name}</h2>' in html
        assert f'name="agreed-{rating.pk}"' in html
        assert f'name="comment-{rating.pk}"' in html
    # Nothing is chosen for the manager: agreeing is their own explicit choice.
    assert " checked" not in html
    assert forms.AGREE_HINT.format(proficiency="Working") in html
    assert html.count(">Expected at this level<") == 3  # the column heading, once a skill
    assert html.count('<fieldset class="govuk-fieldset"') == 3
    assert f'name="lock_version" value="{assessment.lock_version}"' in html
    # Every way on from the page submits the form, so nothing typed is left behind.
    assert 'name="next" value="continue"' in html
    assert 'name="next" value="decision"' in html
    assert reverse("assessments:review_decision", args=[assessment.pk]) not in html


def test_a_long_review_is_split_into_steps_with_a_task_list(manager_client, manager):
    version = make_framework(levels=1, skills=12)[1]
    assessment = make_assessment_for_review(
        person=PersonFactory(line_manager=manager), version=version
    )
    ratings = list(assessment.ratings.order_by("position"))
    ratings[0].manager_proficiency = "expert"
    ratings[0].save()
    for rating in ratings[5:10]:
        rating.manager_proficiency = "working"
        rating.save()

    html = manager_client.get(reverse("assessments:review", args=[assessment.pk])).content.decode()

    assert "Skills 1 to 5" in html
    assert "Skills 6 to 10" in html
    assert "Skills 11 to 12" in html
    for number in (1, 2, 3):
        assert f'href="{step_url(assessment, number)}"' in html
    statuses = [
        html.split(f'id="step-{number}-status">')[1].split("</div>")[0].strip()
        for number in (1, 2, 3)
    ]
    assert "1 of 5 agreed" in statuses[0]
    assert statuses[1] == "Completed"
    assert "Not yet started" in statuses[2]
    assert "You have agreed 6 of 12 skills" in html
    assert "Agree with all remaining" in html
    step_three = manager_client.get(step_url(assessment, 3)).content.decode()
    assert step_three.count('<fieldset class="govuk-fieldset"') == 2
    assert manager_client.get(step_url(assessment, 4)).status_code == 404
    assert manager_client.get(step_url(assessment, 0)).status_code == 404


@pytest.mark.parametrize(
    ("step", "button", "expected"),
    [
        (1, "continue", "step 2"),
        (3, "continue", "summary"),
        (1, "decision", "decision"),
        (3, "decision", "decision"),
    ],
)
def test_each_button_saves_then_goes_on(manager_client, manager, step, button, expected):
    version = make_framework(levels=1, skills=12)[1]
    assessment = make_assessment_for_review(
        person=PersonFactory(line_manager=manager), version=version
    )
    chunk = list(assessment.ratings.order_by("position"))[(step - 1) * 5 : step * 5]
    data = {"lock_version": "1", "next": button}
    data.update({f"agreed-{rating.pk}": "expert" for rating in chunk})

    response = manager_client.post(step_url(assessment, step), data)

    where = {
        "step 2": step_url(assessment, 2),
        "summary": reverse("assessments:review_summary", args=[assessment.pk]),
        "decision": reverse("assessments:review_decision", args=[assessment.pk]),
    }[expected]
    assert response.headers["Location"] == where
    assert {rating.manager_proficiency for rating in assessment.ratings.all()} == {"expert", ""}
    assert assessment.ratings.filter(manager_proficiency="expert").count() == len(chunk)


def test_an_adjusted_skill_is_on_the_decision_page_after_save_and_sign_off_or_return(
    manager_client, assessment
):
    rating = assessment.ratings.order_by("position").first()
    data = {"lock_version": "1", "next": "decision", f"agreed-{rating.pk}": "expert"}

    response = manager_client.post(step_url(assessment), data, follow=True)

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "assessments:review_decision", args=[assessment.pk]
    )
    row = html.split(f">{rating.skill_name}</th>")[1].split("</tr>")[0]
    assert "Expert" in row
    assert "Some skills have no agreed proficiency yet" in html


def test_saving_stores_the_review_and_shows_it(manager_client, assessment):
    response = manager_client.post(step_url(assessment), review_data(assessment), follow=True)

    assessment.refresh_from_db()
    assert response.redirect_chain == [
        (reverse("assessments:review_summary", args=[assessment.pk]), 302)
    ]
    assert "Your review has been saved" in response.content.decode()
    assert assessment.status == AssessmentStatus.IN_REVIEW
    assert set(assessment.ratings.values_list("manager_proficiency", flat=True)) == {"practitioner"}
    again = manager_client.get(step_url(assessment)).content.decode()
    assert again.count('value="practitioner" checked') == 3


def test_the_summary_step_saves_the_summary_and_goes_to_the_decision(manager_client, assessment):
    url = reverse("assessments:review_summary", args=[assessment.pk])

    response = manager_client.post(
        url, {"lock_version": "1", "summary": "Good year", "next": "decision"}
    )

    assert response.headers["Location"] == reverse(
        "assessments:review_decision", args=[assessment.pk]
    )
    assert stored(assessment).manager_summary == "Good year"
    assert "Good year" in manager_client.get(url).content.decode()


def test_too_long_a_summary_is_an_error_and_nothing_is_saved(manager_client, assessment):
    url = reverse("assessments:review_summary", args=[assessment.pk])

    response = manager_client.post(url, {"lock_version": "1", "summary": "x" * 2001})

    html = response.content.decode()
    assert "There is a problem" in html
    assert forms.SUMMARY_TOO_LONG in html
    assert stored(assessment).lock_version == 1


def test_a_stale_save_keeps_what_they_typed_and_overwrites_nothing(
    manager_client, manager, assessment
):
    rating = assessment.ratings.order_by("position").first()
    # Another tab saves first.
    services.review_save(
        assessment=assessment,
        by=manager,
        ratings={rating.pk: ("expert", "From the other tab")},
        summary="Other tab summary",
        lock_version=1,
    )
    typed = review_data(assessment, lock_version=1)
    typed[f"comment-{rating.pk}"] = "My careful comment"

    response = manager_client.post(step_url(assessment), typed)

    html = response.content.decode()
    assert response.status_code == 200
    assert lifecycle.STALE_EDIT in html
    assert "My careful comment" in html
    assert "Expert" in html  # the latest saved agreed proficiency is shown beside it
    assert f'name="lock_version" value="{stored(assessment).lock_version}"' in html
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Error: " in html
    rating.refresh_from_db()
    assert (rating.manager_proficiency, rating.manager_comment) == ("expert", "From the other tab")
    assert stored(assessment).manager_summary == "Other tab summary"


def test_too_long_a_comment_is_an_error_and_nothing_is_saved(manager_client, assessment):
    rating = assessment.ratings.first()
    data = review_data(assessment, **{f"comment-{rating.pk}": "x" * 2001})

    response = manager_client.post(step_url(assessment), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert forms.COMMENT_TOO_LONG in html
    assert stored(assessment).status == AssessmentStatus.SUBMITTED
    assert set(assessment.ratings.values_list("manager_proficiency", flat=True)) == {""}


def test_forged_fields_are_ignored(manager_client, manager, assessment, version):
    other = make_assessment_for_review(person=PersonFactory(line_manager=manager), version=version)
    foreign = other.ratings.first()
    data = review_data(
        assessment,
        status="signed_off",
        reviewer=str(manager.pk),
        person=str(other.person_id),
        summary="Forged summary",
        **{f"agreed-{foreign.pk}": "expert", f"comment-{foreign.pk}": "forged"},
    )

    response = manager_client.post(step_url(assessment), data)

    assert response.status_code == 302
    assessment.refresh_from_db()
    foreign.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_REVIEW
    assert assessment.reviewer is None
    assert assessment.manager_summary == ""
    assert (foreign.manager_proficiency, foreign.manager_comment) == ("", "")
    assert stored(other).lock_version == 1


def test_an_invalid_proficiency_is_an_error(manager_client, assessment):
    rating = assessment.ratings.first()
    data = review_data(assessment, **{f"agreed-{rating.pk}": "genius"})

    response = manager_client.post(step_url(assessment), data)

    assert forms.PROFICIENCY_INVALID in response.content.decode()
    assert stored(assessment).lock_version == 1


# --- agree with all remaining --------------------------------------------------------------
def test_agree_with_all_remaining_agrees_only_what_is_not_agreed_yet(manager_client, assessment):
    first, *rest = assessment.ratings.order_by("position")
    first.manager_proficiency = "expert"
    first.save()
    overview = manager_client.get(reverse("assessments:review", args=[assessment.pk]))
    assert "you can agree with all 2 in one go" in overview.content.decode()

    response = manager_client.post(
        reverse("assessments:review_agree_remaining", args=[assessment.pk]),
        {"lock_version": "1"},
        follow=True,
    )

    html = response.content.decode()
    assert services_message(2) in html
    first.refresh_from_db()
    assert first.manager_proficiency == "expert"
    assert {
        r.manager_proficiency for r in assessment.ratings.filter(pk__in=[r.pk for r in rest])
    } == {"working"}
    assert "Agree with all remaining" not in html
    assert stored(assessment).status == AssessmentStatus.IN_REVIEW


def services_message(count):
    from assessments.review_views import AGREED_REMAINING

    return AGREED_REMAINING.format(count=count, s="s" if count != 1 else "")


def test_agree_with_all_remaining_from_a_stale_page_changes_nothing(
    manager_client, manager, assessment
):
    services.review_save(assessment=assessment, by=manager, ratings={}, lock_version=1)

    response = manager_client.post(
        reverse("assessments:review_agree_remaining", args=[assessment.pk]),
        {"lock_version": "1"},
        follow=True,
    )

    assert lifecycle.STALE_EDIT in response.content.decode()
    assert set(assessment.ratings.values_list("manager_proficiency", flat=True)) == {""}


def test_review_page_query_count_does_not_grow_with_the_skills(
    manager_client, manager, django_assert_max_num_queries, settings
):
    # Counted as the page is made, not as a kept page is served (assessments.personal_pages).
    settings.PERSONAL_PAGES_IN_MEMORY = 0
    small_version = make_framework(levels=1, skills=2)[1]
    large_version = make_framework(levels=1, skills=40)[1]
    small = make_assessment_for_review(
        person=PersonFactory(line_manager=manager), version=small_version
    )
    large = make_assessment_for_review(
        person=PersonFactory(line_manager=manager), version=large_version
    )
    for assessment in [small, large]:  # the framework snapshots are read once, then kept
        manager_client.get(reverse("assessments:review", args=[assessment.pk]))
    for name, extra in [("assessments:review", []), ("assessments:review_step", [1])]:
        with CaptureQueriesContext(connection) as small_queries:
            manager_client.get(reverse(name, args=[small.pk, *extra]))

        with django_assert_max_num_queries(len(small_queries)) as large_queries:
            response = manager_client.get(reverse(name, args=[large.pk, *extra]))

        assert response.status_code == 200
        # 9, and one more for the development plan shown beside the review (plan_for_review).
        assert len(large_queries) == len(small_queries) <= 10, name
    overview = manager_client.get(reverse("assessments:review", args=[large.pk]))
    assert "Skills 36 to 40" in overview.content.decode()


def test_decision_page_query_count_does_not_grow_with_the_skills(
    manager_client, manager, django_assert_max_num_queries
):
    small = make_assessment_for_review(
        person=PersonFactory(line_manager=manager),
        version=make_framework(levels=1, skills=2)[1],
    )
    large = make_assessment_for_review(
        person=PersonFactory(line_manager=manager),
        version=make_framework(levels=1, skills=40)[1],
    )
    with CaptureQueriesContext(connection) as small_queries:
        manager_client.get(reverse("assessments:review_decision", args=[small.pk]))

    with django_assert_max_num_queries(len(small_queries)):
        response = manager_client.get(reverse("assessments:review_decision", args=[large.pk]))

    assert response.status_code == 200


# --- decision ------------------------------------------------------------------------------
def test_decision_page_warns_when_some_skills_are_not_agreed(manager_client, assessment):
    response = manager_client.get(reverse("assessments:review_decision", args=[assessment.pk]))

    html = response.content.decode()
    assert "Some skills have no agreed proficiency yet" in html
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, DECISION_REQUIRED),
        ({"decision": "publish"}, DECISION_REQUIRED),
        ({"decision": "return", "reason": "   "}, forms.REASON_REQUIRED),
        ({"decision": "sign_off"}, services.NOT_ALL_AGREED),
    ],
)
def test_decision_errors_change_nothing(manager_client, assessment, data, message):
    response = manager_client.post(
        reverse("assessments:review_decision", args=[assessment.pk]), {"lock_version": "1", **data}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html
    assert "<title>Error: " in html
    assert stored(assessment).status == AssessmentStatus.SUBMITTED
    assert mail.outbox == []


def test_returning_with_a_reason(
    manager_client, assessment, author, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("assessments:review_decision", args=[assessment.pk]),
            {"lock_version": "1", "decision": "return", "reason": "Say more about delivery"},
            follow=True,
        )

    assessment.refresh_from_db()
    assert response.redirect_chain == [
        (reverse("assessments:review_done", args=[assessment.pk]), 302)
    ]
    assert "Assessment returned" in response.content.decode()
    assert assessment.status == AssessmentStatus.RETURNED
    assert assessment.return_reason == "Say more about delivery"
    assert [email.to for email in mail.outbox] == [[author.email]]


def test_signing_off_after_saving(
    manager_client, assessment, author, django_capture_on_commit_callbacks
):
    manager_client.post(step_url(assessment), review_data(assessment))

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("assessments:review_decision", args=[assessment.pk]),
            {"lock_version": str(stored(assessment).lock_version), "decision": "sign_off"},
            follow=True,
        )

    assessment.refresh_from_db()
    assert "Assessment signed off" in response.content.decode()
    assert assessment.status == AssessmentStatus.SIGNED_OFF
    assert assessment.events.filter(kind=EventKind.SIGNED_OFF).exists()
    assert [email.subject for email in mail.outbox] == [emails.SIGNED_OFF_SUBJECT]
    assert mail.outbox[0].to == [author.email]


def test_a_stale_decision_keeps_the_reason_typed(manager_client, manager, assessment):
    # Another tab saves the review: lock_version is 2.
    services.review_save(assessment=assessment, by=manager, ratings={}, summary="", lock_version=1)

    response = manager_client.post(
        reverse("assessments:review_decision", args=[assessment.pk]),
        {"lock_version": "1", "decision": "return", "reason": "My typed reason"},
    )

    html = response.content.decode()
    assert lifecycle.STALE_EDIT in html
    assert "My typed reason" in html
    assert 'name="lock_version" value="2"' in html
    assert stored(assessment).status == AssessmentStatus.IN_REVIEW


# --- read only -----------------------------------------------------------------------------
def test_read_only_page_shows_the_outcome_and_history(client, manager, director, assessment):
    client.force_login(manager.user)
    client.post(step_url(assessment), review_data(assessment))
    client.post(
        reverse("assessments:review_summary", args=[assessment.pk]),
        {"lock_version": str(stored(assessment).lock_version), "summary": "Summary from the form"},
    )
    client.post(
        reverse("assessments:review_decision", args=[assessment.pk]),
        {"lock_version": str(stored(assessment).lock_version), "decision": "sign_off"},
    )
    client.force_login(director.user)

    response = client.get(reverse("assessments:team_assessment", args=[assessment.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Summary from the form" in html
    assert "Reviewed by" in html
    assert "Mo Manager" in html
    assert "moj-timeline" in html
    assert "This assessment was signed off on" in html
    assert "line manager can review it" not in html
    assert "<form" not in html.split('id="main-content"')[1]
    client.force_login(manager.user)
    own = client.get(reverse("assessments:team_assessment", args=[assessment.pk]))
    assert "You signed off this assessment on" in own.content.decode()
    assert "line manager can review it" not in own.content.decode()


def test_read_only_page_tells_a_manager_further_up_who_reviews_it(client, director, assessment):
    client.force_login(director.user)

    html = client.get(reverse("assessments:team_assessment", args=[assessment.pk])).content

    assert f"Only Sam Staff{RSQUO}s line manager can review it" in html.decode()


def test_read_only_page_offers_the_line_manager_the_review(manager_client, assessment):
    html = manager_client.get(reverse("assessments:team_assessment", args=[assessment.pk]))

    assert f'href="{reverse("assessments:review", args=[assessment.pk])}"' in html.content.decode()
    assert "line manager can review it" not in html.content.decode()


@pytest.mark.parametrize("lock_version", [None, "", "not-a-number"])
def test_a_review_without_a_usable_lock_version_is_treated_as_stale(
    manager_client, assessment, lock_version
):
    data = review_data(assessment)
    if lock_version is None:
        del data["lock_version"]
    else:
        data["lock_version"] = lock_version

    rating = assessment.ratings.order_by("position").first()
    data[f"comment-{rating.pk}"] = "Kept comment"

    response = manager_client.post(step_url(assessment), data)

    assert response.status_code == 200
    assert lifecycle.STALE_EDIT in response.content.decode()
    assert "Kept comment" in response.content.decode()
    assert stored(assessment).lock_version == 1


# --- reviewed --------------------------------------------------------------------------------
def decided(manager, version, *, status, days_ago, name):
    at = NOW - dt.timedelta(days=days_ago)
    fields = {"reviewer": manager}
    if status == AssessmentStatus.SIGNED_OFF:
        fields["signed_off_at"] = at
    else:
        fields["returned_at"] = at
    return make_assessment_for_review(
        person=PersonFactory(line_manager=manager, name=name),
        version=version,
        status=status,
        **fields,
    )


def test_reviewed_lists_signed_off_and_returned_newest_first(manager_client, manager, version):
    decided(manager, version, status=AssessmentStatus.SIGNED_OFF, days_ago=30, name="Old Signed")
    returned = decided(
        manager, version, status=AssessmentStatus.RETURNED, days_ago=2, name="New Returned"
    )
    signed = decided(
        manager, version, status=AssessmentStatus.SIGNED_OFF, days_ago=10, name="Mid Signed"
    )
    make_assessment_for_review(
        person=PersonFactory(line_manager=manager, name="Still Waiting"), version=version
    )
    other = PersonFactory()
    decided(other, version, status=AssessmentStatus.SIGNED_OFF, days_ago=1, name="Not Mine")

    response = manager_client.get(reverse("assessments:review_history"))

    html = response.content.decode()
    assert "no-store" in response.headers["Cache-Control"]
    positions = [html.index(name) for name in ["New Returned", "Mid Signed", "Old Signed"]]
    assert positions == sorted(positions)
    assert "Still Waiting" not in html
    assert "Not Mine" not in html
    assert f'href="{reverse("assessments:team_assessment", args=[signed.pk])}"' in html
    assert f'href="{reverse("assessments:review_done", args=[returned.pk])}"' in html
    assert 'aria-current="page">Reviewed<' in html
    assert "Reviewed (3)" in html


def test_reviewed_is_paginated(manager_client, manager, version):
    from assessments.review_views import REVIEWED_PER_PAGE

    for index in range(REVIEWED_PER_PAGE + 2):
        decided(
            manager,
            version,
            status=AssessmentStatus.SIGNED_OFF,
            days_ago=index + 1,
            name=f"Person {index:02d}",
        )
    url = reverse("assessments:review_history")

    first = manager_client.get(url).content.decode()
    second = manager_client.get(url, {"page": 2}).content.decode()
    beyond = manager_client.get(url, {"page": "999"}).content.decode()

    assert "Person 00" in first
    assert f"Person {REVIEWED_PER_PAGE - 1:02d}" in first
    assert f"Person {REVIEWED_PER_PAGE:02d}" not in first
    assert 'class="govuk-pagination"' in first
    assert 'href="?page=2" rel="next"' in first
    assert f"Person {REVIEWED_PER_PAGE + 1:02d}" in second
    assert "Person 00" not in second
    assert 'href="?page=1" rel="prev"' in second
    # A page past the end shows the last page.
    assert f"Person {REVIEWED_PER_PAGE + 1:02d}" in beyond


def test_reviewed_without_any_says_so(manager_client):
    html = manager_client.get(reverse("assessments:review_history")).content.decode()

    assert "You have not signed off or returned any self-assessments yet" in html


def test_reviewed_query_count_does_not_grow(
    manager_client, manager, version, django_assert_max_num_queries
):
    decided(manager, version, status=AssessmentStatus.SIGNED_OFF, days_ago=1, name="One")
    with CaptureQueriesContext(connection) as small:
        manager_client.get(reverse("assessments:review_history"))
    for index in range(40):
        decided(
            manager, version, status=AssessmentStatus.RETURNED, days_ago=index, name=f"P{index}"
        )

    with django_assert_max_num_queries(len(small)) as large:
        response = manager_client.get(reverse("assessments:review_history"))

    assert response.status_code == 200
    assert len(large) == len(small)
