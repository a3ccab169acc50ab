"""Accredited qualifications in published versions: the snapshot, LevelView, the level page and
its fragment cache, the version page, the change log, search, the admin's preview, and
versions published before levels had qualifications."""

import copy
import dataclasses

import pytest
from django.urls import reverse

from careerpath import public_cache
from roles import selectors
from roles.diff import snapshot_diff
from roles.models import FrameworkVersion, RoleLevel
from roles.selectors import LevelView, framework_from_content, latest_framework_or_404
from roles.services import framework_publish
from roles.snapshot import build_snapshot, with_keys_added
from tests.factories import QualificationFactory, make_framework, make_head_of_profession

pytestmark = pytest.mark.django_db


def levels_of(profession):
    return list(RoleLevel.objects.filter(profession=profession).order_by("rank"))


def publish(profession, note="A change"):
    return framework_publish(profession=profession, by=None, change_note=note)


def level_page(client, profession, level):
    response = client.get(reverse("roles:level", args=[profession.slug, level.slug]))
    assert response.status_code == 200
    return response.content.decode()


def without_qualifications(content):
    """A snapshot as versions published before qualifications were: no key on any level."""
    old = copy.deepcopy(content)
    for level in old["levels"]:
        del level["qualifications"]
    return old


@pytest.fixture
def framework():
    """Three levels, unpublished; the first with two qualifications, the others with none."""
    profession, _ = make_framework(levels=3, skills=2, publish=False)
    first = levels_of(profession)[0]
    QualificationFactory(
        role_level=first,
        position=2,
        title="Level 3 diploma in team leading",
        awarding_body="Chartered Management Institute",
        url="",
        summary="",
    )
    QualificationFactory(
        role_level=first,
        position=1,
        title="Level 2 certificate in customer service",
        awarding_body="City & Guilds",
        url="https://www.cityandguilds.com/",
        summary="Dealing with customers well, face to face and remotely.",
    )
    return profession


# --- the snapshot and LevelView ------------------------------------------------------------
def test_the_snapshot_lists_each_levels_qualifications_in_order(framework):
    content = build_snapshot(framework)

    assert content["levels"][0]["qualifications"] == [
        {
            "title": "Level 2 certificate in customer service",
            "awarding_body": "City & Guilds",
            "url": "https://www.cityandguilds.com/",
            "summary": "Dealing with customers well, face to face and remotely.",
        },
        {
            "title": "Level 3 diploma in team leading",
            "awarding_body": "Chartered Management Institute",
            "url": "",
            "summary": "",
        },
    ]
    assert [level["qualifications"] for level in content["levels"][1:]] == [[], []]


def test_publishing_freezes_them_with_the_version(framework):
    version = publish(framework, "With qualifications")
    levels_of(framework)[0].qualifications.all().delete()

    assert len(version.content["levels"][0]["qualifications"]) == 2
    assert len(latest_framework_or_404(framework.slug).levels[0].qualifications) == 2


def test_level_view_reads_them_as_a_tuple_of_dicts_of_text(framework):
    publish(framework)

    level = latest_framework_or_404(framework.slug).levels[0]

    field = {f.name: f for f in dataclasses.fields(LevelView)}["qualifications"]
    assert field.default == ()
    assert isinstance(level.qualifications, tuple)
    assert [q["title"] for q in level.qualifications] == [
        "Level 2 certificate in customer service",
        "Level 3 diploma in team leading",
    ]
    for qualification in level.qualifications:
        assert set(qualification) == {"title", "awarding_body", "url", "summary"}
        assert all(isinstance(value, str) for value in qualification.values())


def test_a_version_published_before_qualifications_still_loads(framework):
    content = without_qualifications(build_snapshot(framework))

    parsed = framework_from_content(None, None, content)

    assert [level.qualifications for level in parsed.levels] == [(), (), ()]


def test_missing_or_null_optional_fields_read_as_empty_text():
    content = build_snapshot(make_framework(levels=1, skills=1, publish=False)[0])
    content["levels"][0]["qualifications"] = [
        {"title": "A title", "awarding_body": "A body", "url": None}
    ]

    level = framework_from_content(None, None, content).levels[0]

    assert level.qualifications == (
        {"title": "A title", "awarding_body": "A body", "url": "", "summary": ""},
    )


# --- the level page ------------------------------------------------------------------------
def test_the_level_page_lists_them_with_links_bodies_and_summaries(client, framework):
    publish(framework)

    html = level_page(client, framework, levels_of(framework)[0])

    section = html[html.index('id="qualifications"') :]
    assert ">Qualifications</h2>" in html
    assert (
        '<a class="govuk-link govuk-!-font-weight-bold" href="https://www.cityandguilds.com/">'
        "Level 2 certificate in customer service</a>"
    ) in section
    assert "Awarded by City &amp; Guilds" in section
    assert "Dealing with customers well, face to face and remotely." in section
    # Without a web address the title is not a link.
    assert '<span class="govuk-!-font-weight-bold">Level 3 diploma in team leading</span>' in (
        section
    )
    assert "Awarded by Chartered Management Institute" in section
    assert section.index("Level 2 certificate") < section.index("Level 3 diploma")


def test_a_level_without_qualifications_shows_no_section(client, framework):
    publish(framework)

    html = level_page(client, framework, levels_of(framework)[1])

    assert 'id="qualifications"' not in html
    assert ">Qualifications<" not in html


