"""Every write to self-assessments made by their authors, each in one transaction.

The manager's side (review, sign off, return) lives with the review code. Every change to an
assessment adds one to its `lock_version`: a page sends back the version it was drawn from, and
a save from a page that is out of date is refused with `StaleEdit`, so that nothing is silently
overwritten when someone has two tabs open.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from roles.models import Proficiency, RoleLevel, Skill
from roles.selectors import latest_framework_or_404

from .emails import send_assessment_submitted
from .models import (
    EVIDENCE_MAX_LENGTH,
    AssessmentEvent,
    AssessmentStatus,
    EventKind,
    Rating,
    SelfAssessment,
)
from .permissions import EDITABLE_BY_AUTHOR

NO_PUBLISHED_FRAMEWORK = "There is no published framework for this profession yet"
NO_SUCH_LEVEL = "There is no such level in the published framework of this profession"
LEVEL_HAS_NO_SKILLS = "This level has no skills to assess yourself against yet"
NOT_YOUR_ASSESSMENT = "You can only change your own assessment"
NOT_EDITABLE = "This assessment has been submitted, so it cannot be changed now"
NO_SUCH_RATING = "That skill is not part of this assessment"
PROFICIENCY_REQUIRED = "Select the proficiency that best describes you"
PROFICIENCY_INVALID = "Select one of the proficiencies shown"
EVIDENCE_TOO_LONG = f"Evidence must be {EVIDENCE_MAX_LENGTH:,} characters or fewer"
STALE_EDIT = (
    "This assessment changed since you opened it, for example in another tab. "
    "Nothing was saved: check your answer and save it again"
)
DECLARATION_REQUIRED = "Confirm that your ratings and evidence are accurate"
SKILLS_NOT_RATED = "Rate every skill before you submit: {count} not rated yet"
NOT_SUBMITTABLE = "Only a draft or returned assessment can be submitted"
CANNOT_WITHDRAW_REVIEW_STARTED = (
    "Your line manager has started reviewing this assessment, so it can no longer be withdrawn"
)
CANNOT_WITHDRAW = "Only a submitted assessment can be withdrawn"
NO_LINE_MANAGER = (
    "Your assessment was submitted, but you have no line manager on record, so nobody has been "
    "told. Ask your HR team to add your line manager"
)


class StaleEdit(Exception):
    """A save from a page drawn from an older lock_version than the stored one."""

    def __init__(self, message=STALE_EDIT):
        super().__init__(message)
        self.message = message


def _now():
    return timezone.now()


def _event(*, assessment, kind, by, note="", at=None):
    event = AssessmentEvent(assessment=assessment, kind=kind, at=at or _now(), by=by, note=note)
    event.full_clean()
    event.save()
    return event


def _locked(assessment):
    """The assessment's row as stored now, locked for the rest of the transaction."""
    return SelfAssessment.objects.select_for_update().get(pk=assessment.pk)


def _check_author(assessment, by):
    if by is None or assessment.person_id != by.pk:
        raise PermissionDenied(NOT_YOUR_ASSESSMENT)


def _check_lock(current, lock_version):
    try:
        lock_version = int(lock_version)
    except (TypeError, ValueError):
        raise StaleEdit() from None
    if current.lock_version != lock_version:
        raise StaleEdit()


def _bump(current, assessment, fields):
    """Save the locked row with one more lock_version and copy the result to the caller's object."""
    current.lock_version = F("lock_version") + 1
    current.save(update_fields=[*fields, "lock_version", "updated_at"])
    current.refresh_from_db(fields=["lock_version", "updated_at"])
    for name in [*fields, "lock_version", "updated_at"]:
        setattr(assessment, name, getattr(current, name))


def _open_assessment(person, role_level):
    return SelfAssessment.objects.open().filter(person=person, role_level=role_level).first()


def assessment_start(*, person, profession_slug, level_slug):
    """Start assessing `person` against a level of the latest published framework.

    Returns (assessment, created). When an open assessment for that level exists already, it is
    returned with created=False instead of starting a second one.
    """
    try:
        framework = latest_framework_or_404(profession_slug)
    except Http404:
        raise ValidationError(NO_PUBLISHED_FRAMEWORK) from None
    level_view = next((lv for lv in framework.levels if lv.slug == level_slug), None)
    role_level = RoleLevel.objects.filter(profession__slug=profession_slug, slug=level_slug).first()
    if level_view is None or role_level is None:
        raise ValidationError(NO_SUCH_LEVEL)
    if not level_view.expectations:
        raise ValidationError(LEVEL_HAS_NO_SKILLS)

    existing = _open_assessment(person, role_level)
    if existing is not None:
        return existing, False

    skill_ids = dict(
        Skill.objects.filter(slug__in=[e.skill.slug for e in level_view.expectations]).values_list(
            "slug", "pk"
        )
    )
    try:
        with transaction.atomic():
            assessment = SelfAssessment(
                person=person,
                framework_version_id=framework.version_id,
                role_level=role_level,
                level_name=level_view.name,
                status=AssessmentStatus.DRAFT,
            )
            assessment.full_clean(validate_constraints=False)
            assessment.save()
            ratings = []
            for position, expectation in enumerate(level_view.expectations, start=1):
                rating = Rating(
                    assessment=assessment,
                    skill_id=skill_ids.get(expectation.skill.slug),
                    skill_name=expectation.skill.name,
                    position=position,
                    expected_proficiency=expectation.proficiency,
                )
                if rating.skill_id is None:
                    raise ValidationError(NO_SUCH_LEVEL)
                # Field checks (choices, lengths) here; the table's constraints are the backstop.
                rating.full_clean(
                    exclude=["assessment"], validate_unique=False, validate_constraints=False
                )
                ratings.append(rating)
            Rating.objects.bulk_create(ratings)
            _event(assessment=assessment, kind=EventKind.STARTED, by=person)
    except IntegrityError:
        # Someone (another tab) started the same level a moment ago: use theirs.
        existing = _open_assessment(person, role_level)
        if existing is None:
            raise
        return existing, False
    return assessment, True


