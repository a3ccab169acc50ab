"""careers:profile: your skill profile from your latest signed-off assessment, against your
level, the next one or any level of any profession, as a chart and a table of the same figures."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.careers.conftest import sign_off
from tests.factories import PersonFactory, make_assessment_for_review, start_assessment

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def get(client, query=""):
    return client.get(reverse("careers:profile") + query)


def table_rows(html):
    """[skill, expected, own, agreed, against expected] for each row of the profile's table."""
    body = html.split('id="profile-caption"')[1].split("</table>")[0]
    rows = []
    for row in re.findall(r"<tr class=\"govuk-table__row app-profile-row.*?</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([cell.strip() for cell in cells])
    return rows


def chart_of(html):
    svg = re.search(r"<svg class=\"app-chart app-chart--dot\".*?</svg>", html, re.S).group(0)
    return ET.fromstring(svg)  # noqa: S314 (our own templates' output)


def test_the_url():
    assert reverse("careers:profile") == "/your-career/profile/"


def test_it_sets_your_agreed_profile_against_your_level_by_default(
    author_client, skills, levels, signed_off
):
    response = get(author_client)

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Against {levels[0].name}" in html
    assert table_rows(html) == [
        [skills[0].name, "Awareness", "Working", "Awareness", "Meets"],
        [skills[1].name, "Awareness", "Working", "Working", "Above"],
        [skills[2].name, "Awareness", "Awareness", "Awareness", "Meets"],
    ]
    assert f"signed off on {signed_off.signed_off_at:%-d %B %Y} by Mo Manager" in html
    assert "in 3 of its 3 skills" in html


def test_the_next_level(author_client, profession, skills, levels, signed_off):
    response = get(author_client, f"?level={profession.slug}/{levels[1].slug}")

    html = response.content.decode()
    assert f"Against {levels[1].name}" in html
    assert [row[1] for row in table_rows(html)] == ["Working"] * 3
    assert [row[4] for row in table_rows(html)] == ["Below", "Meets", "Below"]
    assert "in 1 of its 3 skills, and is below it in 2" in html
    readiness = f"{reverse('careers:readiness')}?level={profession.slug}/{levels[1].slug}"
    assert readiness in html


def test_a_level_of_another_profession_shows_skills_never_assessed(
    author_client, other, skills, signed_off
):
    response = get(author_client, "?level=operations-for-tests/case-officer")

    html = response.content.decode()
    assert "Against Case officer" in html
    assert sorted(table_rows(html)) == sorted(
        [
            [skills[0].name, "Awareness", "Working", "Awareness", "Meets"],
            ["Casework", "Working", "Not assessed", "Not assessed", "Not assessed"],
        ]
    )
    assert "You were not assessed on 1 of its skills." in html
    chart_text = " ".join(t for t in chart_of(html).itertext())
    assert "Casework (not assessed)" in chart_text


def test_the_latest_signed_off_assessment_counts_whatever_is_newer(
    author_client, author, version, skills, signed_off
):
    # An older sign-off, and a newer draft and submission at other levels, change nothing.
    older = sign_off(
        author,
        version,
        agreed=["awareness"] * 3,
        when=timezone.now() - timedelta(days=400),
    )
    start_assessment(author, version, rank=2)
    make_assessment_for_review(person=author, version=version, level_rank=3)

    html = get(author_client).content.decode()

    assert [row[3] for row in table_rows(html)] == ["Awareness", "Working", "Awareness"]
    assert f"signed off on {signed_off.signed_off_at:%-d %B %Y}" in html
    assert f"{older.signed_off_at:%-d %B %Y}" not in html


def test_a_value_that_names_no_level_is_a_gov_uk_error(author_client, signed_off):
    for bad in ["nope/nothing", "no-slash", "/", "x" * 300]:
        response = get(author_client, f"?level={bad}")

        html = response.content.decode()
        assert response.status_code == 200
        assert "govuk-error-summary" in html
        assert html.count("Choose a level from the list") == 2  # summary and field
        assert "<title>Error: Your skill profile" in html
        assert "app-chart--dot" not in html


def test_the_select_offers_every_published_level_with_the_shown_one_chosen(
    author_client, profession, levels, other, signed_off
):
    html = get(author_client, f"?level={profession.slug}/{levels[2].slug}").content.decode()

    assert f'<option value="{profession.slug}/{levels[2].slug}" selected>' in html
    assert '<option value="operations-for-tests/case-manager">' in html
    assert '<optgroup label="Operations for tests">' in html


def test_the_chart_is_an_image_with_a_summary_and_no_inline_style(author_client, signed_off):
    html = get(author_client).content.decode()

    svg = chart_of(html)
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text.startswith("Your proficiency in each skill of")
    desc = svg.find(f"{SVG}desc").text
    assert "meets or is above what the level expects in 3 of 3 skills; 0 below." in desc
    assert not any(element.get("style") is not None for element in svg.iter())
    # A marker per series per skill: expected, own and agreed.
    assert len(svg.findall(f".//{SVG}g[@class='app-chart__row']/*[@class]")) > 0
    key = [t.text for t in svg.iter(f"{SVG}text") if t.text]
    assert {"Expected at this level", "Your own rating", "Agreed at sign-off"} <= set(key)


def test_with_nothing_signed_off_it_says_so(author_client, author, version):
    html = get(author_client).content.decode()
    assert "Nothing of yours has been signed off yet" in html
    assert reverse("assessments:assessment_start") in html

    start_assessment(author, version)

    html = get(author_client).content.decode()
    assert "Your profile will appear here once your line manager signs it off" in html
    assert "app-chart" not in html


def test_someone_with_no_level_chooses_one(client, profession, levels, version):
    person = PersonFactory(name="Lee Nolevel", line_manager=PersonFactory())
    sign_off(person, version, agreed=["working"] * 3)
    client.force_login(person.user)

    first = get(client).content.decode()
    chosen = get(client, f"?level={profession.slug}/{levels[1].slug}").content.decode()

    assert "app-chart" not in first
    assert 'name="level"' in first
    assert f"Against {levels[1].name}" in chosen
