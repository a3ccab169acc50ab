"""careers:moves: every level of every profession ranked by how well your agreed profile meets
it, sideways moves marked and filterable, each linking to the comparison with your level."""

import re

import pytest
from django.urls import reverse

from careers.selectors import current_target, profile_for, rank_moves
from roles.selectors import latest_frameworks
from tests.careers.conftest import sign_off
from tests.factories import make_person_at_level

pytestmark = pytest.mark.django_db


def get(client, query=""):
    response = client.get(reverse("careers:moves") + query)
    assert response.status_code == 200
    return response.content.decode()


def ranked(html):
    """(profession, level, match text, tags) of each move, in the page's order."""
    items = re.findall(r'<li class="app-move[^"]*">(.*?)</li>', html, re.S)
    moves = []
    for item in items:
        profession = re.search(r'<span class="govuk-caption-m[^"]*">(.*?)</span>', item).group(1)
        level = re.search(r"<a class=\"govuk-link\" href=\"[^\"]*\">(.*?)</a></h3>", item).group(1)
        match = re.search(r'app-move__match">(.*?)</p>', item, re.S).group(1)
        tags = re.findall(r'<strong class="govuk-tag[^"]*">(.*?)</strong>', item)
        moves.append((profession, level, match, tags))
    return moves


def test_the_url():
    assert reverse("careers:moves") == "/your-career/moves/"


def test_levels_are_ranked_by_the_share_of_their_skills_you_meet(
    author, profession, levels, other, signed_off
):
    frameworks = latest_frameworks()
    profile = profile_for(author)

    moves = rank_moves(
        frameworks, profile, person=author, current=current_target(frameworks, author)
    )

    # Agreed: Awareness, Working, Awareness. Own levels expect Awareness, Working, Practitioner
    # in every skill; Case officer the first skill at Awareness and Casework (never assessed)
    # at Working; Case manager both at Practitioner.
    assert [(m.target.level.name, m.tally.met, m.tally.total) for m in moves] == [
        (levels[0].name, 3, 3),
        ("Case officer", 1, 2),
        (levels[1].name, 1, 3),
        ("Case manager", 0, 2),  # 0%, and "Operations for tests" sorts before "Profession"
        (levels[2].name, 0, 3),
    ]
    assert [m.current for m in moves] == [True, False, False, False, False]
    # Sideways: another profession, at a level whose typical grades include HEO.
    assert [m.sideways for m in moves] == [False, True, False, False, False]
    assert moves[1].tally.not_assessed == 1
    assert moves[1].tally.percent == 50


def test_ties_go_to_the_level_that_meets_more_skills(author, profession, levels, other, version):
    # Agreed Working everywhere: the first two levels are both met in full, 3 of 3.
    sign_off(author, version, agreed=["working"] * 3)
    frameworks = latest_frameworks()

    moves = rank_moves(frameworks, profile_for(author), person=author, current=None)

    assert [m.target.level.name for m in moves][:2] == [levels[0].name, levels[1].name]
    assert {m.target.level.name: m.tally.met for m in moves}["Case officer"] == 1


def test_the_page_lists_them_in_order_with_what_they_need(
    author_client, profession, levels, other, signed_off
):
    html = get(author_client)

    assert ranked(html) == [
        (profession.name, levels[0].name, "You meet 3 of its 3 skills (100%).", ["Your level"]),
        (
            "Operations for tests",
            "Case officer",
            "You meet 1 of its 2 skills (50%); 1 not assessed.",
            ["Sideways move"],
        ),
        (profession.name, levels[1].name, "You meet 1 of its 3 skills (33%).", []),
        (
            "Operations for tests",
            "Case manager",
            "You meet 0 of its 2 skills (0%); 1 not assessed.",
            [],
        ),
        (profession.name, levels[2].name, "You meet 0 of its 3 skills (0%).", []),
    ]
    assert "A skill you were not assessed on counts as not met" in html
    assert "Typical grades: HEO" in html
    assert "There is 1 for you." in html


def test_each_links_to_the_comparison_with_your_level(
    author_client, profession, levels, other, signed_off
):
    html = get(author_client)

    mine = f"{profession.slug}/{levels[0].slug}"
    compare = reverse("roles:compare_roles")
    assert f"{compare}?from={mine}&amp;to=operations-for-tests/case-officer" in html
    assert f"{compare}?from={mine}&amp;to={profession.slug}/{levels[1].slug}" in html
    assert f"to={mine}" not in html  # not your own level with itself
    assert reverse("roles:level", args=["operations-for-tests", "case-officer"]) in html


def test_the_compare_link_leads_to_a_comparison(
    author_client, profession, levels, other, signed_off
):
    mine = f"{profession.slug}/{levels[0].slug}"

    response = author_client.get(
        reverse("roles:compare_roles") + f"?from={mine}&to=operations-for-tests/case-officer"
    )

    assert response.status_code == 200
    assert response.context["comparison"] is not None


def test_sideways_moves_only(author_client, other, signed_off):
    html = get(author_client, "?sideways=on")

    assert [(move[1], move[3]) for move in ranked(html)] == [("Case officer", ["Sideways move"])]
    assert 'name="sideways"' in html
    assert re.search(r'name="sideways"[^>]*checked', html)
    assert "Sideways moves, best match first" in html


def test_no_sideways_move_at_your_grade(client, profession, version, other):
    senior = make_person_at_level(profession, rank=1, grade="SCS")
    sign_off(senior, version, agreed=["awareness"] * 3)
    client.force_login(senior.user)

    html = get(client, "?sideways=on")

    assert ranked(html) == []
    assert "No level in another profession lists your grade" in html


def test_with_nothing_signed_off_it_says_so(author_client, author, version):
    html = get(author_client)

    assert "Nothing of yours has been signed off yet" in html
    assert "app-move" not in html
