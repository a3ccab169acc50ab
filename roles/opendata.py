"""Open data: a published version of a profession's framework as JSON, as a CSV matrix of skills
by levels, and as a CSV list of the levels' accredited qualifications.

The formats are described in docs/open-data.md. They are built from a FrameworkVersion's frozen
snapshot only (never from the working copy), so they change exactly when a version is published.
CSV cells are made safe for spreadsheets (careerpath.spreadsheets); the JSON stays exact.
"""

import csv
import io
from collections.abc import Iterator
from typing import Any

from careerpath.spreadsheets import spreadsheet_safe_rows

from .models import FrameworkVersion
from .snapshot import QUALIFICATION_FIELDS

CSV_SKILL_COLUMN = "skill"
# The CSV tables a version can be downloaded as (?table=...): the matrix is the default.
MATRIX = "skills"
QUALIFICATIONS = "qualifications"
CSV_TABLES = (MATRIX, QUALIFICATIONS)
QUALIFICATION_COLUMNS = ("level", *QUALIFICATION_FIELDS)


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


def qualification_rows(content: dict[str, Any]) -> Iterator[list[str]]:
    """The levels' accredited qualifications: a header row, then one row per qualification,
    levels lowest first and each level's in its order. Only the header for a version published
    before levels had qualifications."""
    yield list(QUALIFICATION_COLUMNS)
    for level in sorted(content["levels"], key=lambda level: level["rank"]):
        for qualification in level.get("qualifications", ()):
            yield [level["slug"], *(qualification.get(name) or "" for name in QUALIFICATION_FIELDS)]


def csv_text(content: dict[str, Any], table: str = MATRIX) -> str:
    """One of CSV_TABLES as CSV text: the skills matrix unless told otherwise."""
    rows = qualification_rows(content) if table == QUALIFICATIONS else csv_rows(content)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(spreadsheet_safe_rows(rows))
    return buffer.getvalue()


def filename(version: FrameworkVersion, extension: str, table: str = MATRIX) -> str:
    what = "qualifications" if table == QUALIFICATIONS else "framework"
    return f"{version.profession.slug}-{what}-v{version.number}.{extension}"
