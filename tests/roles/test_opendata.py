import csv
import io
import json
from pathlib import Path

import pytest
from django.urls import reverse

from roles import demo
from roles.importer import same_slug
from roles.models import RoleLevel
from roles.services import framework_publish
from tests.factories import ProfessionFactory, make_framework

DEMO_DATA = Path(demo.__file__).resolve().parent / "demo_data"


def json_url(profession, **query):
    url = reverse("roles:framework_json", args=[profession.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def csv_url(profession, **query):
    url = reverse("roles:framework_csv", args=[profession.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.django_db
def test_json_export_is_the_latest_snapshot_with_its_version(client):
    profession, first = make_framework(levels=2, skills=2)
    level = RoleLevel.objects.get(profession=profession, rank=1)
    level.summary = "Changed in version 2"
    level.save()
    second = framework_publish(profession=profession, by=None, change_note="Second one")

    response = client.get(json_url(profession))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'inline; filename="{profession.slug}-framework-v2.json"'
    )
    document = json.loads(response.content)
    assert document["version"] == {
        "number": 2,
        "published_at": second.published_at.isoformat(),
        "change_note": "Second one",
    }
    del document["version"]
    assert document == second.content
    assert document["levels"][0]["summary"] == "Changed in version 2"
    assert first.content["levels"][0]["summary"] != "Changed in version 2"


@pytest.mark.django_db
def test_json_export_of_an_earlier_version(client):
    profession, first = make_framework(levels=2, skills=2)
    RoleLevel.objects.filter(profession=profession, rank=1).update(name="Renamed")
    framework_publish(profession=profession, by=None, change_note="Rename")

    response = client.get(json_url(profession, version=1))

    document = json.loads(response.content)
    assert document["version"]["number"] == 1
    assert document["levels"] == first.content["levels"]
    assert 'filename="' + f"{profession.slug}-framework-v1.json" in response["Content-Disposition"]


@pytest.mark.django_db
def test_export_ignores_the_unpublished_working_copy(client):
    profession, version = make_framework(levels=2, skills=2)
    RoleLevel.objects.filter(profession=profession, rank=1).update(name="Not published yet")

    document = json.loads(client.get(json_url(profession)).content)
    matrix = client.get(csv_url(profession)).content.decode()

    assert "Not published yet" not in json.dumps(document)
    assert document["levels"][0]["name"] == version.content["levels"][0]["name"]
    assert "Not published yet" not in matrix


@pytest.mark.django_db
def test_csv_export_is_a_skills_by_levels_matrix(client):
    profession, version = make_framework(levels=3, skills=2)
    # A level that does not list a skill leaves its cell empty.
    level3 = RoleLevel.objects.get(profession=profession, rank=3)
    level3.expectations.first().delete()
    version = framework_publish(profession=profession, by=None, change_note="Drop one")

    response = client.get(csv_url(profession))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'inline; filename="{profession.slug}-framework-v2.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    levels = version.content["levels"]
    assert rows[0] == ["skill", *(level["slug"] for level in levels)]
    names = sorted(skill["name"] for skill in version.content["skills"])
    assert [row[0] for row in rows[1:]] == names
    assert rows[1][1:3] == ["awareness", "working"]
    assert sorted(row[3] for row in rows[1:]) == ["", "practitioner"]


@pytest.mark.django_db
def test_demo_product_csv_has_the_shape_and_values_of_the_shared_matrix(client):
    demo.load(password="demo-password-123", stdout=io.StringIO())
    profession = ProfessionFactory(slug="product-management")

    exported = list(csv.reader(io.StringIO(client.get(csv_url(profession)).content.decode())))

    with (DEMO_DATA / "product-management.csv").open(newline="") as file:
        shared = list(csv.reader(file))
    assert exported[0][0] == shared[0][0] == "skill"
    assert exported[0][1:] == [same_slug(cell) for cell in shared[0][1:]]
    assert sorted(exported[1:]) == sorted(shared[1:])
    assert len(exported) == 11


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["roles:framework_json", "roles:framework_csv"])
@pytest.mark.parametrize("query", ["?version=9", "?version=abc", "?version=0"])
def test_unknown_version_is_404(client, name, query):
    profession, _ = make_framework(levels=1, skills=1)

    response = client.get(reverse(name, args=[profession.slug]) + query)

    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["roles:framework_json", "roles:framework_csv"])
def test_unknown_or_unpublished_profession_is_404(client, name):
    unpublished, _ = make_framework(levels=1, skills=1, publish=False)

    assert client.get(reverse(name, args=["no-such-profession"])).status_code == 404
    assert client.get(reverse(name, args=[unpublished.slug])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["roles:framework_json", "roles:framework_csv"])
def test_exports_are_open_to_anyone(client, user, name):
    profession, _ = make_framework(levels=1, skills=1)
    url = reverse(name, args=[profession.slug])

    anonymous = client.get(url)
    client.force_login(user)
    signed_in = client.get(url)

    assert anonymous.status_code == signed_in.status_code == 200
    assert anonymous.content == signed_in.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["roles:framework_json", "roles:framework_csv"])
def test_export_query_count_does_not_grow_with_the_framework(
    client, name, django_assert_max_num_queries
):
    profession, _ = make_framework(levels=12, skills=40)

    with django_assert_max_num_queries(1):
        response = client.get(reverse(name, args=[profession.slug]))

    assert response.status_code == 200
    assert response.content.lower().count(b"skill ") >= 40
