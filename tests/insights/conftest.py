"""A profession with two departments and a summary of signed-off outcomes to report on.

The report's input is assessments.OutcomeCount; most tests write its cells directly (what
sign-offs and rebuilds produce is tested in tests/assessments/test_outcomes.py), and one test
goes end to end from signed-off assessments.
"""

import datetime

import pytest

from assessments.models import OutcomeCount
from roles.models import RoleLevel, Skill
from tests.factories import DepartmentFactory, make_framework

TODAY = datetime.date(2026, 11, 26)
THIS_QUARTER = datetime.date(2026, 10, 1)
LAST_QUARTER = datetime.date(2026, 7, 1)


@pytest.fixture
def world(db):
    profession, version = make_framework(levels=2, skills=3)
    levels = list(RoleLevel.objects.filter(profession=profession).order_by("rank"))
    skills = list(Skill.objects.filter(expectations__role_level__profession=profession).distinct())
    skills.sort(key=lambda skill: skill.pk)
    return {
        "profession": profession,
        "version": version,
        "levels": levels,
        "skills": skills,
        "dwp": DepartmentFactory(name="Department for Work and Pensions", acronym="DWP"),
        "hmrc": DepartmentFactory(name="HM Revenue and Customs", acronym="HMRC"),
    }


@pytest.fixture
def count(world):
    """count(skill index, below, meeting, above, department="dwp", level=0, grade="EO",
    quarter=THIS_QUARTER): add to a summary cell."""

    def add(skill, below, meeting, above, *, department="dwp", level=0, grade="EO", quarter=None):
        cell, _ = OutcomeCount.objects.get_or_create(
            profession=world["profession"],
            department=world[department],
            role_level=world["levels"][level],
            grade=grade,
            quarter=quarter or THIS_QUARTER,
            skill=world["skills"][skill],
        )
        cell.below += below
        cell.meeting += meeting
        cell.above += above
        cell.save()
        return cell

    return add
