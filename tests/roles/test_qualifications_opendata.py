"""Qualifications in open data: the JSON export (the snapshot), the CSV list beside the skills
matrix, and importing both, with every problem refused and reported, and round trips."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from roles.models import (
    Expectation,
    FrameworkVersion,
    LearningResource,
    Qualification,
    RoleLevel,
    Skill,
    SkillDescriptor,
)
from roles.opendata import QUALIFICATIONS, csv_text
from roles.services import framework_publish
from roles.snapshot import build_snapshot
from tests.factories import QualificationFactory, make_framework

pytestmark = pytest.mark.django_db

MODELS = (
    RoleLevel,
    Skill,
    SkillDescriptor,
    Expectation,
    LearningResource,
    Qualification,
    FrameworkVersion,
)
HEADER = "level,title,awarding_body,url,summary"


def state(profession):
    """Everything an import could change, history included."""
    return (
        build_snapshot(profession),
        {model.__name__: model.objects.count() for model in MODELS},
        list(Qualification.objects.order_by("pk").values()),
        Qualification.history.count(),
    )


def levels_of(profession):
    return list(RoleLevel.objects.filter(profession=profession).order_by("rank"))


def publish(profession, note="A change"):
    return framework_publish(profession=profession, by=None, change_note=note)


def run(tmp_path, profession, text, name="qualifications.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_framework", str(path), profession=profession.slug, stdout=out)
    return out.getvalue()


def import_fails(tmp_path, profession, text, name="qualifications.csv"):
    """Run the command expecting failure; check nothing changed; return the error text."""
    before = state(profession)
    with pytest.raises(CommandError) as caught:
        run(tmp_path, profession, text, name)
    assert state(profession) == before
    return str(caught.value)


def csv_url(profession, **query):
    url = reverse("roles:framework_csv", args=[profession.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def rows_of(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.fixture
def framework():
    """Three levels; the first has two qualifications, the third one; published as version 1."""
    profession, _ = make_framework(levels=3, skills=2, publish=False)
    first, _second, third = levels_of(profession)
    QualificationFactory(
        role_level=first,
        position=1,
        title="Level 2 certificate in customer service",
        awarding_body="City & Guilds",
        url="https://www.cityandguilds.com/",
        summary='Serving customers, with a comma, and "quotes".',
    )
    QualificationFactory(
        role_level=first,
        position=2,
        title="Level 3 award in team leading",
        awarding_body="Chartered Management Institute",
        url="",
        summary="",
    )
    QualificationFactory(
        role_level=third,
        position=1,
        title="Level 7 diploma in strategic management and leadership",
        awarding_body="Chartered Management Institute",
        url="https://www.managers.org.uk/",
        summary="",
    )
    return profession, publish(profession, "First")


# --- exports -------------------------------------------------------------------------------
def test_the_json_export_has_them_as_the_snapshot_does(client, framework):
    profession, version = framework

    document = json.loads(
        client.get(reverse("roles:framework_json", args=[profession.slug])).content
    )

    assert document["levels"][0]["qualifications"][1] == {
        "title": "Level 3 award in team leading",
        "awarding_body": "Chartered Management Institute",
        "url": "",
        "summary": "",
    }
    assert [level["qualifications"] for level in document["levels"]] == [
        level["qualifications"] for level in version.content["levels"]
    ]


def test_the_skills_matrix_is_unchanged_by_qualifications(client, framework):
    profession, version = framework
    without = {
        **version.content,
        "levels": [{**level, "qualifications": []} for level in version.content["levels"]],
    }

    response = client.get(csv_url(profession))

    assert response.content.decode() == csv_text(without)
    assert [row[0] for row in rows_of(response)[1:]] == sorted(
        skill["name"] for skill in version.content["skills"]
    )


def test_the_qualifications_table_lists_them_by_level_in_order(client, framework):
    profession, _ = framework
    first, _second, third = levels_of(profession)

    response = client.get(csv_url(profession, table=QUALIFICATIONS))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'inline; filename="{profession.slug}-qualifications-v1.csv"'
    )
    assert rows_of(response) == [
        ["level", "title", "awarding_body", "url", "summary"],
        [
            first.slug,
            "Level 2 certificate in customer service",
            "City & Guilds",
            "https://www.cityandguilds.com/",
            'Serving customers, with a comma, and "quotes".',
        ],
        [first.slug, "Level 3 award in team leading", "Chartered Management Institute", "", ""],
        [
            third.slug,
            "Level 7 diploma in strategic management and leadership",
            "Chartered Management Institute",
            "https://www.managers.org.uk/",
            "",
        ],
    ]


def test_the_qualifications_table_of_an_earlier_or_older_version(client, framework):
    profession, first_version = framework
    Qualification.objects.all().delete()
    publish(profession, "None now")
    old = {**first_version.content}
    old["levels"] = [
        {key: value for key, value in level.items() if key != "qualifications"}
        for level in first_version.content["levels"]
    ]
    legacy = FrameworkVersion.objects.create(
        profession=profession,
        number=3,
        published_at=first_version.published_at,
        change_note="Published before qualifications",
        content=old,
    )

    earlier = client.get(csv_url(profession, table=QUALIFICATIONS, version=1))
    latest_but_one = client.get(csv_url(profession, table=QUALIFICATIONS, version=2))
    older_format = client.get(csv_url(profession, table=QUALIFICATIONS, version=legacy.number))

    assert len(rows_of(earlier)) == 4
    assert (
        'filename="' + f"{profession.slug}-qualifications-v1.csv"
        in (earlier["Content-Disposition"])
    )
    assert rows_of(latest_but_one) == rows_of(older_format) == [HEADER.split(",")]


@pytest.mark.parametrize("table", ["levels", "", "QUALIFICATIONS"])
def test_an_unknown_table_is_404(client, framework, table):
    profession, _ = framework

    assert client.get(csv_url(profession, table=table)).status_code == 404


def test_the_qualifications_table_is_open_to_anyone_in_one_query(
    client, user, framework, django_assert_max_num_queries
):
    profession, _ = framework
    url = csv_url(profession, table=QUALIFICATIONS)

    with django_assert_max_num_queries(1):
        anonymous = client.get(url)
    client.force_login(user)
    signed_in = client.get(url)

    assert anonymous.status_code == signed_in.status_code == 200
    assert anonymous.content == signed_in.content


def test_the_version_page_and_change_log_link_to_the_table(client, framework):
    profession, _ = framework

    version_page = client.get(reverse("roles:version", args=[profession.slug, 1]))
    changelog = client.get(reverse("roles:changelog", args=[profession.slug]))

    assert f"{csv_url(profession)}?version=1&amp;table=qualifications" in (
        version_page.content.decode()
    )
    assert csv_url(profession, table=QUALIFICATIONS) in changelog.content.decode()
