"""CSV cells that spreadsheet programs will not run as formulas: one rule for every CSV the
service lets people download (open data, capability reports).

A cell starting with = + - @ (or a tab or carriage return, which some programs skip before
reading a formula) is prefixed with an apostrophe, which spreadsheets read as "this is text".
JSON downloads stay exact: only CSV cells are changed. Our own CSV importer takes the apostrophe
off again (`from_spreadsheet_safe`), so a downloaded file imports as it was published.
"""

from collections.abc import Iterable

CSV_UNSAFE_START = ("=", "+", "-", "@", "\t", "\r")
SAFE_PREFIX = "'"


def spreadsheet_safe(value: object) -> str:
    """A cell as text that spreadsheet programs will not run as a formula."""
    text = str(value)
    return SAFE_PREFIX + text if text.startswith(CSV_UNSAFE_START) else text


def spreadsheet_safe_rows(rows: Iterable[Iterable[object]]) -> list[list[str]]:
    """Every cell of every row made safe."""
    return [[spreadsheet_safe(value) for value in row] for row in rows]


def from_spreadsheet_safe(text: str) -> str:
    """A cell as it was before spreadsheet_safe: the apostrophe it added taken off."""
    if text.startswith(SAFE_PREFIX) and text[1:].startswith(CSV_UNSAFE_START):
        return text[1:]
    return text
