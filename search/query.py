"""Searching the published documents (search.models), ranked by relevance, on either database.

PostgreSQL: full-text search in the English configuration (stemmed words, websearch syntax:
"quoted phrases", -not, or) over a weighted tsvector with a GIN index, ranked with ts_rank.
One query over the published words (search.models.SearchTerm) first finds, for each word of
the query, the published words whose stems start the same way, which widen the search
("strategy" finds "Strategic ownership": Snowball stems them differently), and, for a word
with no published stem, the most similar published word by pg_trgm (GIN trigram index) for
"Did you mean". (Trigram similarity on document titles was tried instead of the widening, and
cost a sequential scan of every title on each search.)

The simple search (SQLite, for development): every word's Snowball stem must start a stem of
the document, or equal it when short (search.text), ranked in Python; misspellings from
difflib over the published words.

Either way a search is two queries whatever the size of the frameworks: the published words,
and the documents. Results and snippets are highlighted by search.highlight.
"""

import difflib
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When
from django.utils.safestring import SafeString

from .grades import grade_codes_in
from .highlight import highlight, snippet
from .models import Kind, SearchDocument, SearchTerm
from .text import (
    PREFIX_MIN,
    STOP_WORDS,
    key_matches,
    match_key,
    query_keys,
    stem,
    stems_fragment,
    words,
)

MAX_RESULTS = 50
MAX_WORDS = 10
# How much each kind of result counts, all else equal: the things people look for first.
KIND_WEIGHT = {
    Kind.PROFESSION: 1.0,
    Kind.LEVEL: 1.0,
    Kind.SKILL: 1.0,
    Kind.QUALIFICATION: 0.7,
    Kind.RESOURCE: 0.6,
    Kind.DESCRIPTOR: 0.5,
}
FIELDS = (
    "kind",
    "profession_slug",
    "profession_name",
    "level_slug",
    "skill_slug",
    "title",
    "context",
    "body",
    "grades",
)


@dataclass(frozen=True)
class Hit:
    kind: str
    kind_label: str
    title: SafeString
    profession_slug: str
    profession_name: str
    level_slug: str
    skill_slug: str
    context: str
    snippet: SafeString | None
    professions: tuple[str, ...] = ()  # a skill's: every profession that publishes it


@dataclass
class SearchResults:
    query: str
    hits: list[Hit] = field(default_factory=list)
    more: bool = False  # more than MAX_RESULTS matched
    suggestion: str = ""  # "Did you mean ...": the query with misspelt words corrected

    @property
    def count(self) -> int:
        return len(self.hits)


# The table is the model's own (tests/search/test_views.py checks the name).
GENERATION_SQL = 'SELECT max("id") FROM "search_searchdocument"'


def generation() -> int:
    """Names the documents as they are, in one index-only query: every publication writes new
    rows, with new ids, so the largest id moves on with it; caches of results key on it.
    (Only deleting a version could change the documents without moving it, and published
    versions are kept for good: assessments hold on to them.)"""
    with connection.cursor() as cursor:
        cursor.execute(GENERATION_SQL)
        return cursor.fetchone()[0] or 0


def prepare(query: str) -> str:
    """The query as searched: at most MAX_WORDS words, grade names as their codes."""
    return grade_codes_in(" ".join((query or "").split()[:MAX_WORDS]))


POSTGRESQL, SIMPLE = "postgresql", "simple"


def backend_for_database() -> str:
    """PostgreSQL's own search on PostgreSQL; the simple one (any database) elsewhere."""
    return POSTGRESQL if connection.vendor == "postgresql" else SIMPLE


def search(query: str, *, backend: str | None = None) -> SearchResults:
    """The published documents that match the query, most relevant first.

    `backend` is for tests: the simple search runs on PostgreSQL too, so CI tests it."""
    backend = backend or backend_for_database()
    text = prepare(query)
    results = SearchResults(query=" ".join((query or "").split()))
    wanted = _wanted(text)
    keys = query_keys(wanted)
    if not keys:
        return results
    if backend == POSTGRESQL:
        corrections, other_forms = _postgresql_words(wanted)
        rows = _postgresql_rows(text, wanted, other_forms)
    else:
        rows = _simple_rows(keys)
        corrections = _simple_corrections(wanted)
    results.hits, results.more = _hits(rows, keys, wanted)
    suggestion = " ".join(corrections.get(word, word) for word in words(wanted))
    if suggestion != " ".join(words(wanted)):
        results.suggestion = suggestion
    return results


def _wanted(text: str) -> str:
    """The words a result must have: the query less those excluded with a minus ("-senior")."""
    return " ".join(word for word in text.split() if not word.startswith("-"))


def _kind_weight():
    return Case(
        *(When(kind=kind, then=Value(weight)) for kind, weight in KIND_WEIGHT.items()),
        default=Value(0.5),
        output_field=FloatField(),
    )


def _postgresql_rows(text: str, wanted: str, other_forms: dict[str, list[str]]) -> list[dict]:
    exact = SearchQuery(text, search_type="websearch", config="english")
    query = exact
    if other_forms:
        # Each wanted word, or a published word that starts the same way ("strategy" or
        # "strategic"); the words the query excludes stay excluded.
        widened = None
        for word in _suggestible(wanted):
            forms = " or ".join([word, *other_forms.get(word, [])])
            part = SearchQuery(forms, search_type="websearch", config="english")
            widened = part if widened is None else widened & part
        excluded = [word[1:] for word in text.split() if word.startswith("-") and word[1:]]
        if excluded:
            widened &= ~SearchQuery(
                " or ".join(excluded), search_type="websearch", config="english"
            )
        query = exact | widened
    # Matching the words as typed counts twice: once in each rank.
    score = SearchRank(F("search_vector"), query) + SearchRank(F("search_vector"), exact)
    return list(
        SearchDocument.objects.filter(search_vector=query)
        .annotate(score=score * _kind_weight())
        .order_by("-score", "title", "profession_name", "pk")
        .values(*FIELDS)[: MAX_RESULTS * 3]
    )


