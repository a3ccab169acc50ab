"""Search logic over published Frameworks: words, case, grouping, no match."""

from roles.search import MAX_WORDS, query_words, search_frameworks
from roles.selectors import framework_from_content


def build(version_id, name, summary, levels, skills):
    return framework_from_content(
        version_id,
        1,
        {
            "profession": {"name": name, "slug": name.lower(), "summary": summary},
            "levels": [
                {
                    "slug": level["name"].lower().replace(" ", "-"),
                    "rank": rank,
                    "expectations": [
                        {"skill": skill["slug"], "proficiency": "working"} for skill in skills
                    ],
                    **level,
                }
                for rank, level in enumerate(levels, start=1)
            ],
            "skills": skills,
        },
    )


DATA_SKILL = {"slug": "data", "name": "Using data", "description": "Makes decisions with evidence."}
CUSTOMER = {"slug": "customer", "name": "Customer service", "description": "Serves the public."}


def frameworks():
    return [
        build(
            1,
            "Operations",
            "Serving citizens and businesses.",
            [
                {"name": "Operations officer", "summary": "Front line.", "description": ""},
                {"name": "Operations director", "summary": "", "description": "Leads change."},
            ],
            [CUSTOMER, DATA_SKILL],
        ),
        build(
            2,
            "Product management",
            "Owning products.",
            [{"name": "Product manager", "summary": "One product.", "description": ""}],
            [DATA_SKILL],
        ),
    ]


def test_empty_or_blank_query_finds_nothing():
    assert search_frameworks(frameworks(), "").count == 0
    assert search_frameworks(frameworks(), "   ").count == 0


def test_search_is_case_insensitive_and_finds_each_type():
    results = search_frameworks(frameworks(), "OPERATIONS")

    assert [hit.framework.profession_name for hit in results.professions] == ["Operations"]
    assert [hit.level.name for hit in results.levels] == [
        "Operations officer",
        "Operations director",
    ]
    assert results.skills == []


def test_every_word_must_match():
    results = search_frameworks(frameworks(), "operations director")

    assert [hit.level.name for hit in results.levels] == ["Operations director"]
    assert results.professions == []


def test_level_description_and_skill_description_are_searched():
    results = search_frameworks(frameworks(), "leads change")

    assert [hit.level.name for hit in results.levels] == ["Operations director"]

    results = search_frameworks(frameworks(), "evidence")
    assert [hit.skill.slug for hit in results.skills] == ["data"]


def test_a_skill_shared_by_professions_appears_once_with_both():
    results = search_frameworks(frameworks(), "using data")

    assert len(results.skills) == 1
    assert results.skills[0].professions == ("Operations", "Product management")


def test_no_match_has_no_results_and_keeps_the_query():
    results = search_frameworks(frameworks(), "  astronaut ")

    assert results.count == 0
    assert results.query == "astronaut"


def test_query_words_are_lower_cased_and_limited():
    assert query_words("Data  SERVICE") == ["data", "service"]
    assert len(query_words(" ".join(["word"] * 50))) == MAX_WORDS
