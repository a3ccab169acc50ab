"""Qualifications in open data: the JSON export (the snapshot), the CSV list beside the skills
matrix, and importing both, with every problem refused and reported, and round trips."""

import copy
import csv
import io
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
from roles.opendata import QUALIFICATIONS, csv_text, json_document
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


# --- importing JSON ------------------------------------------------------------------------
def test_json_round_trip_gives_back_the_same_qualifications(tmp_path, client, framework):
    profession, version = framework
    exported = client.get(reverse("roles:framework_json", args=[profession.slug])).content
    RoleLevel.objects.filter(profession=profession).delete()
    Skill.objects.filter(expectations__isnull=True).delete()

    out = run(tmp_path, profession, exported.decode(), name="export.json")

    assert "3 qualifications" in out
    again = publish(profession, "Re-imported")
    assert again.content == version.content


def test_importing_the_export_into_the_same_working_copy_changes_nothing(framework):
    profession, version = framework
    first = levels_of(profession)[0]
    # Positions that tie are ordered by title: the export's order, which an import keeps.
    first.qualifications.update(position=1)
    version = publish(profession, "Tied positions")
    before = state(profession)

    summary = framework_import(profession=profession, data=json_document(version))

    assert state(profession) == before
    assert summary.lines() == ["Created: nothing", "Updated: nothing", "Removed: nothing"]


def test_json_import_makes_the_qualifications_match_the_file(framework):
    profession, version = framework
    first = levels_of(profession)[0]
    data = copy.deepcopy(json_document(version))
    listed = data["levels"][0]["qualifications"]
    listed.reverse()  # a new order
    listed[0]["summary"] = "Changed words"
    listed.append({"title": "Level 4 in operations", "awarding_body": "A body"})
    data["levels"][2]["qualifications"] = []

    summary = framework_import(profession=profession, data=data)

    assert [(q.title, q.summary) for q in first.qualifications.all()] == [
        ("Level 3 award in team leading", "Changed words"),
        (
            "Level 2 certificate in customer service",
            'Serving customers, with a comma, and "quotes".',
        ),
        ("Level 4 in operations", ""),
    ]
    assert not levels_of(profession)[2].qualifications.exists()
    assert (summary.created["qualifications"], summary.removed["qualifications"]) == (1, 1)
    assert summary.updated["qualifications"] == 2  # one changed, one moved down
    assert build_snapshot(profession)["levels"][0]["qualifications"] == [
        {"url": "", "summary": "", **item} for item in listed
    ]


def test_a_file_from_before_qualifications_leaves_levels_with_none(framework):
    profession, version = framework
    data = json_document(version)
    for level in data["levels"]:
        del level["qualifications"]

    summary = framework_import(profession=profession, data=data)

    assert not Qualification.objects.exists()
    assert summary.removed["qualifications"] == 3


def test_removing_a_level_counts_its_qualifications(framework):
    profession, version = framework
    data = json_document(version)
    data["levels"] = data["levels"][1:]

    summary = framework_import(profession=profession, data=data)

    assert summary.removed["qualifications"] == 2  # the removed level's two
    assert summary.removed["levels"] == 1


