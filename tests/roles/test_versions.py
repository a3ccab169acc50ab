import pytest
from django.urls import reverse

from roles.diff import snapshot_diff
from roles.models import Expectation, LearningResource, RoleLevel, SkillDescriptor
from roles.services import framework_publish, head_of_profession_appoint
from tests.factories import (
    ExpectationFactory,
    LearningResourceFactory,
    RoleLevelFactory,
    SkillFactory,
    UserFactory,
    make_framework,
)


def publish(profession, note="A change", by=None):
    return framework_publish(profession=profession, by=by, change_note=note)


def changed_framework():
    """Version 1 from make_framework, then version 2 with one of every kind of change."""
    profession, first = make_framework(levels=3, skills=2)
    level1, level2, level3 = RoleLevel.objects.filter(profession=profession).order_by("rank")
    level1.name = "Renamed first level"
    level1.summary = "A new summary"
    level1.save()
    level3.delete()
    RoleLevelFactory(profession=profession, rank=3, name="Brand new level")
    skills = sorted({e.skill for e in level2.expectations.all()}, key=lambda s: s.name)
    raised = Expectation.objects.get(role_level=level2, skill=skills[0])
    raised.proficiency = "expert"
    raised.save()
    Expectation.objects.get(role_level=level2, skill=skills[1]).delete()
    added_skill = SkillFactory(name="Added skill")
    ExpectationFactory(role_level=level1, skill=added_skill, proficiency="awareness")
    SkillDescriptor.objects.filter(skill=skills[0], proficiency="expert").update(
        description="New words for expert"
    )
    LearningResource.objects.filter(skill=skills[1]).delete()
    LearningResourceFactory(skill=skills[0], title="A new course")
    second = publish(profession, "Lots of changes")
    return profession, first, second, skills, level2


@pytest.mark.django_db
def test_diff_lists_every_kind_of_change():
    _profession, first, second, skills, level2 = changed_framework()
    old_level3_name = first.content["levels"][2]["name"]
    old_level1_name = first.content["levels"][0]["name"]

    diff = snapshot_diff(first.content, second.content)

    assert diff.levels_added == ["Brand new level"]
    assert diff.levels_removed == [old_level3_name]
    assert diff.levels_renamed == [(old_level1_name, "Renamed first level")]
    assert [(c.name, c.fields) for c in diff.levels_changed] == [
        ("Renamed first level", ["Summary"])
    ]
    assert [(c.level, c.skill, c.before, c.after) for c in diff.expectations_changed] == [
        (level2.name, skills[0].name, "Working", "Expert")
    ]
    assert [(c.level, c.skill, c.before) for c in diff.expectations_removed] == [
        (level2.name, skills[1].name, "Working")
    ]
    assert ("Renamed first level", "Added skill", "Awareness") in [
        (c.level, c.skill, c.after) for c in diff.expectations_added
    ]
    assert diff.descriptors_changed == [(skills[0].name, "Expert")]
    assert diff.resources_added == [(skills[0].name, "A new course")]
    assert (skills[1].name, first.content["skills"][1]["resources"][0]["title"]) in (
        diff.resources_removed
    )
    assert not diff.is_empty


def test_first_version_and_no_change():
    content = {"levels": [], "skills": []}

    assert snapshot_diff(None, content).first
    assert snapshot_diff(content, content).is_empty


@pytest.mark.django_db
def test_changelog_shows_every_version_newest_first_with_what_changed(client):
    profession, _first, _second, skills, level2 = changed_framework()
    head = UserFactory(first_name="Hana", last_name="Head", email="hana@example.gov.uk")
    head_of_profession_appoint(user=head, profession=profession)
    RoleLevel.objects.filter(pk=level2.pk).update(time_at_level="Forever")
    publish(profession, "Third note", by=head)

    response = client.get(reverse("roles:changelog", args=[profession.slug]))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Version 3") < html.index("Version 2") < html.index("Version 1")
    assert "Third note" in html
    assert "Lots of changes" in html
    assert "First version" in html
    assert "by Hana Head" in html
    assert "hana@example.gov.uk" not in html
    assert "What changed in version 3" in html
    assert "changed time at level" in html
    assert "What changed in version 2" in html
    assert "Added level: Brand new level" in html
    assert "Renamed level:" in html
    assert f"{skills[1].name} no longer expected (was Working)" in html
    assert "Added skill added at Awareness" in html
    assert f"{skills[0].name}: added A new course" in html
    assert "The first published version of this framework." in html
    assert "<title>Change log: " in html
    assert reverse("roles:version", args=[profession.slug, 1]) in html


