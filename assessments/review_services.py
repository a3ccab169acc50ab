"""Every write a line manager makes to a report's assessment: start, save, sign off, return.

Each function is keyword-only, runs in one transaction, checks who is asking and the
assessment's lock_version, and adds one to lock_version when it changes anything. Signed-off
assessments never change. Error messages are the constants below; tests assert on them.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from roles.models import Proficiency

from .models import (
    COMMENT_MAX_LENGTH,
    AssessmentEvent,
    AssessmentStatus,
    EventKind,
    SelfAssessment,
)

logger = logging.getLogger(__name__)

NOT_LINE_MANAGER = "Only their line manager can review this assessment"
SIGNED_OFF_NO_CHANGE = "This assessment has been signed off and can no longer change"
NOT_WAITING_FOR_REVIEW = "This assessment is not waiting for a review"
ASSESSMENT_CHANGED = (
    "This assessment changed since you opened it. Check the latest saved answers, then save again"
)
RATING_NOT_IN_ASSESSMENT = "A rating you sent does not belong to this assessment"
PROFICIENCY_INVALID = "Select a proficiency from the list"
COMMENT_TOO_LONG = f"Comments must be {COMMENT_MAX_LENGTH} characters or fewer"
SUMMARY_TOO_LONG = f"The summary must be {COMMENT_MAX_LENGTH} characters or fewer"
REASON_REQUIRED = "Enter a reason for returning the assessment"
REASON_TOO_LONG = f"The reason must be {COMMENT_MAX_LENGTH} characters or fewer"
NOT_ALL_AGREED = "Agree a proficiency for every skill before you sign off the assessment"

SIGNED_OFF_SUBJECT = "Your line manager has signed off your self-assessment"
RETURNED_SUBJECT = "Your line manager has returned your self-assessment"

REVIEWABLE = [AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW]
# Fields of SelfAssessment and Rating that full_clean would check with a query each; the
# database's foreign keys and constraints hold those.
_FOREIGN_KEYS = ["person", "framework_version", "role_level", "reviewer", "assessment", "skill"]


class AssessmentChanged(ValidationError):
    """The assessment was saved by someone (or another tab) after this page was opened."""

    def __init__(self):
        super().__init__(ASSESSMENT_CHANGED, code="stale")


def _locked(assessment):
    """The assessment as it is now in the database, locked for the rest of the transaction."""
    return SelfAssessment.objects.select_for_update().select_related("person").get(pk=assessment.pk)


def _check_reviewer(assessment, by):
    if by is None or assessment.person.line_manager_id != by.pk:
        raise PermissionDenied(NOT_LINE_MANAGER)
    if assessment.status == AssessmentStatus.SIGNED_OFF:
        raise ValidationError(SIGNED_OFF_NO_CHANGE, code="signed_off")
    if assessment.status not in REVIEWABLE:
        raise ValidationError(NOT_WAITING_FOR_REVIEW, code="not_reviewable")


def _check_lock(assessment, lock_version):
    try:
        given = int(lock_version)
    except (TypeError, ValueError):
        raise AssessmentChanged from None
    if given != assessment.lock_version:
        raise AssessmentChanged


def _mark_started(assessment, by, now):
    """SUBMITTED -> IN_REVIEW (no save): from here on the author can no longer withdraw."""
    if assessment.status != AssessmentStatus.SUBMITTED:
        return
    assessment.status = AssessmentStatus.IN_REVIEW
    assessment.review_started_at = now
    AssessmentEvent.objects.create(
        assessment=assessment, kind=EventKind.REVIEW_STARTED, at=now, by=by
    )


def _save(assessment):
    assessment.lock_version += 1
    assessment.full_clean(exclude=_FOREIGN_KEYS, validate_unique=False, validate_constraints=False)
    assessment.save()


def _email(assessment, template, subject, by):
    person = assessment.person
    body = render_to_string(
        f"assessments/review/{template}",
        {"assessment": assessment, "person": person, "manager": by},
    )
    # After the commit: no email about a change that was rolled back.
    transaction.on_commit(lambda: send_mail(subject, body, None, [person.email]), robust=True)


def review_start(*, assessment, by):
    """The line manager starts reviewing a submitted assessment (SUBMITTED -> IN_REVIEW)."""
    with transaction.atomic():
        current = _locked(assessment)
        _check_reviewer(current, by)
        if current.status == AssessmentStatus.SUBMITTED:
            _mark_started(current, by, timezone.now())
            _save(current)
    return current


def review_save(*, assessment, by, ratings, summary, lock_version):
    """Save the manager's agreed proficiency and comment per skill and the overall summary.

    `ratings` maps a rating id to (manager_proficiency, manager_comment). Ids that are not this
    assessment's ratings, a page opened before the last save, or any bad value: nothing is written.
    """
    summary = (summary or "").strip()
    if len(summary) > COMMENT_MAX_LENGTH:
        raise ValidationError({"summary": SUMMARY_TOO_LONG})
    cleaned = {}
    for rating_id, (proficiency, comment) in ratings.items():
        proficiency = proficiency or ""
        comment = (comment or "").strip()
        if proficiency and proficiency not in Proficiency.values:
            raise ValidationError(PROFICIENCY_INVALID, code="proficiency")
        if len(comment) > COMMENT_MAX_LENGTH:
            raise ValidationError(COMMENT_TOO_LONG, code="comment")
        cleaned[rating_id] = (proficiency, comment)

    with transaction.atomic():
        current = _locked(assessment)
        _check_reviewer(current, by)
        _check_lock(current, lock_version)
        own = {rating.pk: rating for rating in current.ratings.all()}
        try:
            forged = any(int(rating_id) not in own for rating_id in cleaned)
        except (TypeError, ValueError):
            forged = True
        if forged:
            raise ValidationError(RATING_NOT_IN_ASSESSMENT, code="forged")
        changed = []
        for rating_id, (proficiency, comment) in cleaned.items():
            rating = own[int(rating_id)]
            if (rating.manager_proficiency, rating.manager_comment) == (proficiency, comment):
                continue
            rating.manager_proficiency = proficiency
            rating.manager_comment = comment
            rating.full_clean(
                exclude=_FOREIGN_KEYS, validate_unique=False, validate_constraints=False
            )
            changed.append(rating)
        current.ratings.bulk_update(changed, ["manager_proficiency", "manager_comment"])
        _mark_started(current, by, timezone.now())
        current.manager_summary = summary
        _save(current)
    return current


def review_sign_off(*, assessment, by, lock_version):
    """Sign off: every skill has an agreed proficiency. The member of staff gets an email."""
    with transaction.atomic():
        current = _locked(assessment)
        _check_reviewer(current, by)
        _check_lock(current, lock_version)
        if current.ratings.filter(manager_proficiency="").exists() or not current.ratings.exists():
            raise ValidationError(NOT_ALL_AGREED, code="not_all_agreed")
        now = timezone.now()
        _mark_started(current, by, now)
        current.status = AssessmentStatus.SIGNED_OFF
        current.signed_off_at = now
        current.reviewer = by
        _save(current)
        AssessmentEvent.objects.create(assessment=current, kind=EventKind.SIGNED_OFF, at=now, by=by)
        _email(current, "email_signed_off.txt", SIGNED_OFF_SUBJECT, by)
    return current


def review_return(*, assessment, by, reason, lock_version):
    """Return the assessment to its author with a reason. The member of staff gets an email."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    if len(reason) > COMMENT_MAX_LENGTH:
        raise ValidationError({"reason": REASON_TOO_LONG})
    with transaction.atomic():
        current = _locked(assessment)
        _check_reviewer(current, by)
        _check_lock(current, lock_version)
        now = timezone.now()
        _mark_started(current, by, now)
        current.status = AssessmentStatus.RETURNED
        current.returned_at = now
        current.return_reason = reason
        current.reviewer = by
        _save(current)
        AssessmentEvent.objects.create(
            assessment=current, kind=EventKind.RETURNED, at=now, by=by, note=reason
        )
        _email(current, "email_returned.txt", RETURNED_SUBJECT, by)
    return current
