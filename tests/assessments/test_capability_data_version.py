"""assessments.CapabilityDataVersion: the database gives it a new token whenever anything a
capability report reads changes, however it is written, so that the reports insights keeps are
never stale."""

import datetime

import pytest
from django.db import connection

from assessments.capability_data import triggers_install
from assessments.models import CapabilityDataVersion, OutcomeCount
from assessments.outcomes import _upsert, outcome_counts_rebuild
from people.models import Department
from roles.models import PrioritySkill, RoleLevel, Skill
from tests.factories import DepartmentFactory, SkillFactory

pytestmark = pytest.mark.django_db

QUARTER = datetime.date(2026, 10, 1)


def token():
    return CapabilityDataVersion.objects.values_list("token", flat=True).get()


@pytest.fixture
def key(framework, author):
    profession, _version = framework
    level = author.role_level
    skill = level.expectations.first().skill
    return {
        "profession": profession,
        "department": DepartmentFactory(),  # nobody works there: it may be deleted
        "role_level": level,
        "grade": "EO",
        "quarter": QUARTER,
        "skill": skill,
    }


def ids(key):
    return (
        key["profession"].pk,
        key["department"].pk,
        key["role_level"].pk,
        key["grade"],
        QUARTER,
        key["skill"].pk,
    )


WRITES = {
    "create": lambda key, cell: OutcomeCount.objects.create(**key | {"grade": "SEO"}, below=1),
    "save": lambda key, cell: (setattr(cell, "meeting", 7), cell.save()),
    "queryset update": lambda key, cell: OutcomeCount.objects.update(above=3),
    "delete": lambda key, cell: cell.delete(),
    "queryset delete": lambda key, cell: OutcomeCount.objects.all().delete(),
    "bulk create": lambda key, cell: OutcomeCount.objects.bulk_create(
        [OutcomeCount(**key | {"grade": "SEO"})]
    ),
    "bulk create ignoring conflicts": lambda key, cell: OutcomeCount.objects.bulk_create(
        [OutcomeCount(**key | {"grade": "SEO"})], ignore_conflicts=True
    ),
    "a sign-off's upsert into an existing cell": lambda key, cell: _upsert([(*ids(key), 1, 0, 0)]),
    "a sign-off's upsert into a new cell": lambda key, cell: _upsert(
        [(*ids(key | {"grade": "SEO"}), 0, 1, 0)]
    ),
    "a rebuild": lambda key, cell: outcome_counts_rebuild(),
    "deleting a department (a cascade)": lambda key, cell: Department.objects.filter(
        pk=key["department"].pk
    ).delete(),
    "renaming a department": lambda key, cell: Department.objects.filter(
        pk=key["department"].pk
    ).update(acronym="NEW"),
    "a new department": lambda key, cell: DepartmentFactory(),
    "renaming a level": lambda key, cell: RoleLevel.objects.filter(pk=key["role_level"].pk).update(
        name="Renamed"
    ),
    "renaming a skill": lambda key, cell: Skill.objects.filter(pk=key["skill"].pk).update(
        name="Renamed"
    ),
    "a new skill": lambda key, cell: SkillFactory(),
    "a priority skill": lambda key, cell: PrioritySkill.objects.create(
        profession=key["profession"], skill=key["skill"], year=2026
    ),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_to_what_a_report_reads_gives_a_new_token(key, write):
    cell = OutcomeCount.objects.create(**key, below=2)
    before = token()

    write(key, cell)

    assert token() != before


def test_the_token_stays_while_nothing_a_report_reads_changes(key, author):
    OutcomeCount.objects.create(**key, below=2)
    before = token()

    list(OutcomeCount.objects.all())
    author.name = "Someone else"
    author.save()

    assert token() == before


def test_a_new_token_is_never_one_seen_before(key):
    cell = OutcomeCount.objects.create(**key)
    seen = {token()}
    for _ in range(20):
        cell.below += 1
        cell.save()
        seen.add(token())

    assert len(seen) == 21


def test_the_token_comes_back_when_its_row_was_removed(key):
    CapabilityDataVersion.objects.all().delete()
    OutcomeCount.objects.create(**key)

    assert token()


def test_installing_again_keeps_one_set_of_triggers_and_gives_a_new_token(key):
    before = token()

    assert triggers_install(connection)
    assert triggers_install(connection)
    after = token()
    OutcomeCount.objects.create(**key)

    assert before != after != token()
