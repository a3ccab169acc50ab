"""PostgreSQL's own search: stemming, websearch, ranking, trigrams, "Did you mean".

Collected only when the tests run on PostgreSQL (tests/search/conftest.py); CI does.
"""

import pytest
from django.db import connection

from roles.models import Skill
from roles.services import framework_publish
from search.query import POSTGRESQL, search
from tests.search.conftest import titles


@pytest.fixture(autouse=True)
def _on_postgresql(db):
    assert connection.vendor == "postgresql", "PostgreSQL's search tests ran on another database"


def find(query):
    return search(query, backend=POSTGRESQL)


def test_misspelt_words_suggest_the_published_ones(frameworks):
    assert find("stratgy").suggestion == "strategy"
    assert find("custmer servise").suggestion == "customer service"


def test_a_correctly_spelt_search_suggests_nothing(frameworks):
    assert find("strategy").suggestion == ""
    assert find("managing customers").suggestion == ""


def test_word_forms_are_found(frameworks):
    # "managing" finds "management" and "manager"; "customers" finds "customer".
    assert "People management" in titles(find("managing"), "skill")
    assert "Product manager" in titles(find("managing"), "level")
    assert "Customer service" in titles(find("customers"), "skill")


def test_strategy_finds_the_skill_strategic_ownership(frameworks):
    assert "Strategic ownership" in titles(find("strategy"), "skill")


def test_results_are_ranked_by_relevance_across_kinds(frameworks):
    found = titles(find("customer service"))

    # The skill named so comes first; a level that merely serves customers comes later.
    assert found[0] == "Customer service"
    assert found.index("Customer service") < found.index("Operations manager")


def test_a_title_that_is_exactly_the_search_comes_first(frameworks):
    assert titles(find("product manager"))[0] == "Product manager"
    assert titles(find("Operations"))[0] == "Operations"


def test_a_grade_finds_the_levels_at_that_grade(frameworks):
    expected = {"Senior product manager", "Lead product manager", "Operations manager"}

    for query in ("G7", "g7", "grade 7", "Grade 7"):
        assert set(titles(find(query), "level")) == expected, query
    assert set(titles(find("senior executive officer"), "level")) == {
        "Associate product manager",
        "Product manager",
    }
    assert set(titles(find("SEO"), "level")) == set(
        titles(find("senior executive officer"), "level")
    )
    assert titles(find("scs2"), "level") == ["Head of product"]


def test_descriptors_and_resources_are_searched(frameworks):
    results = find("sprint")

    kinds = {hit.kind for hit in results.hits}
    assert {"descriptor", "resource"} <= kinds
    assert "Running a good sprint" in titles(results, "resource")


def test_qualifications_are_searched(frameworks):
    assert titles(find("city guilds"), "qualification") == ["Level 3 Diploma in Team Leading"]


def test_every_snippet_marks_the_word_it_matched(frameworks):
    for query in ("sprint", "customers", "strategy", "managing", "G7"):
        results = find(query)
        assert results.hits, query
        for hit in results.hits:
            shown = f"{hit.title} {hit.snippet or ''}"
            assert "<mark>" in shown, (query, hit)
            if hit.snippet:
                assert "<mark>" in hit.snippet, (query, hit)


def test_a_shared_skill_is_one_result_naming_both_professions(frameworks):
    [hit] = [hit for hit in find("people management").hits if hit.kind == "skill"]

    assert hit.professions == ("Operations", "Product management")


def test_a_published_change_is_found_at_once_and_a_working_copy_is_not(frameworks):
    skill = Skill.objects.get(slug="agile-working")
    skill.name = "Kanban flow"
    skill.save()

    assert find("kanban").hits == []
    assert "Agile working" in titles(find("agile"), "skill")

    framework_publish(profession=frameworks["product"], by=None, change_note="Renamed")

    assert titles(find("kanban"), "skill") == ["Kanban flow"]
    assert "Agile working" not in titles(find("agile"), "skill")


def test_only_the_latest_version_of_a_profession_is_searched(frameworks):
    framework_publish(profession=frameworks["product"], by=None, change_note="Again")

    assert titles(find("product management"), "profession") == ["Product management"]


def test_websearch_syntax_excludes_words(frameworks):
    found = titles(find("product -senior"), "level")

    assert "Product manager" in found
    assert "Senior product manager" not in found


@pytest.mark.parametrize("query", ["about", "&|!():*", "c++ <->", "'", '"unclosed', "-"])
def test_stop_words_and_stray_syntax_find_nothing_without_an_error(frameworks, query):
    results = find(query)

    assert results.hits == []
    assert results.suggestion == ""


def test_a_stray_minus_is_ignored(frameworks):
    assert titles(find("G7 -"), "level") == titles(find("G7"), "level") != []
