"""The simple search (SQLite's, for `make run`): Snowball stems, prefix matches, difflib.

It runs on any database, so these tests run on PostgreSQL in CI as well as on SQLite.
"""

from roles.models import Skill
from roles.services import framework_publish
from search.query import SIMPLE, search
from tests.search.conftest import titles


def find(query):
    return search(query, backend=SIMPLE)


def test_word_forms_are_found(frameworks):
    assert "People management" in titles(find("managing"), "skill")
    assert "Product manager" in titles(find("managing"), "level")
    assert "Customer service" in titles(find("customers"), "skill")


def test_strategy_finds_the_skill_strategic_ownership(frameworks):
    assert "Strategic ownership" in titles(find("strategy"), "skill")


def test_every_word_must_match(frameworks):
    assert titles(find("operations team"), "level") == ["Operations team leader"]


def test_results_are_ranked_with_title_matches_first(frameworks):
    found = titles(find("customer service"))

    assert found[0] == "Customer service"
    assert found.index("Customer service") < found.index("Operations manager")


def test_a_title_that_is_exactly_the_search_comes_first(frameworks):
    assert titles(find("product manager"))[0] == "Product manager"
    assert titles(find("Operations"))[0] == "Operations"


def test_a_grade_finds_the_levels_at_that_grade(frameworks):
    expected = {"Senior product manager", "Lead product manager", "Operations manager"}

    assert set(titles(find("G7"), "level")) == expected
    assert set(titles(find("grade 7"), "level")) == expected
    assert set(titles(find("senior executive officer"), "level")) == {
        "Associate product manager",
        "Product manager",
    }


def test_a_short_word_matches_only_itself(frameworks):
    # "AO" is a grade; it must not match every word that starts with "ao" or "a".
    assert titles(find("AO"), "level") == ["Operations officer"]


def test_descriptors_and_resources_are_searched(frameworks):
    kinds = {hit.kind for hit in find("sprint").hits}

    assert {"descriptor", "resource"} <= kinds


def test_misspelt_words_suggest_the_published_ones(frameworks):
    assert find("stratgy").suggestion == "strategy"
    assert find("custmer servise").suggestion == "customer service"
    assert find("customers").suggestion == ""


def test_every_snippet_marks_the_word_it_matched(frameworks):
    for query in ("sprint", "customers", "strategy", "managing", "G7"):
        results = find(query)
        assert results.hits, query
        for hit in results.hits:
            assert "<mark>" in f"{hit.title} {hit.snippet or ''}", (query, hit)
            assert hit.snippet is None or "<mark>" in hit.snippet


def test_a_working_copy_is_not_searched_until_published(frameworks):
    Skill.objects.filter(slug="agile-working").update(name="Kanban flow")

    assert find("kanban").hits == []

    framework_publish(profession=frameworks["product"], by=None, change_note="Renamed")

    assert titles(find("kanban"), "skill") == ["Kanban flow"]


def test_a_blank_or_stop_word_query_finds_nothing(frameworks):
    assert find("").hits == []
    assert find("   ").hits == []
    assert find("the of and").hits == []
