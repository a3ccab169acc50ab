"""careers:readiness: the skills you meet for a level and your gaps, each with the learning
resources that fit it and a link to add it to your plan, and the level's qualifications."""

import re

import pytest
from django.urls import reverse

from roles.services import framework_publish
from tests.factories import (
    LearningResourceFactory,
    make_person_at_level,
    publish_with_qualification,
)

pytestmark = pytest.mark.django_db


def get(client, query=""):
    response = client.get(reverse("careers:readiness") + query)
    assert response.status_code == 200
    return response.content.decode()


def section(html, heading_id):
    """The HTML from the heading with this id to the next h2."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("<h2", start)
    return html[start : end if end != -1 else len(html)]


def gap_names(html):
    return re.findall(r'<div class="app-gap">\s*<h3 class="govuk-heading-s">(.*?)</h3>', html)


@pytest.fixture
def resources(profession, skills):
    """The first skill's resources by proficiency, published as version 2."""
    for title, proficiency in [
        ("Awareness introduction", "awareness"),
        ("Working course", "working"),
        ("Practitioner masterclass", "practitioner"),
    ]:
        LearningResourceFactory(skill=skills[0], title=title, proficiency=proficiency)
    framework_publish(profession=profession, by=None, change_note="More learning")


def test_the_url():
    assert reverse("careers:readiness") == "/your-career/ready/"


def test_by_default_it_is_your_next_level(author_client, levels, skills, signed_off):
    html = get(author_client)

    assert f'<h1 class="govuk-heading-l">How ready you are for {levels[1].name}</h1>' in html
    # Agreed Awareness, Working, Awareness; the next level expects Working in all three.
    assert "You meet 1 of the 3 skills this level expects" in html
    assert gap_names(html) == [skills[0].name, skills[2].name]
    assert skills[1].name in section(html, "met")


def test_each_gap_lists_the_resources_from_your_proficiency_up_to_the_expected_one(
    author_client, skills, signed_off, resources
):
    html = get(author_client)

    gap = html.split(f'<h3 class="govuk-heading-s">{skills[0].name}</h3>')[1].split("app-gap")[0]
    assert "Expected: Working. Agreed: Awareness." in gap
    assert "Working course" in gap
    assert "Course" in gap  # the one for any proficiency, from make_framework
    assert "Awareness introduction" not in gap  # already there
    assert "Practitioner masterclass" not in gap  # beyond what the level expects


def test_a_skill_never_assessed_is_a_gap_with_everything_up_to_the_expected_one(
    author_client, other, signed_off
):
    html = get(author_client, "?level=operations-for-tests/case-officer")

    assert gap_names(html) == ["Casework"]
    assert "Not assessed: this skill was not part of your signed-off assessment." in html
    assert "Casework basics" in html
    assert "1 of its skills was not part of that assessment, so it counts as a gap" in html
    assert "You meet 1 of the 2 skills" in html


def test_each_gap_links_to_adding_it_to_the_plan(
    author_client, profession, levels, skills, signed_off
):
    html = get(author_client)

    level = f"{profession.slug}/{levels[1].slug}"
    add = "/your-career/plan/add/"
    assert f'href="{add}?skill={skills[0].slug}&amp;level={level}"' in html
    assert f'href="{add}?skill={skills[2].slug}&amp;level={level}"' in html
    assert f"?skill={skills[1].slug}&amp;" not in html  # met: nothing to plan
    assert 'href="/your-career/plan/"' in html


def test_the_level_s_qualifications_when_it_has_them(author_client, signed_off, version):
    assert "Qualifications for this level" not in get(author_client)
    publish_with_qualification(
        version,
        rank=2,
        title="Level 5 diploma in management",
        awarding_body="Chartered Management Institute",
        url="https://www.example.org/diploma",
        summary="Leading teams & operations.",
    )

    html = get(author_client)

    found = section(html, "qualifications")
    assert '<a class="govuk-link" href="https://www.example.org/diploma">' in found
    assert "Level 5 diploma in management" in found
    assert "Awarded by Chartered Management Institute" in found
    assert "Leading teams &amp; operations." in found


def test_at_the_top_of_the_pathway_there_is_no_next_level(client, profession, levels):
    top = make_person_at_level(profession, rank=3, name="Tia Top")
    client.force_login(top.user)

    html = get(client)

    assert f"{levels[2].name} is the most senior level" in html
    assert 'name="level"' in html
    assert "app-gap" not in html


def test_with_nothing_signed_off_every_skill_is_a_gap(author_client, profession, levels, skills):
    html = get(author_client)

    assert "Nothing of yours has been signed off yet" in html
    assert gap_names(html) == [skill.name for skill in skills]
    start = f"{reverse('assessments:assessment_start')}?profession={profession.slug}"
    assert f"{start}&amp;level={levels[1].slug}" in html


def test_a_value_that_names_no_level_is_a_gov_uk_error(author_client, signed_off):
    html = get(author_client, "?level=nope/nothing")

    assert "govuk-error-summary" in html
    assert html.count("Choose a level from the list") == 2
    assert "app-gap" not in html


def test_your_own_level_says_so(author_client, profession, levels, signed_off):
    html = get(author_client, f"?level={profession.slug}/{levels[0].slug}")

    assert "and your own level" in html
    assert "None: you meet every skill this level expects." in html
