"""Words and stems, the same for writing documents and reading queries on either database.

Stems come from the Snowball English stemmer (the `snowballstemmer` package), the algorithm
PostgreSQL's `english` text search configuration uses, so a word form found on PostgreSQL is
found on SQLite too: "managing", "manages" and "management" all stem to "manag".
"""

import re
from functools import lru_cache

import snowballstemmer

RIGHT_QUOTE = "\u2019"  # typographic apostrophe, read as "'"
WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")

# Words too common to narrow a search (PostgreSQL's English configuration drops these and more).
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
        "who",
        "what",
        "how",
    ]
)

_stemmer = snowballstemmer.stemmer("english")


def words(text: str) -> list[str]:
    """The lower-cased words of a text, in order."""
    return [normal(m.group(0)) for m in WORD.finditer(text or "")]


def normal(word: str) -> str:
    """A word lower-cased, with a typographic apostrophe made plain."""
    return word.casefold().replace(RIGHT_QUOTE, "'")


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word.casefold())


def match_key(word: str) -> str:
    """What a query word must start the stem of a document word with to match it.

    Its stem, less the last letter when the stem is long: Snowball stems "strategy" to
    "strategi" but "strategic" to "strateg", and people searching for one mean the other too.
    """
    stemmed = stem(word)
    return stemmed[:-1] if len(stemmed) >= 7 else stemmed


def query_keys(query: str) -> list[str]:
    """The match keys of a query's words, stop words left out, each once, in order."""
    keys = []
    for word in words(query):
        if word not in STOP_WORDS and match_key(word) not in keys:
            keys.append(match_key(word))
    return keys


def stems_text(*texts: str) -> str:
    """Every stem of these texts, space-separated and space-ended: " manag team "."""
    return " " + " ".join(stem(word) for text in texts for word in words(text)) + " "


PREFIX_MIN = 4  # a key this long matches the stems it starts; a shorter one, only itself


def key_matches(word_stem: str, key: str) -> bool:
    """Whether a document word's stem matches a query's match key."""
    return word_stem.startswith(key) if len(key) >= PREFIX_MIN else word_stem == key


def stems_fragment(key: str) -> str:
    """The piece of a document's `stems` text that holds a match for the key."""
    return f" {key}" if len(key) >= PREFIX_MIN else f" {key} "
