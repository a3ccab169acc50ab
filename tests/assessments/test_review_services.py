"""The line manager's writes: start, save, sign off and return, and everything they refuse."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from assessments import emails, lifecycle, services
from assessments.models import AssessmentEvent, AssessmentStatus, EventKind, SelfAssessment
from tests.factories import PersonFactory, make_assessment_for_review


def snapshot(assessment):
    """Everything a review can change, as stored now."""
    stored = SelfAssessment.objects.get(pk=assessment.pk)
    return (
        stored.status,
        stored.lock_version,
        stored.manager_summary,
        stored.return_reason,
        stored.reviewer_id,
        list(stored.ratings.order_by("pk").values_list("manager_proficiency", "manager_comment")),
        stored.events.count(),
    )


def agree_all(assessment, by, proficiency="practitioner"):
    ratings = {rating.pk: (proficiency, "Agreed") for rating in assessment.ratings.all()}
    return services.review_save(
        assessment=assessment,
        by=by,
        ratings=ratings,
        summary="A good year.",
        lock_version=SelfAssessment.objects.get(pk=assessment.pk).lock_version,
    )


def review_start(assessment, by):
    """What the first review save does before its own writes: start the review."""
    return lifecycle.change(
        assessment=assessment,
        by=by,
        who=lifecycle.Who.LINE_MANAGER,
        action=lifecycle.Action.START_REVIEW,
        lock_version=SelfAssessment.objects.get(pk=assessment.pk).lock_version,
    )


# --- start ---------------------------------------------------------------------------------
def test_start_moves_a_submitted_assessment_into_review(assessment, manager):
    result = review_start(assessment, manager)

    assert result.status == AssessmentStatus.IN_REVIEW
    assert result.review_started_at is not None
    assert result.lock_version == 2
    assert list(result.events.values_list("kind", "by")) == [(EventKind.REVIEW_STARTED, manager.pk)]


def test_start_twice_is_refused_the_second_time_and_changes_nothing(assessment, manager):
    review_start(assessment, manager)
    before = snapshot(assessment)

    with pytest.raises(ValidationError) as caught:
        review_start(assessment, manager)

    assert caught.value.messages == [lifecycle.NOT_WAITING_FOR_REVIEW]
    assert snapshot(assessment) == before


def test_start_by_a_manager_further_up_is_refused(assessment, director):
    before = snapshot(assessment)

    with pytest.raises(PermissionDenied, match=lifecycle.NOT_LINE_MANAGER):
        review_start(assessment, director)

    assert snapshot(assessment) == before


# --- save ----------------------------------------------------------------------------------
def test_save_stores_agreed_proficiency_comment_and_summary(assessment, manager):
    first, *others = assessment.ratings.order_by("position")

    result = services.review_save(
        assessment=assessment,
        by=manager,
        ratings={first.pk: ("expert", "Led the whole team.")},
        summary="Strong year",
        lock_version=1,
    )

    first.refresh_from_db()
    assert (first.manager_proficiency, first.manager_comment) == ("expert", "Led the whole team.")
    assert all(other.manager_proficiency == "" for other in others)
    assert result.manager_summary == "Strong year"
    assert result.status == AssessmentStatus.IN_REVIEW
    assert result.lock_version == 2
    assert result.events.filter(kind=EventKind.REVIEW_STARTED).count() == 1


def test_each_save_adds_one_to_the_lock_version_and_starts_the_review_once(assessment, manager):
    agree_all(assessment, manager)
    agree_all(assessment, manager, proficiency="working")

    stored = SelfAssessment.objects.get(pk=assessment.pk)
    assert stored.lock_version == 3
    assert stored.events.filter(kind=EventKind.REVIEW_STARTED).count() == 1
    assert set(stored.ratings.values_list("manager_proficiency", flat=True)) == {"working"}


def test_a_stale_save_is_refused_and_writes_nothing(assessment, manager):
    agree_all(assessment, manager)  # lock_version is now 2
    before = snapshot(assessment)
    rating = assessment.ratings.first()

    with pytest.raises(lifecycle.StaleEdit) as caught:
        services.review_save(
            assessment=assessment,
            by=manager,
            ratings={rating.pk: ("awareness", "From an old tab")},
            summary="Overwritten?",
            lock_version=1,
        )

    assert caught.value.messages == [lifecycle.STALE_EDIT]
    assert snapshot(assessment) == before


def test_forged_rating_ids_are_refused_and_nothing_is_written(assessment, manager, version):
    other = make_assessment_for_review(person=PersonFactory(line_manager=manager), version=version)
    own = assessment.ratings.first()
    foreign = other.ratings.first()
    before, other_before = snapshot(assessment), snapshot(other)

    with pytest.raises(ValidationError) as caught:
        services.review_save(
            assessment=assessment,
            by=manager,
            ratings={own.pk: ("expert", "ok"), foreign.pk: ("expert", "forged")},
            summary="",
            lock_version=1,
        )

    assert caught.value.messages == [services.RATING_NOT_IN_ASSESSMENT]
    assert snapshot(assessment) == before
    assert snapshot(other) == other_before


def test_a_non_numeric_rating_id_is_refused(assessment, manager):
    before = snapshot(assessment)

    with pytest.raises(ValidationError, match=services.RATING_NOT_IN_ASSESSMENT):
        services.review_save(
            assessment=assessment,
            by=manager,
            ratings={"1 OR 1=1": ("expert", "")},
            summary="",
            lock_version=1,
        )

    assert snapshot(assessment) == before


@pytest.mark.parametrize(
    ("ratings_value", "summary"),
    [
        (("genius", ""), ""),
        (("expert", "x" * 2001), ""),
        (("expert", ""), "x" * 2001),
    ],
)
def test_forged_bad_values_are_refused_by_the_database_and_nothing_is_written(
    assessment, manager, ratings_value, summary
):
    """The review form refuses these with a message (test_forms.py); sent straight to the
    service, the database's constraints refuse them."""
    rating = assessment.ratings.first()
    before = snapshot(assessment)

    with pytest.raises(IntegrityError):
        services.review_save(
            assessment=assessment,
            by=manager,
            ratings={rating.pk: ratings_value},
            summary=summary,
            lock_version=1,
        )

    assert snapshot(assessment) == before


