"""Open data CSV cells that a spreadsheet would run as a formula are made safe; the JSON stays
exact, and our own importer reads a downloaded CSV back as it was published."""

import csv
import io

import pytest
from django.urls import reverse

from careerpath.spreadsheets import from_spreadsheet_safe, spreadsheet_safe
from roles.importer import framework_import, read_file
from roles.models import Qualification, Skill
from roles.services import framework_publish
from tests.factories import ProfessionFactory, make_framework

pytestmark = pytest.mark.django_db

DANGEROUS = ["=HYPERLINK(1)", "+1", "-2", "@SUM(1)"]  # names are stripped: no tab or CR


@pytest.fixture
def profession():
    profession, _ = make_framework(
        profession=ProfessionFactory(slug="risky"), skills=len(DANGEROUS), publish=False
    )
    for skill, name in zip(Skill.objects.order_by("pk"), DANGEROUS, strict=True):
        skill.name = name
        skill.save()
    Qualification.objects.create(
        role_level=profession.levels.first(), title="=cmd|' /C calc'!A0", awarding_body="@Body"
    )
    framework_publish(profession=profession, by=None, change_note="Risky names")
    return profession


def rows(response):
    return list(csv.reader(io.StringIO(response.content.decode(), newline="")))


def test_csv_cells_that_look_like_formulas_are_made_safe(client, profession):
    matrix = rows(client.get(reverse("roles:framework_csv", args=[profession.slug])))
    qualifications = rows(
        client.get(reverse("roles:framework_csv", args=[profession.slug]) + "?table=qualifications")
    )

    names = [row[0] for row in matrix[1:]]
    assert sorted(names) == sorted("'" + name for name in DANGEROUS)
    assert qualifications[1][1] == "'=cmd|' /C calc'!A0"
    assert qualifications[1][2] == "'@Body"


def test_the_json_stays_exact(client, profession):
    document = client.get(reverse("roles:framework_json", args=[profession.slug])).json()

    assert sorted(skill["name"] for skill in document["skills"]) == sorted(DANGEROUS)


def test_a_downloaded_csv_imports_back_unchanged(client, profession):
    text = client.get(reverse("roles:framework_csv", args=[profession.slug])).content

    found, data = read_file(text, profession_slug=profession.slug, kind="csv")
    summary = framework_import(profession=found, data=data)

    assert not summary.changed
    assert sorted(row["skill"] for row in data["rows"]) == sorted(DANGEROUS)


@pytest.mark.parametrize("value", ["Plain", "a=b", "", "'quoted", 42])
def test_safe_values_are_left_alone(value):
    assert spreadsheet_safe(value) == str(value)
    assert from_spreadsheet_safe(str(value)) == str(value)


@pytest.mark.parametrize("value", ["=1", "+1", "-1", "@1", "\t1", "\r1"])
def test_each_dangerous_start_is_prefixed_and_read_back(value):
    assert spreadsheet_safe(value) == "'" + value
    assert from_spreadsheet_safe(spreadsheet_safe(value)) == value
