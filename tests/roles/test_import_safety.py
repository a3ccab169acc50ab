"""Imports that cannot surprise (issue 10): each broken import is refused with its message and
the database unchanged, and an import that changes nothing writes nothing."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from roles import importer
from roles.importer import ImportProblems, framework_import, read_file
from roles.management.commands.import_framework import NOTHING_CHANGED
from roles.models import (
    Expectation,
    LearningResource,
    Profession,
    Qualification,
    RoleLevel,
    Skill,
    SkillDescriptor,
)
from roles.opendata import csv_text, json_document
from roles.snapshot import build_snapshot
from tests.factories import PersonFactory, make_assessment_for_review, role_level_admin_data

pytestmark = pytest.mark.django_db

MODELS = (
    Profession,
    RoleLevel,
    Skill,
    SkillDescriptor,
    Expectation,
    LearningResource,
    Qualification,
)


def state():
    """Everything an import could write: rows, history entries and the levels' locks."""
    return (
        {model.__name__: model.objects.count() for model in MODELS},
        {model.__name__: model.history.count() for model in MODELS},
        sorted(RoleLevel.objects.values_list("pk", "lock_version", "rank")),
        sorted(Skill.objects.values_list("pk", "name", "description", "owner_id")),
        sorted(SkillDescriptor.objects.values_list("pk", "description")),
    )


def import_fails(tmp_path, profession, content, name="framework.json"):
    """Run the command on this text (or bytes) expecting failure; check nothing changed."""
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    before = state()
    with pytest.raises(CommandError) as caught:
        call_command("import_framework", str(path), profession=profession.slug)
    assert state() == before
    return str(caught.value)


def product_json(product):
    return json_document(product.versions.get())


def operations_skill(operations):
    return Skill.objects.filter(owner=operations).order_by("pk").first()


def skill_entry(profession, skill):
    """The skill exactly as the profession's working copy has it, in the file format."""
    return next(s for s in build_snapshot(profession)["skills"] if s["slug"] == skill.slug)


# --- skills owned by another profession ----------------------------------------------------
def test_a_file_that_changes_another_professions_skill_is_refused(tmp_path, product, operations):
    skill = operations_skill(operations)
    data = product_json(product)
    entry = skill_entry(operations, skill)
    entry["descriptors"]["working"] = "Product's words"
    data["skills"].append(entry)
    data["levels"][0]["expectations"].append({"skill": skill.slug, "proficiency": "working"})

    message = import_fails(tmp_path, product, json.dumps(data))

    index = len(data["skills"]) - 1
    expected = importer.SKILL_OWNED_ELSEWHERE.format(
        name=skill.name, owner="Operations", what="descriptors"
    )
    assert f"skills[{index}]: {expected}" in message


def test_a_file_may_use_another_professions_skill_as_it_is(product, operations):
    skill = operations_skill(operations)
    data = product_json(product)
    data["skills"].append(skill_entry(operations, skill))
    data["levels"][0]["expectations"].append({"skill": skill.slug, "proficiency": "working"})
    operations_before = build_snapshot(operations)

    summary = framework_import(profession=product, data=data)

    assert summary.created["expectations"] == 1
    assert Expectation.objects.filter(role_level__profession=product, skill=skill).exists()
    assert Skill.objects.get(pk=skill.pk).owner == operations
    assert build_snapshot(operations) == operations_before


def test_a_new_skill_in_a_file_is_owned_by_the_importing_profession(product):
    data = product_json(product)
    data["skills"].append({"name": "Brand new", "slug": "brand-new", "description": ""})
    data["levels"][0]["expectations"].append({"skill": "brand-new", "proficiency": "awareness"})

    framework_import(profession=product, data=data)

    assert Skill.objects.get(slug="brand-new").owner == product


# --- files that would remove too much ------------------------------------------------------
def test_a_csv_with_only_a_header_row_is_refused(tmp_path, product):
    slugs = ",".join(product.levels.order_by("rank").values_list("slug", flat=True))

    message = import_fails(tmp_path, product, f"skill,{slugs}\n", name="matrix.csv")

    assert f"row 2, column 1: {importer.NO_SKILL_ROWS}" in message


def test_a_file_that_removes_every_expectation_is_refused(tmp_path, product):
    data = product_json(product)
    for level in data["levels"]:
        level["expectations"] = []

    message = import_fails(tmp_path, product, json.dumps(data))

    assert importer.REMOVES_EVERYTHING.format(profession="Product management") in message


def test_a_file_with_no_levels_is_refused(tmp_path, product):
    data = product_json(product)
    data["levels"] = []

    message = import_fails(tmp_path, product, json.dumps(data))

    assert f"levels: {importer.NO_LEVELS}" in message


def test_a_file_without_levels_at_all_is_refused(tmp_path, product):
    data = product_json(product)
    del data["levels"]

    message = import_fails(tmp_path, product, json.dumps(data))

    assert f"file: {importer.NO_LEVELS}" in message


