"""Open data: a published version of a profession's framework as JSON and as a CSV matrix.

Both formats are described in docs/open-data.md. They are built from a FrameworkVersion's frozen
snapshot only (never from the working copy), so they change exactly when a version is published.
"""

import csv
import io
from collections.abc import Iterator
from typing import Any

from .models import FrameworkVersion

CSV_SKILL_COLUMN = "skill"


def json_document(version: FrameworkVersion) -> dict[str, Any]:
    """The JSON export: the version's snapshot plus the version's number, date and change note."""
    document = dict(version.content)
    document["version"] = {
        "number": version.number,
        "published_at": version.published_at.isoformat(),
        "change_note": version.change_note,
    }
    return document


def csv_rows(content: dict[str, Any]) -> Iterator[list[str]]:
    """A skills x levels matrix: header row, then one row per skill by name."""
    levels = sorted(content["levels"], key=lambda level: level["rank"])
    names = {skill["slug"]: skill["name"] for skill in content["skills"]}
    matrix = {}  # skill name -> {level slug: proficiency}
    for level in levels:
        for expectation in level["expectations"]:
            name = names[expectation["skill"]]
            matrix.setdefault(name, {})[level["slug"]] = expectation["proficiency"]
    yield [CSV_SKILL_COLUMN, *(level["slug"] for level in levels)]
    for name in sorted(matrix, key=str.casefold):
        yield [name, *(matrix[name].get(level["slug"], "") for level in levels)]


def csv_text(content: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(csv_rows(content))
    return buffer.getvalue()


def filename(version: FrameworkVersion, extension: str) -> str:
    return f"{version.profession.slug}-framework-v{version.number}.{extension}"