@pytest.mark.django_db
def test_version_page_shows_an_earlier_version_as_published_with_a_notice(client):
    profession, first, _second, _skills, _level2 = changed_framework()
    old_name = first.content["levels"][2]["name"]

    response = client.get(reverse("roles:version", args=[profession.slug, 1]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "This is an earlier version" in html
    assert reverse("roles:version", args=[profession.slug, 2]) in html
    assert old_name in html
    assert "Brand new level" not in html
    assert "Added skill" not in html
    assert "First version" in html
    for skill in first.content["skills"]:
        assert skill["name"] in html
    assert "Practitioner" in html
    assert first.content["skills"][0]["descriptors"]["awareness"] in html


@pytest.mark.django_db
def test_version_page_of_the_latest_says_so(client):
    profession, _first, _second, _skills, _level2 = changed_framework()

    response = client.get(reverse("roles:version", args=[profession.slug, 2]))

    html = response.content.decode()
    assert "This is the latest version" in html
    assert "This is an earlier version" not in html
    assert "Brand new level" in html


ROLES = ["anonymous", "staff", "head", "head_of_another_profession", "admin"]


def sign_in_as(client, role, profession):
    if role == "anonymous":
        return
    user = UserFactory(is_staff=role == "admin", is_superuser=role == "admin")
    if role == "head":
        head_of_profession_appoint(user=user, profession=profession)
    if role == "head_of_another_profession":
        other, _ = make_framework(levels=1, skills=1, publish=False)
        head_of_profession_appoint(user=user, profession=other)
    client.force_login(user)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_changelog_and_versions_are_open_to_every_role(client, role):
    profession, _ = make_framework(levels=2, skills=2)
    publish(profession, "Again")
    sign_in_as(client, role, profession)

    assert client.get(reverse("roles:changelog", args=[profession.slug])).status_code == 200
    assert client.get(reverse("roles:version", args=[profession.slug, 1])).status_code == 200
    assert client.get(reverse("roles:version", args=[profession.slug, 2])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "staff"])
def test_unknown_profession_or_version_is_404(client, role):
    profession, _ = make_framework(levels=1, skills=1)
    unpublished, _ = make_framework(levels=1, skills=1, publish=False)
    sign_in_as(client, role, profession)

    assert client.get(reverse("roles:changelog", args=["nope"])).status_code == 404
    assert client.get(reverse("roles:changelog", args=[unpublished.slug])).status_code == 404
    assert client.get(reverse("roles:version", args=[profession.slug, 2])).status_code == 404
    assert client.get(reverse("roles:version", args=["nope", 1])).status_code == 404
    assert client.get(reverse("roles:version", args=[unpublished.slug, 1])).status_code == 404


def many_versions(count, levels, skills):
    profession, _ = make_framework(levels=levels, skills=skills)
    for number in range(2, count + 1):
        RoleLevel.objects.filter(profession=profession, rank=1).update(summary=f"v{number}")
        publish(profession, f"Version {number}")
    return profession


@pytest.mark.django_db
def test_changelog_query_count_does_not_grow_with_versions_or_their_size(
    client, django_assert_max_num_queries
):
    small = many_versions(2, levels=1, skills=1)
    large = many_versions(25, levels=10, skills=30)

    with django_assert_max_num_queries(2):
        small_response = client.get(reverse("roles:changelog", args=[small.slug]))
    with django_assert_max_num_queries(2):
        large_response = client.get(reverse("roles:changelog", args=[large.slug]))

    assert small_response.status_code == large_response.status_code == 200
    assert large_response.content.decode().count('class="moj-timeline__item"') == 25


@pytest.mark.django_db
def test_version_page_query_count_does_not_grow(client, django_assert_max_num_queries):
    large = many_versions(5, levels=12, skills=40)

    with django_assert_max_num_queries(4):
        response = client.get(reverse("roles:version", args=[large.slug, 3]))

    assert response.status_code == 200
    assert response.content.decode().count('<th scope="row" class="govuk-table__header">') == 480