def rating_save(*, assessment, rating_id, self_proficiency, evidence, lock_version, by):
    """Save the author's own proficiency and evidence for one skill of a draft or returned
    assessment. A blank proficiency is kept as "not rated yet" (save and come back later); the
    view decides when one is required."""
    _check_author(assessment, by)
    self_proficiency = (self_proficiency or "").strip()
    evidence = (evidence or "").replace("\r\n", "\n").strip()
    if self_proficiency and self_proficiency not in Proficiency.values:
        raise ValidationError({"self_proficiency": PROFICIENCY_INVALID})
    if len(evidence) > EVIDENCE_MAX_LENGTH:
        raise ValidationError({"evidence": EVIDENCE_TOO_LONG})
    with transaction.atomic():
        current = _locked(assessment)
        if current.status not in EDITABLE_BY_AUTHOR:
            raise ValidationError(NOT_EDITABLE)
        try:
            rating = Rating.objects.select_for_update().get(pk=int(rating_id), assessment=current)
        except (Rating.DoesNotExist, TypeError, ValueError):
            raise ValidationError(NO_SUCH_RATING) from None
        _check_lock(current, lock_version)
        rating.self_proficiency = self_proficiency
        rating.evidence = evidence
        rating.full_clean(
            exclude=["assessment", "skill"], validate_unique=False, validate_constraints=False
        )
        rating.save(update_fields=["self_proficiency", "evidence"])
        _bump(current, assessment, [])
    return rating


def assessment_submit(*, assessment, by, declaration, lock_version, review_url=""):
    """Send a draft (or a returned and changed) assessment to the line manager.

    Returns (assessment, manager): manager is the Person who was emailed, or None when the
    author has no line manager on record (the assessment is submitted all the same).
    """
    _check_author(assessment, by)
    with transaction.atomic():
        current = _locked(assessment)
        if current.status not in EDITABLE_BY_AUTHOR:
            raise ValidationError(NOT_SUBMITTABLE)
        _check_lock(current, lock_version)
        errors = []
        if not declaration:
            errors.append(ValidationError(DECLARATION_REQUIRED, code="declaration"))
        unrated = current.ratings.filter(self_proficiency="").count()
        if unrated:
            errors.append(ValidationError(SKILLS_NOT_RATED.format(count=unrated), code="unrated"))
        if errors:
            raise ValidationError(errors)
        resubmitting = current.status == AssessmentStatus.RETURNED
        now = _now()
        current.status = AssessmentStatus.SUBMITTED
        current.submitted_at = now
        current.full_clean(exclude=["lock_version"], validate_constraints=False)
        _bump(current, assessment, ["status", "submitted_at"])
        _event(
            assessment=current,
            kind=EventKind.RESUBMITTED if resubmitting else EventKind.SUBMITTED,
            by=by,
            at=now,
        )
    manager = by.line_manager if by.line_manager_id else None
    if manager is not None and manager.is_active and manager.email:
        send_assessment_submitted(
            assessment=assessment, author=by, manager=manager, review_url=review_url
        )
        return assessment, manager
    return assessment, None


def assessment_withdraw(*, assessment, by):
    """Take a submitted assessment back to draft, while the manager has not started the review."""
    _check_author(assessment, by)
    with transaction.atomic():
        current = _locked(assessment)
        if current.status == AssessmentStatus.IN_REVIEW:
            raise ValidationError(CANNOT_WITHDRAW_REVIEW_STARTED)
        if current.status != AssessmentStatus.SUBMITTED:
            raise ValidationError(CANNOT_WITHDRAW)
        current.status = AssessmentStatus.DRAFT
        current.submitted_at = None
        current.full_clean(exclude=["lock_version"], validate_constraints=False)
        _bump(current, assessment, ["status", "submitted_at"])
        _event(assessment=current, kind=EventKind.WITHDRAWN, by=by)
    return assessment