@pytest.mark.parametrize(
    ("qualifications", "path", "message"),
    [
        ("not a list", "levels[0].qualifications", importer.NOT_A_LIST),
        (["a title"], "levels[0].qualifications[0]", importer.NOT_AN_OBJECT),
        (
            [{"title": " ", "awarding_body": "A body"}],
            "levels[0].qualifications[0].title",
            importer.EMPTY_VALUE.format(what="title"),
        ),
        (
            [{"title": "A title"}],
            "levels[0].qualifications[0].awarding_body",
            importer.EMPTY_VALUE.format(what="awarding body"),
        ),
        (
            [{"title": 7, "awarding_body": "A body"}],
            "levels[0].qualifications[0].title",
            importer.NOT_TEXT,
        ),
        (
            [{"title": "x" * 201, "awarding_body": "A body"}],
            "levels[0].qualifications[0].title",
            importer.TOO_LONG.format(length=201, max_length=200),
        ),
        (
            [{"title": "A title", "awarding_body": "A body", "summary": "s" * 301}],
            "levels[0].qualifications[0].summary",
            importer.TOO_LONG.format(length=301, max_length=300),
        ),
        (
            [{"title": "A title", "awarding_body": "A body", "url": "not an address"}],
            "levels[0].qualifications[0].url",
            importer.BAD_URL.format(value="not an address"),
        ),
        (
            [
                {"title": "Level 3 in leading", "awarding_body": "A body"},
                {"title": "LEVEL 3 IN LEADING", "awarding_body": "Another body"},
            ],
            "levels[0].qualifications[1].title",
            importer.DUPLICATE_QUALIFICATION.format(value="LEVEL 3 IN LEADING"),
        ),
    ],
)
def test_json_problems_are_refused_with_where_and_what(
    tmp_path, framework, qualifications, path, message
):
    profession, version = framework
    data = json_document(version)
    data["levels"][0]["qualifications"] = qualifications

    error = import_fails(tmp_path, profession, json.dumps(data), name="framework.json")

    assert f"{path}: {message}" in error
    assert importer.PROBLEMS_FOUND.format(count=1) in error


def test_the_same_title_at_two_levels_is_fine(framework):
    profession, version = framework
    data = json_document(version)
    data["levels"][1]["qualifications"] = [dict(data["levels"][0]["qualifications"][0])]

    framework_import(profession=profession, data=data)

    assert (
        Qualification.objects.filter(title="Level 2 certificate in customer service").count() == 2
    )


def test_framework_import_rechecks_forged_qualifications(framework):
    profession, version = framework
    data = json_document(version)
    data["levels"][0]["qualifications"][0]["url"] = "javascript:alert(1)"
    before = state(profession)

    with pytest.raises(ImportProblems) as caught:
        framework_import(profession=profession, data=data)

    assert state(profession) == before
    assert caught.value.problems == [
        "levels[0].qualifications[0].url: " + importer.BAD_URL.format(value="javascript:alert(1)")
    ]


# --- importing the CSV list ----------------------------------------------------------------
def test_csv_round_trip_gives_back_the_same_qualifications(tmp_path, framework):
    profession, version = framework
    text = csv_text(version.content, QUALIFICATIONS).replace("-", "_")  # slugs spelt with _
    Qualification.objects.all().delete()

    out = run(tmp_path, profession, text)

    assert "Created: 3 qualifications" in out
    again = publish(profession, "Re-imported")
    assert again.content == version.content
    assert csv_text(again.content, QUALIFICATIONS) == csv_text(version.content, QUALIFICATIONS)


def test_importing_the_csv_export_unchanged_changes_nothing(tmp_path, framework):
    profession, version = framework
    before = state(profession)

    out = run(tmp_path, profession, csv_text(version.content, QUALIFICATIONS))

    assert state(profession) == before
    assert "Created: nothing" in out
    assert "Updated: nothing" in out
    assert "Removed: nothing" in out


def test_csv_import_sets_every_levels_qualifications_and_leaves_the_rest(tmp_path, framework):
    profession, _ = framework
    first, second, third = levels_of(profession)
    expectations = Expectation.objects.count()
    text = (
        "level,awarding_body,title\n"  # level first, then any order; url and summary optional
        f"{second.slug},A body,Level 4 in operations\n"
        f"{first.slug},City & Guilds,Level 2 certificate in customer service\n"
    )

    run(tmp_path, profession, text)

    assert [q.title for q in first.qualifications.all()] == [
        "Level 2 certificate in customer service"
    ]
    assert first.qualifications.get().url == ""  # the file has no such column: now empty
    assert [q.title for q in second.qualifications.all()] == ["Level 4 in operations"]
    assert not third.qualifications.exists()  # not named in the file: none now
    assert Expectation.objects.count() == expectations