@pytest.mark.parametrize("who", ["director", "author", "stranger", "nobody"])
def test_only_the_direct_line_manager_can_save(assessment, director, author, who):
    by = {"director": director, "author": author, "stranger": PersonFactory(), "nobody": None}[who]
    rating = assessment.ratings.first()
    before = snapshot(assessment)

    with pytest.raises(PermissionDenied, match=lifecycle.NOT_LINE_MANAGER):
        services.review_save(
            assessment=assessment,
            by=by,
            ratings={rating.pk: ("expert", "")},
            summary="",
            lock_version=1,
        )

    assert snapshot(assessment) == before


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (AssessmentStatus.DRAFT, lifecycle.NOT_WAITING_FOR_REVIEW),
        (AssessmentStatus.RETURNED, lifecycle.NOT_WAITING_FOR_REVIEW),
    ],
)
def test_save_needs_a_submitted_or_in_review_assessment(assessment_in, manager, status, message):
    assessment = assessment_in(status)
    rating = assessment.ratings.first()
    before = snapshot(assessment)

    with pytest.raises(ValidationError) as caught:
        services.review_save(
            assessment=assessment,
            by=manager,
            ratings={rating.pk: ("expert", "")},
            summary="",
            lock_version=1,
        )

    assert caught.value.messages == [message]
    assert snapshot(assessment) == before


# --- sign off ------------------------------------------------------------------------------
def test_sign_off_records_reviewer_time_event_and_emails_the_author(
    assessment, manager, author, django_capture_on_commit_callbacks
):
    saved = agree_all(assessment, manager)

    with django_capture_on_commit_callbacks(execute=True):
        result = services.review_sign_off(
            assessment=assessment, by=manager, lock_version=saved.lock_version
        )

    assert result.status == AssessmentStatus.SIGNED_OFF
    assert result.reviewer == manager
    assert result.signed_off_at is not None
    assert result.lock_version == saved.lock_version + 1
    assert result.events.filter(kind=EventKind.SIGNED_OFF, by=manager).count() == 1
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [author.email]
    assert email.subject == emails.SIGNED_OFF_SUBJECT
    assert "Mo Manager has signed off" in email.body
    assert "A good year." in email.body


