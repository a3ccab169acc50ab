import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from roles import importer
from roles.importer import ImportProblems, framework_import
from roles.models import (
    Expectation,
    FrameworkVersion,
    LearningResource,
    Qualification,
    RoleLevel,
    Skill,
    SkillDescriptor,
)
from roles.opendata import csv_text, json_document
from roles.services import framework_publish
from roles.snapshot import build_snapshot
from tests.factories import (
    ExpectationFactory,
    RoleLevelFactory,
    make_framework,
    make_head_of_profession,
    role_level_admin_data,
)

MODELS = (
    RoleLevel,
    Skill,
    SkillDescriptor,
    Expectation,
    LearningResource,
    Qualification,
    FrameworkVersion,
)


def state(profession):
    """Everything an import could change."""
    return (
        build_snapshot(profession),
        {model.__name__: model.objects.count() for model in MODELS},
    )


def run(tmp_path, profession_slug, text, name="framework.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    call_command("import_framework", str(path), profession=profession_slug)


def import_fails(tmp_path, profession, text, name="framework.csv"):
    """Run the command expecting failure; check nothing changed; return the error text."""
    before = state(profession)
    with pytest.raises(CommandError) as caught:
        run(tmp_path, profession.slug, text, name)
    assert state(profession) == before
    return str(caught.value)


@pytest.fixture
def framework(db):
    """A published profession with 3 levels and 2 skills; the working copy equals version 1."""
    return make_framework(levels=3, skills=2)


def header(profession):
    slugs = RoleLevel.objects.filter(profession=profession).values_list("slug", flat=True)
    return "skill," + ",".join(slugs)


def exported_json(version):
    return json.dumps(json_document(version))


# --- CSV problems ----------------------------------------------------------------------------
def test_unknown_proficiency_in_csv(tmp_path, framework):
    profession, _ = framework
    text = f"{header(profession)}\nNew skill,awareness,brilliant,expert\n"

    message = import_fails(tmp_path, profession, text)

    expected = importer.UNKNOWN_PROFICIENCY.format(value="brilliant")
    assert f"row 2, column 3: {expected}" in message
    assert importer.PROBLEMS_FOUND.format(count=1) in message


def test_duplicate_skill_in_csv(tmp_path, framework):
    profession, _ = framework
    text = f"{header(profession)}\nSkill A,awareness,,\nskill a,working,,\n"

    message = import_fails(tmp_path, profession, text)

    assert f"row 3, column 1: {importer.DUPLICATE_SKILL.format(value='skill a')}" in message


def test_duplicate_level_in_csv_header(tmp_path, framework):
    profession, _ = framework
    slug = RoleLevel.objects.filter(profession=profession).first().slug
    text = f"skill,{slug},{slug.replace('-', '_')}\nSkill A,awareness,working\n"

    message = import_fails(tmp_path, profession, text)

    expected = importer.DUPLICATE_LEVEL.format(value=slug.replace("-", "_"))
    assert f"row 1, column 3: {expected}" in message


def test_empty_skill_name_in_csv(tmp_path, framework):
    profession, _ = framework
    text = f"{header(profession)}\n ,awareness,,\n"

    message = import_fails(tmp_path, profession, text)

    assert f"row 2, column 1: {importer.EMPTY_NAME}" in message


def test_empty_level_in_csv_header(tmp_path, framework):
    profession, _ = framework
    text = f"{header(profession)},\nSkill A,awareness,,,\n"

    message = import_fails(tmp_path, profession, text)

    assert f"row 1, column 5: {importer.EMPTY_NAME}" in message


def test_wrong_header_in_csv(tmp_path, framework):
    profession, _ = framework
    text = header(profession).replace("skill,", "name,", 1) + "\nSkill A,awareness,,\n"

    message = import_fails(tmp_path, profession, text)

    assert f"row 1, column 1: {importer.WRONG_HEADER.format(value='name')}" in message


def test_unknown_level_in_csv_header(tmp_path, framework):
    profession, _ = framework
    text = f"{header(profession)},chief_wizard\nSkill A,awareness,,,expert\n"

    message = import_fails(tmp_path, profession, text)

    expected = importer.UNKNOWN_LEVEL.format(value="chief_wizard", profession=profession.name)
    assert f"row 1, column 5: {expected}" in message


def test_wrong_number_of_cells_in_csv(tmp_path, framework):
    profession, _ = framework
    text = f"{header(profession)}\nSkill A,awareness\n"

    message = import_fails(tmp_path, profession, text)

    expected = importer.WRONG_CELL_COUNT.format(count=2, expected=4)
    assert f"row 2, column 1: {expected}" in message


def test_empty_csv(tmp_path, framework):
    profession, _ = framework

    message = import_fails(tmp_path, profession, "\n\n")

    assert f"file: {importer.EMPTY_FILE}" in message


def test_every_problem_in_a_csv_is_reported_at_once(tmp_path, framework):
    profession, _ = framework
    text = (
        f"{header(profession).replace('skill,', 'skills,', 1)},nowhere\n"
        "Skill A,awareness,great,,\n"
        ",working,,,\n"
        "Skill A,working,,,superb\n"
    )

    message = import_fails(tmp_path, profession, text)

    assert importer.PROBLEMS_FOUND.format(count=6) in message
    for where in (
        "row 1, column 1",
        "row 1, column 5",
        "row 2, column 3",
        "row 3, column 1",
        "row 4, column 1",
        "row 4, column 5",
    ):
        assert where in message


# --- JSON problems ---------------------------------------------------------------------------
def test_bad_json(tmp_path, framework):
    profession, _ = framework

    message = import_fails(tmp_path, profession, '{"format": ', name="f.json")

    assert "file: The file is not valid JSON (" in message


def test_wrong_format_marker(tmp_path, framework):
    profession, version = framework
    data = json_document(version)
    data["format"] = "something-else/2"

    message = import_fails(tmp_path, profession, json.dumps(data), name="f.json")

    expected = importer.WRONG_FORMAT.format(
        expected="careerpath-framework/1", value="something-else/2"
    )
    assert f"format: {expected}" in message


def test_unknown_proficiency_in_json(tmp_path, framework):
    profession, version = framework
    data = json_document(version)
    data["levels"][1]["expectations"][0]["proficiency"] = "guru"
    data["skills"][0]["descriptors"]["wizard"] = "Magic"

    message = import_fails(tmp_path, profession, json.dumps(data), name="f.json")

    expected = importer.UNKNOWN_PROFICIENCY.format(value="guru")
    assert f"levels[1].expectations[0].proficiency: {expected}" in message
    expected = importer.UNKNOWN_PROFICIENCY.format(value="wizard")
    assert f"skills[0].descriptors.wizard: {expected}" in message


def test_duplicate_skill_in_json(tmp_path, framework):
    profession, version = framework
    data = json_document(version)
    data["skills"].append(dict(data["skills"][0]))
    data["levels"][0]["expectations"].append(dict(data["levels"][0]["expectations"][0]))

    message = import_fails(tmp_path, profession, json.dumps(data), name="f.json")

    name, slug = data["skills"][0]["name"], data["skills"][0]["slug"]
    assert f"skills[2].name: {importer.DUPLICATE_SKILL.format(value=name)}" in message
    assert f"skills[2].slug: {importer.DUPLICATE_SKILL.format(value=slug)}" in message
    assert f"levels[0].expectations[2].skill: {importer.DUPLICATE_SKILL.format(value=slug)}" in (
        message
    )


def test_duplicate_level_in_json(tmp_path, framework):
    profession, version = framework
    data = json_document(version)
    copy = dict(data["levels"][0], rank=9)
    data["levels"].append(copy)

    message = import_fails(tmp_path, profession, json.dumps(data), name="f.json")

    assert f"levels[3].slug: {importer.DUPLICATE_LEVEL.format(value=copy['slug'])}" in message
    assert f"levels[3].name: {importer.DUPLICATE_LEVEL.format(value=copy['name'])}" in message


def test_empty_names_in_json(tmp_path, framework):
    profession, version = framework
    data = json_document(version)
    data["levels"][2]["name"] = "  "
    data["skills"][1]["name"] = ""

    message = import_fails(tmp_path, profession, json.dumps(data), name="f.json")

    assert f"levels[2].name: {importer.EMPTY_NAME}" in message
    assert f"skills[1].name: {importer.EMPTY_NAME}" in message


def test_empty_and_bad_slugs_in_json(tmp_path, framework):
    profession, version = framework
    data = json_document(version)
    data["levels"][0]["slug"] = ""
    data["levels"][1]["slug"] = "level one!"
    data["skills"][0]["slug"] = "skill/one"
    data["skills"][1]["slug"] = ""

    message = import_fails(tmp_path, profession, json.dumps(data), name="f.json")

    assert f"levels[0].slug: {importer.EMPTY_VALUE.format(what='slug')}" in message
    assert f"levels[1].slug: {importer.BAD_SLUG.format(value='level one!')}" in message
    assert f"skills[0].slug: {importer.BAD_SLUG.format(value='skill/one')}" in message
    assert f"skills[1].slug: {importer.EMPTY_VALUE.format(what='slug')}" in message


def test_a_skill_name_that_belongs_to_another_skill_in_json(tmp_path, framework):
    profession, version = framework
    data = json_document(version)
    name, slug = data["skills"][0]["name"], data["skills"][0]["slug"]
    data["skills"][0]["slug"] = "a-new-slug"
    for level in data["levels"]:
        for expectation in level["expectations"]:
            if expectation["skill"] == slug:
                expectation["skill"] = "a-new-slug"

    message = import_fails(tmp_path, profession, json.dumps(data), name="f.json")

    expected = importer.SKILL_NAME_TAKEN.format(value=name, other=slug)
    assert f"skills[0].name: {expected}" in message
    assert importer.PROBLEMS_FOUND.format(count=1) in message


def test_other_json_problems_each_with_a_path(tmp_path, framework):
    profession, version = framework
    data = json_document(version)
    data["levels"][0]["rank"] = 0
    data["levels"][1]["grades"] = ["G99"]
    data["levels"][2]["expectations"][0]["skill"] = "ghost"
    data["skills"][0]["resources"][0]["kind"] = "rumour"
    data["skills"][0]["resources"][0]["url"] = "not a url"

    message = import_fails(tmp_path, profession, json.dumps(data), name="f.json")

    assert importer.PROBLEMS_FOUND.format(count=5) in message
    assert f"levels[0].rank: {importer.BAD_RANK}" in message
    assert "levels[1].grades[0]: " + '"G99" is not a grade' in message
    assert f"levels[2].expectations[0].skill: {importer.UNKNOWN_SKILL.format(value='ghost')}" in (
        message
    )
    assert 'skills[0].resources[0].kind: "rumour" is not a kind' in message
    assert f"skills[0].resources[0].url: {importer.BAD_URL.format(value='not a url')}" in message


def test_wrong_types_and_too_long_text_in_json(tmp_path, framework):
    profession, version = framework
    data = json_document(version)
    data["levels"][0]["summary"] = "x" * 301
    data["levels"][1]["name"] = 7
    data["levels"][2]["expectations"][0]["proficiency"] = ["working"]
    data["skills"][0]["descriptors"]["working"] = {"text": "no"}
    data["profession"] = "Operations"

    message = import_fails(tmp_path, profession, json.dumps(data), name="f.json")

    assert importer.PROBLEMS_FOUND.format(count=5) in message
    assert f"levels[0].summary: {importer.TOO_LONG.format(length=301, max_length=300)}" in message
    assert f"levels[1].name: {importer.NOT_TEXT}" in message
    assert "levels[2].expectations[0].proficiency: " in message
    assert f"skills[0].descriptors.working: {importer.NOT_TEXT}" in message
    assert f"profession: {importer.NOT_AN_OBJECT}" in message


def test_unreadable_file(tmp_path, framework):
    profession, _ = framework

    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_framework", str(tmp_path / "missing.csv"), profession=profession.slug)


def test_unknown_profession(tmp_path, framework):
    profession, _ = framework

    before = state(profession)
    with pytest.raises(CommandError) as caught:
        run(tmp_path, "no-such-profession", f"{header(profession)}\nSkill A,awareness,,\n")

    assert state(profession) == before
    expected = importer.UNKNOWN_PROFESSION.format(value="no-such-profession")
    assert f"--profession: {expected}" in str(caught.value)


def test_framework_import_rechecks_forged_data(framework):
    profession, version = framework
    data = json_document(version)
    data["levels"][0]["expectations"][0]["proficiency"] = "legendary"
    before = state(profession)

    with pytest.raises(ImportProblems) as caught:
        framework_import(profession=profession, data=data)

    assert state(profession) == before
    assert caught.value.problems == [
        "levels[0].expectations[0].proficiency: "
        + importer.UNKNOWN_PROFICIENCY.format(value="legendary")
    ]
    forged_csv = {"format": importer.CSV_FORMAT, "levels": ["not-a-level"], "rows": []}
    with pytest.raises(ImportProblems):
        framework_import(profession=profession, data=forged_csv)
    assert state(profession) == before


# --- round trips and effects ---------------------------------------------------------------
def empty_working_copy(profession):
    RoleLevel.objects.filter(profession=profession).delete()


def test_json_round_trip_gives_back_the_same_framework(tmp_path, framework, client):
    profession, version = framework
    exported = client.get(reverse("roles:framework_json", args=[profession.slug])).content
    empty_working_copy(profession)
    Skill.objects.filter(expectations__isnull=True).delete()

    run(tmp_path, profession.slug, exported.decode(), name="export.json")

    assert FrameworkVersion.objects.filter(profession=profession).count() == 1
    again = framework_publish(profession=profession, by=None, change_note="Re-imported")
    assert again.content == version.content


def test_json_import_makes_a_changed_working_copy_match_the_file(tmp_path, framework):
    profession, version = framework
    levels = list(RoleLevel.objects.filter(profession=profession).order_by("rank"))
    # Swap two ranks, rename one, add a level and an expectation: the import undoes it all.
    levels[0].rank, levels[1].rank = 90, 91
    levels[0].save()
    levels[1].save()
    levels[0].rank, levels[1].rank = 2, 1
    levels[0].name = "Changed"
    levels[0].save()
    levels[1].save()
    extra = RoleLevelFactory(profession=profession, rank=4)
    ExpectationFactory(role_level=extra)
    SkillDescriptor.objects.filter(proficiency="expert").delete()

    summary = framework_import(profession=profession, data=json_document(version))

    assert build_snapshot(profession) == version.content
    assert summary.removed["levels"] == 1
    assert summary.removed["skills"] == 1  # the extra level's skill, used by nobody now
    assert summary.created["descriptors"] == 2
    assert summary.updated["levels"] == 2


def test_json_import_keeps_skills_other_professions_use(framework):
    profession, version = framework
    other, _ = make_framework(levels=1, skills=0)
    shared = Skill.objects.get(slug=version.content["skills"][0]["slug"])
    ExpectationFactory(role_level=other.levels.get(), skill=shared)
    data = json_document(version)
    data["skills"] = data["skills"][1:]
    for level in data["levels"]:
        level["expectations"] = [e for e in level["expectations"] if e["skill"] != shared.slug]

    summary = framework_import(profession=profession, data=data)

    assert Skill.objects.filter(pk=shared.pk).exists()
    assert Expectation.objects.filter(skill=shared, role_level__profession=other).exists()
    assert not Expectation.objects.filter(skill=shared, role_level__profession=profession).exists()
    assert summary.removed["expectations"] == 3
    assert summary.removed["skills"] == 0


def test_csv_round_trip_for_expectations(tmp_path, framework):
    profession, version = framework
    Expectation.objects.filter(role_level__profession=profession).delete()
    text = csv_text(version.content).replace("-", "_")  # the shared CSV spells slugs with _

    run(tmp_path, profession.slug, text)

    again = framework_publish(profession=profession, by=None, change_note="Matrix re-imported")
    assert csv_text(again.content) == csv_text(version.content)
    assert [level["expectations"] for level in again.content["levels"]] == [
        level["expectations"] for level in version.content["levels"]
    ]


def test_csv_import_creates_new_skills_and_removes_unlisted_expectations(tmp_path, framework):
    profession, version = framework
    slugs = [level["slug"] for level in version.content["levels"]]
    kept = version.content["skills"][0]["name"]
    text = f"skill,{slugs[0]},{slugs[2]}\n{kept},expert,\nBrand New Skill,,Working\n"

    run(tmp_path, profession.slug, text)

    new = Skill.objects.get(name="Brand New Skill")
    assert new.slug == "brand-new-skill"
    assert Expectation.objects.get(skill=new).proficiency == "working"
    first = RoleLevel.objects.get(profession=profession, slug=slugs[0])
    third = RoleLevel.objects.get(profession=profession, slug=slugs[2])
    assert {(e.skill.name, e.proficiency) for e in first.expectations.all()} == {(kept, "expert")}
    assert {(e.skill.name, e.proficiency) for e in third.expectations.all()} == {
        ("Brand New Skill", "working")
    }
    # The level not in the header is untouched.
    second = RoleLevel.objects.get(profession=profession, slug=slugs[1])
    assert second.expectations.count() == 2


def test_command_reports_what_it_did_and_does_not_publish(tmp_path, framework, capsys):
    profession, version = framework
    text = csv_text(version.content).replace("working", "expert")

    run(tmp_path, profession.slug, text)

    out = capsys.readouterr().out
    assert f"Imported framework.csv into the working copy of {profession.name}." in out
    assert "Updated: 2 expectations" in out
    assert "Nothing is published yet" in out
    assert FrameworkVersion.objects.filter(profession=profession).count() == 1


def test_command_refuses_a_file_of_unknown_kind(tmp_path, framework):
    profession, _ = framework

    with pytest.raises(CommandError, match="--format"):
        run(tmp_path, profession.slug, "skill\n", name="framework.txt")


# --- imports and editors in the admin ------------------------------------------------------
def test_an_admin_form_opened_before_an_import_cannot_save_over_it(tmp_path, framework, client):
    profession, version = framework
    level = RoleLevel.objects.filter(profession=profession).order_by("rank").first()
    head = make_head_of_profession(profession)
    client.force_login(head)
    stale_form = role_level_admin_data(level, description="Typed before the import")
    document = json_document(version)
    document["levels"][0]["description"] = "Set by the import"
    run(tmp_path, profession.slug, json.dumps(document), name="framework.json")

    response = client.post(reverse("admin:roles_rolelevel_change", args=[level.pk]), stale_form)

    level.refresh_from_db()
    assert response.status_code == 200
    assert "was changed by someone else since you opened it" in response.content.decode()
    assert level.description == "Set by the import"
