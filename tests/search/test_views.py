"""The search page: the same for everyone, GOV.UK errors, what it says, bounded queries."""

import re

import pytest
from django.urls import reverse

from careerpath import public_cache
from people.models import DepartmentalHead
from search import forms
from search.models import SearchDocument
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    UserFactory,
    make_framework,
    make_head_of_profession,
)

URL = reverse("search:search")


def main_content(response):
    return response.content.decode().split('id="main-content"')[1]


@pytest.fixture
def people(frameworks):
    product = frameworks["product"]
    further_up = PersonFactory()
    manager = PersonFactory(line_manager=further_up)
    departmental = UserFactory()
    DepartmentalHead.objects.create(
        user=departmental, profession=product, department=DepartmentFactory()
    )
    return {
        "staff": PersonFactory(line_manager=manager).user,
        "line manager": manager.user,
        "manager further up": further_up.user,
        "other staff": PersonFactory().user,
        "head of profession": make_head_of_profession(product),
        "departmental head": departmental,
        "service administrator": UserFactory(is_staff=True, is_superuser=True),
    }


@pytest.mark.parametrize(
    "who",
    [
        "staff",
        "line manager",
        "manager further up",
        "other staff",
        "head of profession",
        "departmental head",
        "service administrator",
    ],
)
def test_everyone_gets_the_same_results_as_anonymous(client, people, who):
    anonymous = client.get(URL + "?q=strategy")
    client.force_login(people[who])

    signed_in = client.get(URL + "?q=strategy")

    assert anonymous.status_code == signed_in.status_code == 200
    assert "Strategic ownership" in main_content(anonymous)
    assert main_content(signed_in) == main_content(anonymous)


def test_the_empty_page_shows_just_the_form(client, frameworks):
    response = client.get(URL)

    html = main_content(response)
    assert response.status_code == 200
    assert 'name="q"' in html
    assert "No results" not in html
    assert response.context["results"] is None


def test_the_breadcrumbs_lead_home_only(client, frameworks):
    html = client.get(URL + "?q=strategy").content.decode()

    crumbs = re.search(r'<nav class="govuk-breadcrumbs".*?</nav>', html, re.S).group(0)
    assert re.findall(r'class="govuk-breadcrumbs__link" href="([^"]+)"', crumbs) == [
        reverse("home")
    ]
    assert "Professions" not in crumbs


def test_results_link_to_their_pages_with_the_match_marked(client, frameworks):
    html = main_content(client.get(URL + "?q=strategy"))

    assert "<mark>Strategic</mark> ownership" in html
    assert reverse("roles:skill", args=["strategic-ownership"]) in html
    assert "most relevant first" in html


def test_a_misspelling_offers_a_link_that_runs_the_suggested_search(client, frameworks):
    html = main_content(client.get(URL + "?q=custmer+servise"))

    assert (
        f'Did you mean <a class="govuk-link govuk-!-font-weight-bold" '
        f'href="{URL}?q=customer%20service">customer service</a>?'
    ) in html
    followed = client.get(f"{URL}?q=customer%20service")
    assert followed.context["results"].hits[0].kind == "skill"
    assert followed.context["results"].suggestion == ""


def test_no_results_says_what_to_try_next(client, frameworks):
    html = main_content(client.get(URL + "?q=zzzqqq"))

    assert "No results for \u2018zzzqqq\u2019" in html
    assert "check your spelling" in html
    assert "G7" in html
    assert reverse("roles:profession_list") in html
    assert reverse("roles:skill_list") in html


def test_a_too_long_search_is_a_gov_uk_error_and_searches_nothing(
    client, frameworks, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        response = client.get(URL + "?q=" + "a" * 201)

    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert html.count(forms.QUERY_TOO_LONG) == 2  # the summary and the field
    assert response.context["results"] is None
    assert "<title>Error: " in html


def test_what_is_typed_is_shown_escaped(client, frameworks):
    html = main_content(client.get(URL + "?q=%3Cscript%3Ealert(1)%3C/script%3E"))

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("size", ["small", "large"])
def test_a_search_runs_a_fixed_number_of_queries_whatever_the_size(
    client, django_assert_num_queries, db, size
):
    count = 1 if size == "small" else 6
    for _ in range(count):
        make_framework(levels=4 if size == "small" else 8, skills=3 if size == "small" else 30)
    assert SearchDocument.objects.count() > 0

    for query in ("level", "skill", "zzzqqq", "custmer"):
        # The generation, the published words, the documents.
        with django_assert_num_queries(3):
            assert client.get(URL + f"?q={query}").status_code == 200
        # Again, rendered: the generation only; the results are cached for it.
        public_cache.published()
        with django_assert_num_queries(1):
            assert client.get(URL + f"?q={query}").status_code == 200
        # Again, for anonymous visitors: the whole page, kept (careerpath/public_cache.py).
        with django_assert_num_queries(0):
            assert client.get(URL + f"?q={query}")["X-Public-Cache"] == "hit"


def test_a_publication_is_searchable_at_once_though_results_are_cached(client, frameworks):
    from roles.models import Skill
    from roles.services import framework_publish

    assert "Kanban" not in main_content(client.get(URL + "?q=kanban"))
    Skill.objects.filter(slug="agile-working").update(name="Kanban flow")
    assert "Kanban" not in main_content(client.get(URL + "?q=kanban"))

    framework_publish(profession=frameworks["product"], by=None, change_note="Renamed")

    assert "<mark>Kanban</mark> flow" in main_content(client.get(URL + "?q=kanban"))


def test_the_generation_query_names_the_models_table():
    from search.query import GENERATION_SQL

    assert f'FROM "{SearchDocument._meta.db_table}"' in GENERATION_SQL
