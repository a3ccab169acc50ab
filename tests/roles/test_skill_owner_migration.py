"""The migration that gives every existing skill an owning profession (roles 0004_skill_owner)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("roles", "0003_qualifications")]
AFTER = [("roles", "0004_skill_owner")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_skills_go_to_the_profession_that_uses_them_most():
    apps = migrate(BEFORE)
    Profession = apps.get_model("roles", "Profession")
    RoleLevel = apps.get_model("roles", "RoleLevel")
    Skill = apps.get_model("roles", "Skill")
    Expectation = apps.get_model("roles", "Expectation")
    PrioritySkill = apps.get_model("roles", "PrioritySkill")
    first = Profession.objects.create(name="First", slug="first")
    second = Profession.objects.create(name="Second", slug="second")
    first_levels = [RoleLevel.objects.create(profession=first, name="F1", slug="f1", rank=1)]
    second_levels = [
        RoleLevel.objects.create(profession=second, name=f"S{rank}", slug=f"s{rank}", rank=rank)
        for rank in (1, 2)
    ]
    mostly_second = Skill.objects.create(name="Mostly second", slug="mostly-second")
    tied = Skill.objects.create(name="Tied", slug="tied")
    prioritised = Skill.objects.create(name="Prioritised", slug="prioritised")
    Skill.objects.create(name="Unused", slug="unused")
    for level in [*first_levels, *second_levels]:
        Expectation.objects.create(role_level=level, skill=mostly_second, proficiency="working")
    Expectation.objects.create(role_level=first_levels[0], skill=tied, proficiency="working")
    Expectation.objects.create(role_level=second_levels[0], skill=tied, proficiency="working")
    PrioritySkill.objects.create(profession=second, skill=prioritised, year=2026)

    apps = migrate(AFTER)

    owners = dict(apps.get_model("roles", "Skill").objects.values_list("slug", "owner__slug"))
    assert owners == {
        "mostly-second": "second",
        "tied": "first",  # a tie goes to the lowest profession id
        "prioritised": "second",
        "unused": "first",  # used by none: the oldest profession
    }
