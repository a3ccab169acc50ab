"""The subject access export as a page a person can read ("Your data", /your-career/your-data/).

The page is built from `people.subject_access.person_subject_access`, the same function and the
same registry of sections as the JSON download, so the two can never differ: every section
becomes a heading, a record becomes a GOV.UK summary list, a list of flat records a table, and a
list of records that hold lists (assessments with their ratings) one summary card per record.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.dateformat import format as date_format

NOT_RECORDED = "Not recorded"
NONE_HELD = "None held"
# Keys whose text is an ISO date and time, shown as people read dates.
DATE_KEYS = {"at", "date_joined", "last_login", "generated_at"}
SKIPPED = {"format"}


@dataclass
class Node:
    """What to show for one value: `text`, or a summary list (`rows`), or a table (`head`,
    `table`), or summary cards (`cards`)."""

    kind: str  # "text", "summary", "table" or "cards"
    text: str = ""
    rows: list[tuple[str, Node]] = field(default_factory=list)
    head: list[str] = field(default_factory=list)
    table: list[list[Node]] = field(default_factory=list)
    cards: list[tuple[str, Node]] = field(default_factory=list)


@dataclass
class Section:
    key: str
    title: str
    body: Node


def label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _is_date_key(key: str) -> bool:
    return key in DATE_KEYS or key.endswith("_at")


def _text(key: str, value: Any) -> Node:
    if value is None or value == "":
        return Node("text", text=NOT_RECORDED)
    if isinstance(value, bool):
        return Node("text", text="Yes" if value else "No")
    if isinstance(value, str) and _is_date_key(key):
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return Node("text", text=value)
        moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
        return Node("text", text=date_format(moment, "j F Y, g:i a"))
    return Node("text", text=str(value))


def _flat(record: dict) -> bool:
    return not any(isinstance(value, dict | list) for value in record.values())


def _card_title(record: dict, position: int) -> str:
    for key in ("level", "title", "skill", "name"):
        if record.get(key):
            return f"{position}. {record[key]}"
    return str(position)


def readable(key: str, value: Any) -> Node:
    """The node that shows `value` (found under `key`) on the page."""
    if isinstance(value, dict):
        if not value:
            return Node("text", text=NONE_HELD)
        return Node(
            "summary",
            rows=[(label(name), readable(name, item)) for name, item in value.items()],
        )
    if isinstance(value, list):
        if not value:
            return Node("text", text=NONE_HELD)
        if all(isinstance(item, dict) and _flat(item) for item in value):
            head = list(value[0])
            return Node(
                "table",
                head=[label(name) for name in head],
                table=[[_text(name, item.get(name)) for name in head] for item in value],
            )
        return Node(
            "cards",
            cards=[
                (_card_title(item, position), readable(key, item))
                for position, item in enumerate(value, start=1)
            ],
        )
    return _text(key, value)


def sections(data: dict[str, Any]) -> list[Section]:
    """Each top-level part of a subject access export, in the export's order."""
    return [
        Section(key=key, title=label(key), body=readable(key, value))
        for key, value in data.items()
        if key not in SKIPPED and key != "generated_at"
    ]
