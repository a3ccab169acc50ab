"""assessments.outcomes: the capability summary is counted in the sign-off's own transaction,
and a rebuild from the ratings gives the same cells."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments import services
from assessments.models import AssessmentStatus, OutcomeCount
from assessments.outcomes import compare, outcome_counts_rebuild, quarter_of
from tests.factories import PersonFactory, make_assessment_for_review, make_person_at_level

pytestmark = pytest.mark.django_db


def cells():
    return sorted(
        OutcomeCount.objects.values_list(
            "department_id",
            "role_level_id",
            "grade",
            "quarter",
            "skill_id",
            "below",
            "meeting",
            "above",
        )
    )


def agree_and_sign_off(assessment, by, proficiencies):
    ratings = list(assessment.ratings.order_by("position"))
    saved = services.review_save(
        assessment=assessment,
        by=by,
        ratings={r.pk: (p, "") for r, p in zip(ratings, proficiencies, strict=True)},
        summary="",
        lock_version=assessment.lock_version,
    )
    return services.review_sign_off(assessment=assessment, by=by, lock_version=saved.lock_version)


@pytest.mark.parametrize(
    ("agreed", "expected", "where"),
    [
        ("awareness", "working", "below"),
        ("working", "working", "meeting"),
        ("expert", "practitioner", "above"),
        ("", "awareness", "below"),
    ],
)
def test_compare_places_an_agreed_proficiency_against_the_expected_one(agreed, expected, where):
    assert compare(agreed, expected) == where


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (datetime.date(2026, 1, 1), datetime.date(2026, 1, 1)),
        (datetime.date(2026, 3, 31), datetime.date(2026, 1, 1)),
        (datetime.date(2026, 4, 1), datetime.date(2026, 4, 1)),
        (datetime.date(2026, 12, 31), datetime.date(2026, 10, 1)),
    ],
)
def test_quarter_of(day, quarter):
    assert quarter_of(day) == quarter


def test_a_sign_off_is_counted_in_the_same_transaction(assessment, manager, author):
    # The first level expects Awareness of each of its three skills.
    signed = agree_and_sign_off(assessment, manager, ["awareness", "working", "expert"])

    quarter = quarter_of(signed.signed_off_at)
    level = assessment.role_level_id
    skills = [r.skill_id for r in assessment.ratings.order_by("position")]
    dept, grade = author.department_id, author.grade
    assert cells() == sorted(
        [
            (dept, level, grade, quarter, skills[0], 0, 1, 0),
            (dept, level, grade, quarter, skills[1], 0, 0, 1),
            (dept, level, grade, quarter, skills[2], 0, 0, 1),
        ]
    )


def test_two_sign_offs_in_one_cell_add_up(version, manager, assessment):
    other = make_person_at_level(
        version.profession,
        rank=1,
        line_manager=manager,
        department=assessment.person.department,
        grade=assessment.person.grade,
    )
    second = make_assessment_for_review(person=other, version=version)

    agree_and_sign_off(assessment, manager, ["awareness"] * 3)
    agree_and_sign_off(second, manager, ["awareness"] * 3)

    assert {(below, meeting, above) for *_key, below, meeting, above in cells()} == {(0, 2, 0)}


def test_a_refused_sign_off_counts_nothing(assessment, manager):
    with pytest.raises(ValidationError):
        services.review_sign_off(assessment=assessment, by=manager, lock_version=1)

    assert cells() == []


def test_returned_assessments_are_not_counted(assessment, manager):
    services.review_return(assessment=assessment, by=manager, reason="More", lock_version=1)

    assert cells() == []


def test_a_rebuild_gives_the_cells_the_sign_offs_counted(version, manager, assessment):
    agree_and_sign_off(assessment, manager, ["awareness", "awareness", "working"])
    later = make_assessment_for_review(
        person=PersonFactory(line_manager=manager),
        version=version,
        level_rank=2,
        status=AssessmentStatus.SIGNED_OFF,
        signed_off_at=timezone.now() - datetime.timedelta(days=200),
        reviewer=manager,
    )
    later.ratings.update(manager_proficiency="awareness")  # the second level expects Working
    agree_and_sign_off_counted = cells()

    count = outcome_counts_rebuild()

    rebuilt = cells()
    assert count == len(rebuilt) == 6
    # Sign-offs made through the service are counted the same way by the rebuild; the one
    # written straight to the database (as bulk loads do) is counted only by the rebuild.
    assert set(agree_and_sign_off_counted) < set(rebuilt)
    assert sum(row[5] for row in rebuilt) == 3  # the later assessment: all three below