def test_sign_off_needs_every_skill_agreed(assessment, manager):
    rating = assessment.ratings.first()
    saved = services.review_save(
        assessment=assessment,
        by=manager,
        ratings={rating.pk: ("expert", "")},
        summary="",
        lock_version=1,
    )
    before = snapshot(assessment)

    with pytest.raises(ValidationError) as caught:
        services.review_sign_off(assessment=assessment, by=manager, lock_version=saved.lock_version)

    assert caught.value.messages == [services.NOT_ALL_AGREED]
    assert snapshot(assessment) == before
    assert mail.outbox == []


def test_a_stale_sign_off_is_refused(assessment, manager):
    agree_all(assessment, manager)
    before = snapshot(assessment)

    with pytest.raises(lifecycle.StaleEdit):
        services.review_sign_off(assessment=assessment, by=manager, lock_version=1)

    assert snapshot(assessment) == before


def test_sign_off_by_a_manager_further_up_is_refused(assessment, manager, director):
    saved = agree_all(assessment, manager)
    before = snapshot(assessment)

    with pytest.raises(PermissionDenied, match=lifecycle.NOT_LINE_MANAGER):
        services.review_sign_off(
            assessment=assessment, by=director, lock_version=saved.lock_version
        )

    assert snapshot(assessment) == before


def test_a_signed_off_assessment_can_no_longer_change(assessment, manager):
    saved = agree_all(assessment, manager)
    signed = services.review_sign_off(
        assessment=assessment, by=manager, lock_version=saved.lock_version
    )
    before = snapshot(assessment)
    rating = assessment.ratings.first()
    attempts = [
        lambda: review_start(assessment, manager),
        lambda: services.review_save(
            assessment=assessment,
            by=manager,
            ratings={rating.pk: ("awareness", "")},
            summary="",
            lock_version=signed.lock_version,
        ),
        lambda: services.review_sign_off(
            assessment=assessment, by=manager, lock_version=signed.lock_version
        ),
        lambda: services.review_return(
            assessment=assessment, by=manager, reason="Oops", lock_version=signed.lock_version
        ),
    ]

    for attempt in attempts:
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert caught.value.messages == [lifecycle.SIGNED_OFF_NO_CHANGE]

    assert snapshot(assessment) == before