def test_csv_problems_are_each_reported_by_row_and_column(tmp_path, framework):
    profession, _ = framework
    first = levels_of(profession)[0]
    text = (
        f"{HEADER}\n"
        f"chief-wizard,A title,A body,,\n"
        f"{first.slug},,A body,,\n"
        f"{first.slug},Level 3 in leading,,not-an-address,\n"
        f"{first.slug},Level 3 in leading,A body,,\n"
        f"{first.slug},Too few cells\n"
        f",A title,A body,,\n"
    )

    error = import_fails(tmp_path, profession, text)

    for expected in [
        "row 2, column 1: "
        + importer.UNKNOWN_LEVEL.format(value="chief-wizard", profession=profession.name),
        "row 3, column 2: " + importer.EMPTY_VALUE.format(what="title"),
        "row 4, column 3: " + importer.EMPTY_VALUE.format(what="awarding body"),
        "row 4, column 4: " + importer.BAD_URL.format(value="not-an-address"),
        "row 5, column 2: " + importer.DUPLICATE_QUALIFICATION.format(value="Level 3 in leading"),
        "row 6, column 1: " + importer.WRONG_CELL_COUNT.format(count=2, expected=5),
        "row 7, column 1: " + importer.EMPTY_VALUE.format(what="level"),
    ]:
        assert expected in error
    assert importer.PROBLEMS_FOUND.format(count=7) in error


def test_a_csv_header_that_cannot_be_read_is_refused(tmp_path, framework):
    profession, _ = framework
    first = levels_of(profession)[0]
    text = f"level,name,title,title\n{first.slug},x,y,z\n"

    error = import_fails(tmp_path, profession, text)

    columns = ", ".join(importer.QUALIFICATION_COLUMNS)
    assert "row 1, column 2: " + importer.UNKNOWN_COLUMN.format(value="name", columns=columns) in (
        error
    )
    assert "row 1, column 4: " + importer.DUPLICATE_COLUMN.format(value="title") in error
    assert "row 1, column 5: " + importer.MISSING_COLUMN.format(value="awarding_body") in error
    assert importer.PROBLEMS_FOUND.format(count=3) in error  # the rows are not read


def test_a_csv_that_is_neither_table_says_what_it_should_start_with(tmp_path, framework):
    profession, _ = framework

    error = import_fails(tmp_path, profession, "name,title\nA,B\n")

    assert "row 1, column 1: " + importer.WRONG_HEADER.format(value="name") in error
    assert '"level" (a list of qualifications)' in error


def test_framework_import_rechecks_forged_csv_data(framework):
    profession, _ = framework
    before = state(profession)
    forged = {
        "format": importer.CSV_QUALIFICATIONS_FORMAT,
        "qualifications": {"not-a-level": [{"title": "", "awarding_body": "A body"}]},
    }

    with pytest.raises(ImportProblems) as caught:
        framework_import(profession=profession, data=forged)

    assert state(profession) == before
    assert caught.value.problems == [
        "qualifications.not-a-level: "
        + importer.UNKNOWN_LEVEL.format(value="not-a-level", profession=profession.name),
        "qualifications.not-a-level[0].title: " + importer.EMPTY_VALUE.format(what="title"),
    ]
    with pytest.raises(ImportProblems):
        framework_import(
            profession=profession,
            data={"format": importer.CSV_QUALIFICATIONS_FORMAT, "qualifications": []},
        )
    assert state(profession) == before


def test_an_import_that_changes_something_raises_the_lock_version_of_the_levels(
    tmp_path, framework
):
    profession, version = framework
    first = levels_of(profession)[0]
    text = csv_text(version.content, QUALIFICATIONS)

    run(tmp_path, profession, text)  # the same as stored: no change, no new lock (issue 10)
    first.refresh_from_db()
    unchanged = first.lock_version
    run(tmp_path, profession, text.replace("City & Guilds", "City and Guilds"))
    first.refresh_from_db()

    assert unchanged == 1
    assert first.lock_version == 2