def test_removing_a_level_that_assessments_use_is_refused(tmp_path, product):
    version = product.versions.get()
    make_assessment_for_review(person=PersonFactory(), version=version, level_rank=1)
    data = product_json(product)
    first = data["levels"].pop(0)

    message = import_fails(tmp_path, product, json.dumps(data))

    assert f'levels: The level "{first["slug"]}" is not in the file, but 1 ' in message
    assert "1 self assessments use it, so it cannot be removed" in message


# --- files that are not what they seem -----------------------------------------------------
def test_a_nul_byte_is_refused_with_its_line(tmp_path, product):
    text = csv_text(product_json(product)).replace("\n", "\x00\n", 2)

    message = import_fails(tmp_path, product, text, name="matrix.csv")

    assert f"line 1: {importer.NUL_CHARACTER}" in message


def test_a_nul_character_inside_json_text_is_refused_with_its_path(tmp_path, product):
    data = product_json(product)
    data["levels"][1]["summary"] = "Leads\u0000 things"

    message = import_fails(tmp_path, product, json.dumps(data))

    assert f"levels[1].summary: {importer.NUL_CHARACTER}" in message


@pytest.mark.parametrize("depth", [50, 100_000])
def test_deeply_nested_json_is_refused_without_a_traceback(tmp_path, product, depth):
    data = product_json(product)
    text = json.dumps(data)[:-1] + ', "extra": ' + "[" * depth + "]" * depth + "}"

    message = import_fails(tmp_path, product, text)

    assert importer.TOO_DEEP.format(depth=importer.MAX_DEPTH) in message


def test_a_file_not_in_utf8_is_refused_with_the_line(tmp_path, product):
    text = csv_text(product_json(product))
    lines = text.splitlines()
    lines[2] = "Caf\u00e9 culture" + lines[2][lines[2].index(",") :]
    raw = "\n".join(lines).encode("latin-1")

    message = import_fails(tmp_path, product, raw, name="matrix.csv")

    assert f"line 3: {importer.NOT_UTF8}" in message
    assert "position" not in message


def test_schema_problems_are_addressed_by_path(tmp_path, product):
    data = product_json(product)
    data["levels"][2]["expectations"][0]["proficiency"] = 5
    data["levels"][0]["grades"] = "HEO"

    message = import_fails(tmp_path, product, json.dumps(data))

    assert "levels[2].expectations[0].proficiency: " in message
    assert f"levels[0].grades: {importer.NOT_A_LIST}" in message


def test_schema_problems_alone(product):
    problems = importer.schema_problems({"format": importer.FORMAT, "levels": [{"rank": "1"}]})

    assert problems == [f"levels[0].rank: {importer.BAD_RANK}"]


# --- an import that changes nothing --------------------------------------------------------
@pytest.mark.parametrize("kind", ["json", "csv"])
def test_an_import_that_changes_nothing_writes_nothing(head_client, product, kind):
    level = product.levels.order_by("rank").first()
    open_form = role_level_admin_data(level, summary="Edited while the import ran")
    document = product_json(product)
    text = json.dumps(document) if kind == "json" else csv_text(document)
    before = state()

    found, data = read_file(text.encode(), profession_slug=product.slug, kind=kind)
    summary = framework_import(profession=found, data=data)

    assert not summary.changed
    assert state() == before
    response = head_client.post(
        reverse("admin:roles_rolelevel_change", args=[level.pk]),
        {**open_form, "qualifications-TOTAL_FORMS": "0", "qualifications-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 302
    level.refresh_from_db()
    assert level.summary == "Edited while the import ran"


def test_an_import_that_changes_something_bumps_the_locks(product):
    data = product_json(product)
    data["levels"][0]["summary"] = "New summary"
    locks = dict(product.levels.values_list("pk", "lock_version"))

    framework_import(profession=product, data=data)

    assert all(
        lock == locks[pk] + 1 for pk, lock in product.levels.values_list("pk", "lock_version")
    )


def test_a_dry_run_says_what_would_change_and_changes_nothing(product):
    data = product_json(product)
    data["levels"][0]["summary"] = "New summary"
    before = state()

    summary = framework_import(profession=product, data=data, dry_run=True)

    assert summary.updated["levels"] == 1
    assert state() == before


def test_a_dry_run_reports_database_problems(product, operations):
    data = product_json(product)
    for level in data["levels"]:
        level["expectations"] = []

    with pytest.raises(ImportProblems) as caught:
        framework_import(profession=product, data=data, dry_run=True)

    assert caught.value.problems == [
        f"file: {importer.REMOVES_EVERYTHING.format(profession='Product management')}"
    ]


def test_the_command_says_when_nothing_changed(tmp_path, product, capsys):
    path = tmp_path / "same.json"
    path.write_text(json.dumps(product_json(product)), encoding="utf-8")
    before = state()

    call_command("import_framework", str(path), profession=product.slug)

    assert NOTHING_CHANGED.format(profession="Product management") in capsys.readouterr().out
    assert state() == before