# For each query word, with its stem and match key (search.text):
# - a correction when no published word has its stem: the most similar published word
#   (pg_trgm's % operator, similarity over pg_trgm.similarity_threshold, 0.3 by default);
# - its other forms: a published word for each other stem that starts with its key, so
#   "strategy" (stem strategi, key strateg) also finds "strategic" (stem strateg).
WORDS_SQL = """
SELECT q.word,
    CASE WHEN EXISTS (SELECT 1 FROM search_searchterm k WHERE k.stem = q.stem) THEN NULL ELSE (
        SELECT t.word FROM search_searchterm t
        WHERE t.word %% q.word
        ORDER BY similarity(t.word, q.word) DESC, t.word LIMIT 1
    ) END,
    ARRAY(
        SELECT min(t.word) FROM search_searchterm t
        WHERE length(q.key) >= %s AND t.stem LIKE q.key || '%%' AND t.stem <> q.stem
        GROUP BY t.stem ORDER BY t.stem LIMIT %s
    )
FROM unnest(%s::text[], %s::text[], %s::text[]) AS q(word, stem, key)
"""
MAX_OTHER_FORMS = 5


def _suggestible(text: str) -> list[str]:
    return [
        word
        for word in dict.fromkeys(words(text))
        if word not in STOP_WORDS and len(word) >= 3 and not word.isdigit()
    ]


def _postgresql_words(text: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Corrections of misspelt words, and other forms of each word (WORDS_SQL): one query."""
    candidates = _suggestible(text)
    with connection.cursor() as cursor:
        cursor.execute(
            WORDS_SQL,
            [
                PREFIX_MIN,
                MAX_OTHER_FORMS,
                candidates,
                [stem(word) for word in candidates],
                [match_key(word) for word in candidates],
            ],
        )
        found = cursor.fetchall()
    corrections = {word: better for word, better, _forms in found if better}
    other_forms = {word: forms for word, _better, forms in found if forms}
    return corrections, other_forms


def _simple_rows(keys: list[str]) -> list[dict]:
    matches = Q()
    for key in keys:
        matches &= Q(stems__contains=stems_fragment(key))
    rows = list(SearchDocument.objects.filter(matches).values(*FIELDS, "stems"))
    for row in rows:
        title_stems = {stem(word) for word in words(row["title"] + " " + row["grades"])}
        in_title = sum(any(key_matches(s, key) for s in title_stems) for key in keys)
        in_text = sum(row["stems"].count(stems_fragment(key)) for key in keys)
        row["score"] = (3 * in_title + min(in_text, 10)) * KIND_WEIGHT.get(row["kind"], 0.5)
    rows.sort(key=lambda row: (-row["score"], row["title"], row["profession_name"]))
    return rows[: MAX_RESULTS * 3]


def _simple_corrections(text: str) -> dict[str, str]:
    candidates = _suggestible(text)
    if not candidates:
        return {}
    nearby = Q(stem__in=[stem(word) for word in candidates])
    for word in candidates:
        nearby |= Q(word__startswith=word[0])
    terms = list(SearchTerm.objects.filter(nearby).values_list("word", "stem").distinct())
    known = {term_stem for _word, term_stem in terms}
    vocabulary = sorted({word for word, _stem in terms})
    corrections = {}
    for word in candidates:
        if stem(word) in known:
            continue
        close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
        if close:
            corrections[word] = close[0]
    return corrections


def _hits(rows: list[dict], keys: list[str], wanted: str) -> tuple[list[Hit], bool]:
    """Hits in the rows' order, except that a title that is exactly the words searched for
    comes first; a skill published by several professions (and its descriptors and resources)
    once, naming them all; at most MAX_RESULTS."""
    exactly = words(wanted)
    rows = sorted(rows, key=lambda row: words(row["title"]) != exactly)  # stable
    hits: dict[tuple, dict] = {}
    for row in rows:
        if row["skill_slug"]:
            key = (row["kind"], row["skill_slug"], row["title"], row["context"])
        else:
            key = (row["kind"], row["profession_slug"], row["level_slug"], row["title"])
        if key in hits:
            hits[key]["professions"].append(row["profession_name"])
        else:
            hits[key] = {**row, "professions": [row["profession_name"]]}
    found = list(hits.values())
    return [_hit(row, keys) for row in found[:MAX_RESULTS]], len(found) > MAX_RESULTS


def _hit(row: dict, keys: list[str]) -> Hit:
    text = row["body"]
    if row["kind"] == Kind.LEVEL and row["grades"]:
        text = "\n".join(filter(None, [text, f"Grades: {row['grades']}"]))
    return Hit(
        kind=row["kind"],
        kind_label=Kind(row["kind"]).label,
        title=highlight(row["title"], keys),
        profession_slug=row["profession_slug"],
        profession_name=row["profession_name"],
        level_slug=row["level_slug"],
        skill_slug=row["skill_slug"],
        context=row["context"],
        snippet=snippet(text, keys),
        professions=tuple(sorted(set(row["professions"]), key=str.casefold)),
    )
