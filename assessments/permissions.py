"""Who may see and review which self-assessments (the access matrix in docs/architecture.md).

Every view uses these, and so do the tests. Someone else's record answers 404, never 403, so
that ids cannot be probed; 403 only where the person may see the record but not do what they
asked. What each side may change, and in which status, is assessments.lifecycle's table.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from people.permissions import is_above, is_line_manager_of, person_for

from .lifecycle import EDITABLE_BY, NOT_LINE_MANAGER, SIGNED_OFF_NO_CHANGE, Who
from .models import VISIBLE_TO_MANAGERS, AssessmentStatus, SelfAssessment

User = AbstractBaseUser | AnonymousUser

# What a line manager, or a manager further up, may see of a report's assessments is
# VISIBLE_TO_MANAGERS, defined with the model for the index that serves it.
EDITABLE_BY_AUTHOR = EDITABLE_BY[Who.AUTHOR]
REVIEWABLE = EDITABLE_BY[Who.LINE_MANAGER]
DECIDED = [AssessmentStatus.SIGNED_OFF, AssessmentStatus.RETURNED]


def can_view_assessment(user: User, assessment: SelfAssessment) -> bool:
    me = person_for(user)
    if me is not None and assessment.person_id == me.pk:
        return True
    # Drafts and returned assessments are private to their author, administrators included.
    if assessment.status not in VISIBLE_TO_MANAGERS:
        return False
    return user.is_superuser or is_above(me, assessment.person)


def can_review_assessment(user: User, assessment: SelfAssessment) -> bool:
    me = person_for(user)
    return is_line_manager_of(me, assessment.person) and assessment.status in REVIEWABLE


def _assessment_or_404(pk: object) -> SelfAssessment:
    try:
        return SelfAssessment.objects.select_related(
            "person", "framework_version", "role_level"
        ).get(pk=pk)
    except (SelfAssessment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such assessment") from None


def _not_for_author(user: User, assessment: SelfAssessment) -> None:
    """The author has their own pages: on a manager's URL their own assessment is 404."""
    me = person_for(user)
    if me is not None and assessment.person_id == me.pk:
        raise Http404("No such assessment")


def get_own_assessment(user: User, pk: object) -> SelfAssessment:
    """An assessment of the signed-in person's own; anyone else's is 404."""
    me = person_for(user)
    assessment = _assessment_or_404(pk)
    if me is None or assessment.person_id != me.pk:
        raise Http404("No such assessment")
    return assessment


def get_assessment_for_viewer(user: User, pk: object) -> SelfAssessment:
    assessment = _assessment_or_404(pk)
    if not can_view_assessment(user, assessment):
        raise Http404("No such assessment")
    return assessment


def get_report_assessment(user: User, pk: object) -> SelfAssessment:
    """A report's assessment, read only: for its line manager, managers further up and service
    administrators; the author and anyone who may not see it get 404."""
    assessment = get_assessment_for_viewer(user, pk)
    _not_for_author(user, assessment)
    return assessment


def get_assessment_for_reviewer(user: User, pk: object) -> SelfAssessment:
    """An assessment the signed-in person may review: 404 unless they may see it, 403 if they
    may see it but not review it (a manager further up, or a signed-off assessment)."""
    assessment = get_report_assessment(user, pk)
    if assessment.status == AssessmentStatus.SIGNED_OFF:
        raise PermissionDenied(SIGNED_OFF_NO_CHANGE)
    if not can_review_assessment(user, assessment):
        raise PermissionDenied(NOT_LINE_MANAGER)
    return assessment


def get_decided_for_line_manager(user: User, pk: object) -> SelfAssessment:
    """The line manager's own decided (signed-off or returned) assessment, for the page that
    confirms the decision: a returned one is no longer theirs to see elsewhere. Those who may
    only read it get 403, anyone else 404."""
    assessment = _assessment_or_404(pk)
    _not_for_author(user, assessment)
    if is_line_manager_of(person_for(user), assessment.person) and assessment.status in DECIDED:
        return assessment
    if can_view_assessment(user, assessment):
        raise PermissionDenied(NOT_LINE_MANAGER)
    raise Http404("No such assessment")


def review_moved_to(user: User, pk: object) -> str | None:
    """Where a review link (an emailed one, a bookmark) leads someone who may not, or no
    longer, review the assessment: the read-only record for anyone who may read it (after
    sign-off, or for a manager further up), the decision for the line manager who returned it.
    None when they may not see it at all, so the caller answers as before (404)."""
    try:
        assessment = _assessment_or_404(pk)
        _not_for_author(user, assessment)
    except Http404:
        return None
    if can_view_assessment(user, assessment):
        return reverse("assessments:team_assessment", args=[assessment.pk])
    me = person_for(user)
    if assessment.status == AssessmentStatus.RETURNED and is_line_manager_of(me, assessment.person):
        return reverse("assessments:review_done", args=[assessment.pk])
    return None
