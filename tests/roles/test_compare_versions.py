"""Compare any two published versions of a profession (roles.version_views.compare_versions):
public, a GET form, and bad or forged version numbers are form errors or 404, never 500."""

import pytest
from django.urls import reverse

from roles.forms import VERSION_FROM_UNKNOWN, VERSION_TO_UNKNOWN, VERSIONS_THE_SAME
from roles.models import RoleLevel
from roles.services import framework_publish
from tests.factories import UserFactory, make_framework


def publish(profession, note):
    return framework_publish(profession=profession, by=None, change_note=note)


def url(profession, **query):
    address = reverse("roles:compare_versions", args=[profession.slug])
    if query:
        address += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return address


@pytest.fixture
def three_versions(db):
    """Version 1; version 2 renames the first level; version 3 changes its summary."""
    profession, _ = make_framework(levels=2, skills=2)
    first = RoleLevel.objects.filter(profession=profession).order_by("rank").first()
    first.name = "Renamed level"
    first.save()
    publish(profession, "Renamed")
    first.summary = "A summary written for version 3"
    first.save()
    publish(profession, "New summary")
    return profession


@pytest.mark.parametrize("role", ["anonymous", "staff", "superuser"])
def test_anyone_may_compare_two_versions(client, three_versions, role):
    if role != "anonymous":
        client.force_login(UserFactory(is_superuser=role == "superuser", is_staff=True))

    response = client.get(url(three_versions, **{"from": 1, "to": 3}))

    assert response.status_code == 200
    page = response.content.decode()
    assert "From version 1 to version 3" in page
    assert "Renamed level" in page
    assert "changed summary" in page


def test_any_two_versions_not_only_neighbours(client, three_versions):
    response = client.get(url(three_versions, **{"from": 2, "to": 3}))

    diff = response.context["diff"]
    assert diff.levels_renamed == []
    assert [change.fields for change in diff.levels_changed] == [["Summary"]]


def test_the_first_visit_compares_the_latest_with_the_one_before(client, three_versions):
    response = client.get(url(three_versions))

    assert response.status_code == 200
    assert response.context["compared"] == (2, 3)
    assert 'value="3" selected' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": 9, "to": 3}, "from", VERSION_FROM_UNKNOWN),
        ({"from": 1, "to": "0"}, "to", VERSION_TO_UNKNOWN),
        ({"from": "x%27", "to": 3}, "from", VERSION_FROM_UNKNOWN),
        ({"from": "99999999999999999999", "to": 3}, "from", VERSION_FROM_UNKNOWN),
        ({"from": "-1", "to": 3}, "from", VERSION_FROM_UNKNOWN),
        ({"from": "%C2%B2", "to": 3}, "from", VERSION_FROM_UNKNOWN),
        ({"from": 2, "to": 2}, "to", VERSIONS_THE_SAME),
    ],
)
def test_bad_or_forged_numbers_are_a_govuk_error(client, three_versions, query, field, message):
    response = client.get(url(three_versions, **query))

    assert response.status_code == 200
    assert response.context["diff"] is None
    assert response.context["form"].errors[field] == [message]
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "<title>Error: " in page


def test_a_version_of_another_profession_is_not_offered(client, three_versions):
    other, _ = make_framework(levels=1, skills=1)
    for _ in range(4):
        publish(other, "Another")

    response = client.get(url(three_versions, **{"from": 1, "to": 5}))

    assert response.context["form"].errors["to"] == [VERSION_TO_UNKNOWN]


def test_an_unknown_profession_is_404(client, db):
    response = client.get(reverse("roles:compare_versions", args=["nobody"]))

    assert response.status_code == 404


def test_a_profession_with_one_version_has_nothing_to_compare(client, db):
    profession, _ = make_framework(levels=1, skills=1)

    response = client.get(url(profession, **{"from": 1, "to": 1}))

    assert response.status_code == 200
    assert response.context["form"] is None
    assert "nothing to compare it with yet" in response.content.decode()


def test_an_unpublished_profession_is_404(client, db):
    profession, _ = make_framework(levels=1, skills=1, publish=False)

    assert client.get(url(profession)).status_code == 404


def test_queries_do_not_grow_with_the_versions(client, django_assert_max_num_queries, db):
    small, _ = make_framework(levels=1, skills=1)
    publish(small, "Second")
    large, _ = make_framework(levels=6, skills=12)
    for number in range(30):
        publish(large, f"Version {number + 2}")

    with django_assert_max_num_queries(3) as small_queries:
        client.get(url(small, **{"from": 1, "to": 2}))
    with django_assert_max_num_queries(3) as large_queries:
        client.get(url(large, **{"from": 1, "to": 31}))
    assert len(small_queries) == len(large_queries)


def test_version_and_changelog_pages_link_to_the_comparison(client, three_versions):
    version_page = client.get(reverse("roles:version", args=[three_versions.slug, 3]))
    changelog = client.get(reverse("roles:changelog", args=[three_versions.slug]))

    assert f"{url(three_versions)}?from=2&amp;to=3" in version_page.content.decode()
    assert url(three_versions) in changelog.content.decode()


# --- what the comparison sees ---------------------------------------------------------------
def test_the_diff_sees_summaries_positions_notes_and_skill_words(db):
    from roles.diff import snapshot_diff
    from roles.models import Expectation, Skill

    profession, first = make_framework(levels=2, skills=2)
    profession.summary = "A new summary for the profession"
    profession.save()
    low, high = RoleLevel.objects.filter(profession=profession).order_by("rank")
    low.rank, high.rank = 3, 1
    low.save()
    high.save()
    expectation = Expectation.objects.filter(role_level=high).select_related("skill").first()
    expectation.note = "A note added"
    expectation.save()
    skill = Skill.objects.exclude(pk=expectation.skill_id).filter(expectations__role_level=high)
    skill = skill.first()
    old_name = skill.name
    skill.name = "A renamed skill"
    skill.description = "New words"
    skill.save()
    second = publish(profession, "Small changes")

    diff = snapshot_diff(first.content, second.content)

    assert diff.profession_summary_changed
    assert sorted(change.name for change in diff.levels_changed) == sorted([low.name, high.name])
    assert all("Position in the pathway" in change.fields for change in diff.levels_changed)
    assert [(c.level, c.skill) for c in diff.expectation_notes_changed] == [
        (high.name, expectation.skill.name)
    ]
    assert diff.skills_renamed == [(old_name, "A renamed skill")]
    assert diff.skills_redescribed == ["A renamed skill"]
    assert not diff.is_empty


def test_the_comparison_page_lists_them(client, db):
    profession, _ = make_framework(levels=1, skills=1)
    profession.summary = "Changed"
    profession.save()
    publish(profession, "Summary")

    page = client.get(url(profession, **{"from": 1, "to": 2})).content.decode()

    assert "The profession's summary changed" in page
