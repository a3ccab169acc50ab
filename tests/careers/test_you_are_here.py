"""'You are here' on your own profession's pathway: a personal line outside the page's
fragment cache, for signed-in people in that profession only."""

import re

import pytest
from django.urls import reverse

from roles.models import RoleLevel
from tests.factories import PersonFactory, RoleLevelFactory, make_person_at_level

pytestmark = pytest.mark.django_db

INSET = re.compile(r'<div class="[^"]*app-you-are-here.*?</div>', re.S)


def pathway(client, profession):
    response = client.get(reverse("roles:pathway", args=[profession.slug]))
    assert response.status_code == 200
    return response.content.decode()


def inset(html):
    found = INSET.findall(html)
    return found[0] if found else None


def test_it_says_where_you_are_and_what_is_next(author_client, profession, levels):
    found = inset(pathway(author_client, profession))

    assert found is not None
    assert "govuk-inset-text" in found
    assert "You are here: <a" in found
    assert reverse("roles:level", args=[profession.slug, levels[0].slug]) in found
    assert f">{levels[0].name}</a>. Next: <a" in found
    assert reverse("roles:level", args=[profession.slug, levels[1].slug]) in found
    readiness = f"{reverse('careers:readiness')}?level={profession.slug}/{levels[1].slug}"
    assert readiness in found
    assert "See how ready you are for it" in found


def test_at_the_top_there_is_no_next(client, profession, levels):
    top = make_person_at_level(profession, rank=3)
    client.force_login(top.user)

    found = inset(pathway(client, profession))

    assert f">{levels[2].name}</a>. It is the most senior level of this pathway." in found
    assert "Next:" not in found


def test_only_on_your_own_profession_s_pathway(author_client, other):
    other_profession, _version = other

    assert inset(pathway(author_client, other_profession)) is None


def test_not_for_anonymous_visitors_or_people_without_a_level(client, profession):
    assert inset(pathway(client, profession)) is None
    client.force_login(PersonFactory(profession=profession).user)
    assert inset(pathway(client, profession)) is None


def test_not_for_a_level_that_is_not_published_yet(client, profession):
    unpublished = RoleLevelFactory(profession=profession, rank=9)
    person = PersonFactory(profession=profession, role_level=unpublished)
    client.force_login(person.user)

    assert inset(pathway(client, profession)) is None


def test_the_cached_page_is_personal_only_in_the_inset(client, profession, levels, author):
    anonymous = pathway(client, profession)
    second = make_person_at_level(profession, rank=2)

    client.force_login(author.user)
    first_html = pathway(client, profession)
    client.force_login(second.user)
    second_html = pathway(client, profession)

    assert f">{levels[0].name}</a>. Next:" in inset(first_html)
    assert f">{levels[1].name}</a>. Next:" in inset(second_html)
    for html in (first_html, second_html):
        main = INSET.sub("", html.split('id="main-content"')[1])
        assert main == anonymous.split('id="main-content"')[1]


def test_a_profession_whose_levels_changed_still_shows_the_published_ones(
    author_client, profession, levels
):
    RoleLevel.objects.filter(pk=levels[0].pk).update(name="Renamed in the working copy")

    found = inset(pathway(author_client, profession))

    assert levels[0].name in found
    assert "Renamed in the working copy" not in found