def test_an_older_version_without_the_key_still_renders(client, framework):
    version = publish(framework)
    FrameworkVersion.objects.filter(pk=version.pk).update(
        content=without_qualifications(version.content)
    )
    selectors._FRAMEWORKS.clear()

    html = level_page(client, framework, levels_of(framework)[0])
    version_page = client.get(reverse("roles:version", args=[framework.slug, 1]))

    assert ">Qualifications<" not in html
    assert levels_of(framework)[0].name in html
    assert version_page.status_code == 200


def test_the_section_is_cached_with_the_versions_content(client, framework):
    version = publish(framework)
    level = levels_of(framework)[0]
    level_page(client, framework, level)  # fills the fragment cache for this version
    # The same version, read again with a different qualification: the page comes from the
    # fragment cached for this version, so it cannot show it.
    content = copy.deepcopy(version.content)
    content["levels"][0]["qualifications"][0]["title"] = "Not in the cached fragment"
    selectors._FRAMEWORKS[version.pk] = framework_from_content(
        version.pk, version.number, content, published_at=version.published_at
    )

    cached = level_page(client, framework, level)
    QualificationFactory(role_level=level, title="Published later", position=9)
    publish(framework, "Another qualification")
    fresh = level_page(client, framework, level)

    assert "Not in the cached fragment" not in cached
    assert "Level 2 certificate in customer service" in cached
    assert "Published later" in fresh  # a new version shows at once


@pytest.mark.parametrize("warm", [False, True])
def test_the_level_page_runs_the_same_queries_however_many_qualifications(
    client, django_assert_num_queries, warm
):
    counts = []
    for how_many in (0, 15):
        profession, _ = make_framework(levels=2, skills=3, publish=False)
        level = levels_of(profession)[0]
        for position in range(how_many):
            QualificationFactory(role_level=level, position=position)
        publish(profession)
        url = reverse("roles:level", args=[profession.slug, level.slug])
        if warm:
            client.get(url)
            public_cache.published()  # measure the rendering, not the whole-page cache
        else:
            selectors._FRAMEWORKS.clear()
        with django_assert_num_queries(1 if warm else 2) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count("Awarded by") == how_many
        counts.append(len(captured))

    assert counts[0] == counts[1]


# --- other pages ---------------------------------------------------------------------------
def test_the_version_page_shows_each_levels_qualifications(client, framework):
    publish(framework)

    response = client.get(reverse("roles:version", args=[framework.slug, 1]))

    html = response.content.decode()
    first = levels_of(framework)[0]
    assert f'id="qualifications-{first.slug}"' in html
    assert "Level 2 certificate in customer service" in html
    assert html.count(">Qualifications</h3>") == 1  # the levels without any show nothing


def test_the_change_log_says_what_changed_in_qualifications(client, framework):
    first = publish(framework, "First")
    level = levels_of(framework)[0]
    titles = {q.title: q for q in level.qualifications.all()}
    titles["Level 2 certificate in customer service"].summary = "New words"
    titles["Level 2 certificate in customer service"].save()
    titles["Level 3 diploma in team leading"].delete()
    QualificationFactory(role_level=level, title="Level 5 in operations management", position=0)
    second = publish(framework, "Second")

    diff = snapshot_diff(first.content, second.content)
    html = client.get(reverse("roles:changelog", args=[framework.slug])).content.decode()

    name = level.name
    assert [(c.level, c.title) for c in diff.qualifications_added] == [
        (name, "Level 5 in operations management")
    ]
    assert [(c.level, c.title) for c in diff.qualifications_removed] == [
        (name, "Level 3 diploma in team leading")
    ]
    assert [(c.level, c.title) for c in diff.qualifications_changed] == [
        (name, "Level 2 certificate in customer service")
    ]
    assert diff.qualifications_reordered == []
    assert f"{name}: added Level 5 in operations management" in html
    assert f"{name}: removed Level 3 diploma in team leading" in html


def test_the_change_log_notices_a_new_order_and_ignores_a_missing_key(framework):
    first = publish(framework, "First")
    level = levels_of(framework)[0]
    level.qualifications.filter(position=2).update(position=0)
    second = publish(framework, "Reordered")

    diff = snapshot_diff(first.content, second.content)

    assert diff.qualifications_reordered == [level.name]
    assert diff.qualifications_added == diff.qualifications_removed == []
    old = without_qualifications(first.content)
    assert snapshot_diff(old, with_keys_added(old)).is_empty


def test_search_finds_a_levels_qualifications(client, framework):
    publish(framework)

    response = client.get(reverse("search:search") + "?q=city+guilds")

    hits = [hit for hit in response.context["results"].hits if hit.kind == "qualification"]
    assert {hit.level_slug for hit in hits} == {levels_of(framework)[0].slug}


# --- the admin's preview -------------------------------------------------------------------
def test_the_preview_shows_the_working_copys_qualifications(client, framework):
    client.force_login(make_head_of_profession(framework))

    response = client.get(reverse("admin:roles_profession_preview", args=[framework.pk]))

    html = response.content.decode()
    assert "Accredited qualifications" in html
    assert "Level 3 diploma in team leading (Chartered Management Institute)" in html


def test_a_version_published_before_qualifications_matches_a_working_copy_without_any(client):
    profession, version = make_framework(levels=2, skills=2)
    FrameworkVersion.objects.filter(pk=version.pk).update(
        content=without_qualifications(version.content)
    )
    client.force_login(make_head_of_profession(profession))

    response = client.get(reverse("admin:roles_profession_preview", args=[profession.pk]))

    assert "the same as the published version 1" in response.content.decode()
