import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import User
from roles import demo
from roles.importer import same_slug
from roles.models import (
    Expectation,
    FrameworkVersion,
    LearningResource,
    Profession,
    Qualification,
    RoleLevel,
    Skill,
    SkillDescriptor,
)
from roles.selectors import latest_framework_or_404

DEMO_DATA = Path(demo.__file__).resolve().parent / "demo_data"
COUNTED = (
    Profession,
    RoleLevel,
    Skill,
    SkillDescriptor,
    Expectation,
    LearningResource,
    Qualification,
)


def counts():
    return {model.__name__: model.objects.count() for model in (*COUNTED, FrameworkVersion, User)}


def load():
    return demo.load(password="demo-password-123", stdout=StringIO())


@pytest.mark.django_db
def test_loading_twice_gives_the_same_data():
    first_sign_ins = load()
    first = counts()
    second_sign_ins = load()

    assert counts() == first
    assert first_sign_ins == second_sign_ins
    assert first["FrameworkVersion"] == 2
    assert FrameworkVersion.objects.filter(number=1).count() == 2


@pytest.mark.django_db
def test_product_management_has_the_five_levels_and_ten_skills_of_the_csv():
    load()

    framework = latest_framework_or_404("product-management")
    assert [level.name for level in framework.levels] == [
        "Associate product manager",
        "Product manager",
        "Senior product manager",
        "Lead product manager",
        "Head of product",
    ]
    assert len(framework.skills) == 10
    with (DEMO_DATA / "product-management.csv").open(newline="") as file:
        rows = list(csv.reader(file))
    header = [same_slug(cell) for cell in rows[0][1:]]
    assert header == [level.slug for level in framework.levels]
    expected = {row[0]: dict(zip(header, row[1:], strict=True)) for row in rows[1:]}
    published = {
        skill.name: {
            level.slug: level.expectation_for(skill.slug).proficiency for level in framework.levels
        }
        for skill in framework.skills.values()
    }
    assert published == expected
    for skill in framework.skills.values():
        assert set(skill.descriptors) == {"awareness", "working", "practitioner", "expert"}
        assert all(text.strip() for text in skill.descriptors.values())
    assert framework.levels[0].grades == ("HEO", "SEO")
    assert framework.levels[0].time_at_level == "12 to 24 months"


@pytest.mark.django_db
def test_operations_spans_ao_to_scs_with_qualifications_and_shared_skills():
    load()

    framework = latest_framework_or_404("operations")
    assert len(framework.levels) >= 5
    assert "AO" in framework.levels[0].grades
    assert framework.levels[-1].grades == ("SCS",)
    names = {skill.name for skill in framework.skills.values()}
    assert len(names) >= 8
    assert {
        "Customer service",
        "Commercial awareness",
        "Digital service delivery",
        "Using data to make decisions",
        "Leadership through change",
        "Connections and communication",
        "Operational leadership and management",
        "Adaptability to change",
    } <= names
    # Senior civil servants are at least Working in every skill.
    assert all(e.rank >= 2 for e in framework.levels[-1].expectations)
    providers = {
        r["provider"]
        for skill in framework.skills.values()
        for r in skill.resources
        if r["kind"] == "qualification"
    }
    assert {"City & Guilds", "Chartered Management Institute"} <= providers
    product = latest_framework_or_404("product-management")
    assert set(product.skills) & set(framework.skills)


@pytest.mark.django_db
def test_every_operations_level_lists_accredited_qualifications_in_version_1():
    load()

    framework = latest_framework_or_404("operations")
    assert framework.number == 1
    assert all(level.qualifications for level in framework.levels)
    bodies = {q["awarding_body"] for level in framework.levels for q in level.qualifications}
    assert bodies == {"City & Guilds", "Chartered Management Institute (CMI)"}
    first, second = framework.levels[0].qualifications[0], framework.levels[1].qualifications[0]
    assert (first["title"], first["awarding_body"]) == (
        "Level 2 Certificate in Customer Service",
        "City & Guilds",
    )
    assert second["title"] == "Level 3 Award in Principles of Management and Leadership"
    assert "Level 7" in framework.levels[-1].qualifications[0]["title"]
    for level in framework.levels:
        for qualification in level.qualifications:
            assert qualification["url"].startswith("https://")
            assert qualification["summary"].strip()


@pytest.mark.django_db
def test_product_management_lists_a_few_qualifications_and_some_levels_none():
    load()

    framework = latest_framework_or_404("product-management")
    listed = [q for level in framework.levels for q in level.qualifications]
    assert 2 <= len(listed) <= len(framework.levels)
    assert {q["awarding_body"] for q in listed} == {"BCS, The Chartered Institute for IT"}
    assert any(not level.qualifications for level in framework.levels)


@pytest.mark.django_db
def test_demo_heads_can_sign_in_and_head_their_profession():
    sign_ins = load()

    emails = [email for email, _ in sign_ins]
    assert emails == ["head.product@example.gov.uk", "head.operations@example.gov.uk"]
    head = User.objects.get(email="head.product@example.gov.uk")
    assert head.check_password("demo-password-123")
    assert head.is_staff
    assert not head.is_superuser
    assert list(head.headed_professions.values_list("slug", flat=True)) == ["product-management"]
    version = FrameworkVersion.objects.get(profession__slug="product-management")
    assert version.published_by == head


@pytest.mark.django_db
def test_a_second_load_leaves_edits_to_a_published_profession_alone():
    load()
    level = RoleLevel.objects.get(slug="product-manager")
    level.summary = "Edited by the head of profession"
    level.save()

    load()

    level.refresh_from_db()
    assert level.summary == "Edited by the head of profession"
    assert FrameworkVersion.objects.filter(profession__slug="product-management").count() == 1


@pytest.mark.django_db
def test_load_demo_command_prints_the_heads(settings, capsys):
    settings.DEBUG = True

    call_command("load_demo")

    out = capsys.readouterr().out
    assert "head.product@example.gov.uk" in out
    assert "head.operations@example.gov.uk" in out