# --- return --------------------------------------------------------------------------------
def test_return_records_reason_time_event_and_emails_the_author(
    assessment, manager, author, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.review_return(
            assessment=assessment,
            by=manager,
            reason="Add evidence for stakeholder skills.",
            lock_version=1,
        )

    assert result.status == AssessmentStatus.RETURNED
    assert result.return_reason == "Add evidence for stakeholder skills."
    assert result.returned_at is not None
    assert result.lock_version == 2
    kinds = list(
        AssessmentEvent.objects.filter(assessment=assessment)
        .order_by("pk")
        .values_list("kind", "note")
    )
    assert kinds == [
        (EventKind.REVIEW_STARTED, ""),
        (EventKind.RETURNED, "Add evidence for stakeholder skills."),
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [author.email]
    assert mail.outbox[0].subject == emails.RETURNED_SUBJECT
    assert "Add evidence for stakeholder skills." in mail.outbox[0].body


@pytest.mark.parametrize("reason", ["", "x" * 2001])
def test_a_forged_return_without_a_sensible_reason_is_refused_by_the_database(
    assessment, manager, reason, django_capture_on_commit_callbacks
):
    """The decision form asks for a reason (test_forms.py); the database holds the rule too."""
    before = snapshot(assessment)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(IntegrityError):
        services.review_return(assessment=assessment, by=manager, reason=reason, lock_version=1)

    assert snapshot(assessment) == before
    assert mail.outbox == []


def test_a_stale_return_is_refused(assessment, manager):
    agree_all(assessment, manager)
    before = snapshot(assessment)

    with pytest.raises(lifecycle.StaleEdit):
        services.review_return(assessment=assessment, by=manager, reason="Why", lock_version=1)

    assert snapshot(assessment) == before


def test_return_by_the_author_is_refused(assessment, author):
    before = snapshot(assessment)

    with pytest.raises(PermissionDenied, match=lifecycle.NOT_LINE_MANAGER):
        services.review_return(assessment=assessment, by=author, reason="Me", lock_version=1)

    assert snapshot(assessment) == before


def test_no_email_when_the_change_is_rolled_back(
    assessment, manager, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(lifecycle.StaleEdit),
    ):
        services.review_return(assessment=assessment, by=manager, reason="Why", lock_version=9)

    assert mail.outbox == []


# --- one step at a time, and agreeing with the rest ---------------------------------------
def test_saving_one_step_leaves_the_other_skills_and_the_summary(assessment, manager):
    agree_all(assessment, manager)
    first = assessment.ratings.order_by("position").first()

    services.review_save(
        assessment=assessment,
        by=manager,
        ratings={first.pk: ("expert", "")},
        lock_version=SelfAssessment.objects.get(pk=assessment.pk).lock_version,
    )

    stored = SelfAssessment.objects.get(pk=assessment.pk)
    assert stored.manager_summary == "A good year."
    assert list(
        stored.ratings.order_by("position").values_list("manager_proficiency", flat=True)
    ) == [
        "expert",
        "practitioner",
        "practitioner",
    ]


def test_agree_remaining_agrees_their_own_rating_where_none_is_agreed(assessment, manager):
    first, *_rest = assessment.ratings.order_by("position")
    services.review_save(
        assessment=assessment, by=manager, ratings={first.pk: ("expert", "")}, lock_version=1
    )

    count = services.review_agree_remaining(assessment=assessment, by=manager, lock_version=2)

    stored = SelfAssessment.objects.get(pk=assessment.pk)
    assert count == 2
    assert list(
        stored.ratings.order_by("position").values_list("manager_proficiency", flat=True)
    ) == [
        "expert",
        "working",
        "working",
    ]
    assert (stored.status, stored.lock_version) == (AssessmentStatus.IN_REVIEW, 3)


def test_agree_remaining_skips_skills_they_did_not_rate(assessment, manager):
    first = assessment.ratings.order_by("position").first()
    first.self_proficiency = ""
    first.save()

    count = services.review_agree_remaining(assessment=assessment, by=manager, lock_version=1)

    first.refresh_from_db()
    assert count == 2
    assert first.manager_proficiency == ""


def test_agree_remaining_with_nothing_left_changes_nothing(assessment, manager):
    agree_all(assessment, manager)
    before = snapshot(assessment)

    with pytest.raises(ValidationError) as raised:
        services.review_agree_remaining(assessment=assessment, by=manager, lock_version=2)

    assert raised.value.messages == [services.NOTHING_LEFT_TO_AGREE]
    assert snapshot(assessment) == before


@pytest.mark.parametrize("who", ["director", "colleague", "author", "nobody"])
def test_agree_remaining_by_anyone_but_the_line_manager_changes_nothing(
    assessment, director, colleague, author, who
):
    by = {"director": director, "colleague": colleague, "author": author, "nobody": None}[who]
    before = snapshot(assessment)

    with pytest.raises(PermissionDenied):
        services.review_agree_remaining(assessment=assessment, by=by, lock_version=1)

    assert snapshot(assessment) == before


@pytest.mark.parametrize("lock_version", [0, 2, None, "x"])
def test_agree_remaining_from_a_stale_page_changes_nothing(assessment, manager, lock_version):
    before = snapshot(assessment)

    with pytest.raises(lifecycle.StaleEdit):
        services.review_agree_remaining(
            assessment=assessment, by=manager, lock_version=lock_version
        )

    assert snapshot(assessment) == before


def test_agree_remaining_on_a_signed_off_assessment_changes_nothing(assessment_in, manager):
    assessment = assessment_in(AssessmentStatus.SIGNED_OFF)
    before = snapshot(assessment)

    with pytest.raises(ValidationError) as raised:
        services.review_agree_remaining(assessment=assessment, by=manager, lock_version=1)

    assert raised.value.messages == [lifecycle.SIGNED_OFF_NO_CHANGE]
    assert snapshot(assessment) == before
