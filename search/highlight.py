"""Showing what matched: the matched words of a title or snippet in <mark>.

Done here in Python, the same on both databases, from the query's match keys (search.text): a
word is marked when its stem matches a key (text.key_matches), the rule the simple search
matches by. A snippet is a short passage around the first marked word; a text with no marked
word gives no snippet, so every snippet shown holds a word that matched. The text is escaped;
only <mark> is added.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .text import WORD, key_matches, normal, stem

SNIPPET_WORDS = 30  # about this many words around the first match


def _marked(text: str, keys: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each word of the text that matches a key."""
    spans = []
    # A stem keeps the first letters of its word: words that do not start like a key are
    # passed over without stemming them.
    starts = tuple({key[:2] for key in keys})
    for match in WORD.finditer(text):
        word = normal(match.group(0))
        if word.startswith(starts) and any(key_matches(stem(word), key) for key in keys):
            spans.append(match.span())
    return spans


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    parts, position = [], start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    return "".join(parts)


def highlight(text: str, keys: list[str]) -> SafeString:
    """The whole text, escaped, with its matching words marked."""
    return mark_safe(_render(text, _marked(text, keys), 0, len(text)))


def snippet(text: str, keys: list[str], size: int = SNIPPET_WORDS) -> SafeString | None:
    """About `size` words of the text around its first matching word, marked; None when no
    word of the text matches."""
    spans = _marked(text, keys)
    if not spans:
        return None
    boundaries = [match.span() for match in WORD.finditer(text)]
    first = next(index for index, span in enumerate(boundaries) if span == spans[0])
    begin = max(0, first - size // 3)
    finish = min(len(boundaries), begin + size)
    start = boundaries[begin][0] if begin else 0
    end = boundaries[finish - 1][1] if finish < len(boundaries) else len(text)
    rendered = _render(text, spans, start, end).strip()
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{rendered}{suffix}")
