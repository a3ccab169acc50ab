"""The rules in assessments/permissions.py, one role at a time (the views test them end to end)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessments.models import AssessmentStatus
from assessments.permissions import (
    can_view_assessment,
    get_assessment_for_reviewer,
    get_own_assessment,
)


@pytest.mark.parametrize(
    ("status", "manager_sees", "director_sees", "colleague_sees", "admin_sees"),
    [
        (AssessmentStatus.DRAFT, False, False, False, False),
        (AssessmentStatus.RETURNED, False, False, False, False),
        (AssessmentStatus.SUBMITTED, True, True, False, True),
        (AssessmentStatus.IN_REVIEW, True, True, False, True),
        (AssessmentStatus.SIGNED_OFF, True, True, False, True),
    ],
)
def test_who_can_see_an_assessment(
    assessment_in,
    author,
    manager,
    director,
    colleague,
    admin_user,
    status,
    manager_sees,
    director_sees,
    colleague_sees,
    admin_sees,
):
    record = assessment_in(status)

    assert can_view_assessment(author.user, record) is True
    assert can_view_assessment(manager.user, record) is manager_sees
    assert can_view_assessment(director.user, record) is director_sees
    assert can_view_assessment(colleague.user, record) is colleague_sees
    assert can_view_assessment(admin_user, record) is admin_sees
    assert can_view_assessment(AnonymousUser(), record) is False


def test_only_the_author_gets_their_own_assessment(assessment_in, author, manager, admin_user):
    record = assessment_in(AssessmentStatus.DRAFT)

    assert get_own_assessment(author.user, record.pk) == record
    for other in (manager.user, admin_user):
        with pytest.raises(Http404):
            get_own_assessment(other, record.pk)


def test_reviewing_is_for_the_line_manager_only(
    assessment_in, author, manager, director, colleague, admin_user
):
    record = assessment_in(AssessmentStatus.SUBMITTED)

    assert get_assessment_for_reviewer(manager.user, record.pk) == record
    with pytest.raises(PermissionDenied):
        get_assessment_for_reviewer(director.user, record.pk)
    with pytest.raises(PermissionDenied):
        get_assessment_for_reviewer(admin_user, record.pk)
    for outsider in (colleague.user, author.user):
        with pytest.raises(Http404):
            get_assessment_for_reviewer(outsider, record.pk)


def test_the_author_gets_404_on_reviewing_their_own_even_when_signed_off(
    assessment_in, author, manager
):
    record = assessment_in(AssessmentStatus.SIGNED_OFF)

    with pytest.raises(Http404):
        get_assessment_for_reviewer(author.user, record.pk)
    with pytest.raises(PermissionDenied):
        get_assessment_for_reviewer(manager.user, record.pk)


@pytest.mark.parametrize("forged", ["abc", "", None, 10**12])
def test_a_forged_id_is_404(manager, forged):
    with pytest.raises(Http404):
        get_assessment_for_reviewer(manager.user, forged)
