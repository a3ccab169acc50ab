"""The rules in people/permissions.py, one role at a time (views test them again end to end)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from assessments.models import AssessmentStatus
from assessments.permissions import (
    can_view_assessment,
    get_assessment_for_reviewer,
    get_own_assessment,
)
from tests.factories import PersonFactory, UserFactory, make_assessment_for_review, make_framework


@pytest.fixture
def world(db):
    _profession, version = make_framework(levels=2, skills=2)
    director = PersonFactory()
    manager = PersonFactory(line_manager=director)
    author = PersonFactory(line_manager=manager)
    colleague = PersonFactory(line_manager=manager)
    admin = UserFactory(is_staff=True, is_superuser=True)
    return {
        "version": version,
        "author": author,
        "manager": manager,
        "director": director,
        "colleague": colleague,
        "admin": admin,
    }


def assessment(world, status):
    extra = {}
    if status == AssessmentStatus.RETURNED:
        extra["return_reason"] = "Add evidence"
    if status == AssessmentStatus.SIGNED_OFF:
        extra.update(signed_off_at=timezone.now(), reviewer=world["manager"])
    return make_assessment_for_review(
        person=world["author"], version=world["version"], status=status, **extra
    )


@pytest.mark.parametrize(
    ("status", "manager", "director", "colleague", "admin"),
    [
        (AssessmentStatus.DRAFT, False, False, False, False),
        (AssessmentStatus.RETURNED, False, False, False, False),
        (AssessmentStatus.SUBMITTED, True, True, False, True),
        (AssessmentStatus.IN_REVIEW, True, True, False, True),
        (AssessmentStatus.SIGNED_OFF, True, True, False, True),
    ],
)
def test_who_can_see_an_assessment(world, status, manager, director, colleague, admin):
    record = assessment(world, status)

    assert can_view_assessment(world["author"].user, record) is True
    assert can_view_assessment(world["manager"].user, record) is manager
    assert can_view_assessment(world["director"].user, record) is director
    assert can_view_assessment(world["colleague"].user, record) is colleague
    assert can_view_assessment(world["admin"], record) is admin
    assert can_view_assessment(AnonymousUser(), record) is False


def test_only_the_author_gets_their_own_assessment(world):
    record = assessment(world, AssessmentStatus.DRAFT)

    assert get_own_assessment(world["author"].user, record.pk) == record
    for other in (world["manager"].user, world["admin"]):
        with pytest.raises(Http404):
            get_own_assessment(other, record.pk)


def test_reviewing_is_for_the_line_manager_only(world):
    record = assessment(world, AssessmentStatus.SUBMITTED)

    assert get_assessment_for_reviewer(world["manager"].user, record.pk) == record
    with pytest.raises(PermissionDenied):
        get_assessment_for_reviewer(world["director"].user, record.pk)
    with pytest.raises(PermissionDenied):
        get_assessment_for_reviewer(world["admin"], record.pk)
    for outsider in (world["colleague"].user, world["author"].user):
        with pytest.raises(Http404):
            get_assessment_for_reviewer(outsider, record.pk)


def test_the_author_gets_404_on_reviewing_their_own_even_when_signed_off(world):
    record = assessment(world, AssessmentStatus.SIGNED_OFF)

    with pytest.raises(Http404):
        get_assessment_for_reviewer(world["author"].user, record.pk)
    with pytest.raises(PermissionDenied):
        get_assessment_for_reviewer(world["manager"].user, record.pk)


@pytest.mark.parametrize("forged", ["abc", "", None, 10**12])
def test_a_forged_id_is_404(world, forged):
    with pytest.raises(Http404):
        get_assessment_for_reviewer(world["manager"].user, forged)
