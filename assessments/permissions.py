"""Who may see and change which self-assessments (the access matrix in docs/architecture.md).

Views and templates both use these. Someone else's record answers 404, never 403, so that ids
cannot be probed; 403 only where the person may see the record but not do what they asked.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from people.permissions import is_above, is_line_manager_of, person_for

from .models import AssessmentStatus, SelfAssessment

# What a line manager, or a manager further up, may see of a report's assessments.
VISIBLE_TO_MANAGERS = [
    AssessmentStatus.SUBMITTED,
    AssessmentStatus.IN_REVIEW,
    AssessmentStatus.SIGNED_OFF,
]
REVIEWABLE = [AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW]
EDITABLE_BY_AUTHOR = [AssessmentStatus.DRAFT, AssessmentStatus.RETURNED]

CANNOT_CHANGE_SIGNED_OFF = "This assessment has been signed off and can no longer change"
ONLY_LINE_MANAGER_REVIEWS = "Only their line manager can review this assessment"


def can_view_assessment(user, assessment):
    me = person_for(user)
    if me is not None and assessment.person_id == me.pk:
        return True
    # Drafts and returned assessments are private to their author, administrators included.
    if assessment.status not in VISIBLE_TO_MANAGERS:
        return False
    return user.is_superuser or is_above(me, assessment.person)


def can_review_assessment(user, assessment):
    me = person_for(user)
    return is_line_manager_of(me, assessment.person) and assessment.status in REVIEWABLE


def _assessment_or_404(pk):
    try:
        return SelfAssessment.objects.select_related(
            "person", "framework_version", "role_level"
        ).get(pk=pk)
    except (SelfAssessment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such assessment") from None


def get_assessment_for_viewer(user, pk):
    assessment = _assessment_or_404(pk)
    if not can_view_assessment(user, assessment):
        raise Http404("No such assessment")
    return assessment


def get_own_assessment(user, pk):
    """An assessment of the signed-in person's own; anyone else's is 404."""
    me = person_for(user)
    assessment = _assessment_or_404(pk)
    if me is None or assessment.person_id != me.pk:
        raise Http404("No such assessment")
    return assessment


def get_assessment_for_reviewer(user, pk):
    """An assessment the signed-in person may review: 404 unless they may see it, 403 if they
    may see it but not review it (a manager further up, or a signed-off assessment)."""
    assessment = get_assessment_for_viewer(user, pk)
    if assessment.person_id == getattr(person_for(user), "pk", None):
        raise Http404("No such assessment")  # nobody reviews their own
    if assessment.status == AssessmentStatus.SIGNED_OFF:
        raise PermissionDenied(CANNOT_CHANGE_SIGNED_OFF)
    if not can_review_assessment(user, assessment):
        raise PermissionDenied(ONLY_LINE_MANAGER_REVIEWS)
    return assessment
