"""Import a framework file (the JSON export, a CSV skills x levels matrix or a CSV list of
qualifications) into a profession's working copy. Importing never publishes: a head of
profession previews and publishes afterwards.

Three checks, then the change. `read_file` decodes the bytes (UTF-8 only, refused with the line
otherwise) and reads the text (`parse_json` then `check_json`, which validates against the JSON
Schema `FRAMEWORK_SCHEMA` and then the rules a schema cannot say, or `parse_csv`, which tells the
two CSV tables apart by the first column of their header), collecting every problem of the WHOLE
file with where it is (a JSON path such as "levels[2].expectations[0].proficiency", or a CSV row
and column). `framework_import` checks again (so it is safe to call on its own), then applies the
file in one transaction and checks it against the database as it goes: a skill owned by another
profession must not change, a level in use must not go, and the framework must keep at least one
expected skill. Any such problem rolls everything back. An import that changes nothing writes
nothing (no history entry, no lock bump). `framework_import(..., dry_run=True)` does all of that
and rolls back, returning what would change. The rules are in docs/governance.md ("Imports").
"""

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.db import router, transaction
from django.db.models import F, Model
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils.text import slugify
from jsonschema import Draft202012Validator

from accounts.models import User
from accounts.security_log import IMPORT, security_event
from careerpath.spreadsheets import from_spreadsheet_safe

from .models import (
    Expectation,
    Grade,
    LearningResource,
    Profession,
    Proficiency,
    Qualification,
    ResourceKind,
    RoleLevel,
    Skill,
    SkillDescriptor,
)
from .opendata import QUALIFICATION_COLUMNS
from .snapshot import FORMAT, QUALIFICATION_FIELDS

CSV_FORMAT = "careerpath-matrix/1"  # marks data parsed from a CSV matrix
CSV_QUALIFICATIONS_FORMAT = "careerpath-qualifications/1"  # from a CSV list of qualifications
# The columns a CSV list of qualifications (roles.opendata.QUALIFICATION_COLUMNS) must have.
REQUIRED_QUALIFICATION_COLUMNS = ("level", "title", "awarding_body")

# Problems, each shown after where it is ("row 3, column 2: ..." or "levels[1].name: ...").
BAD_JSON = "The file is not valid JSON ({error})"
WRONG_FORMAT = 'The format must be "{expected}", not "{value}"'
NOT_AN_OBJECT = "Expected an object with named fields"
NOT_A_LIST = "Expected a list"
EMPTY_NAME = "The name is empty"
EMPTY_VALUE = "The {what} is empty"
BAD_SLUG = 'The slug "{value}" may only use letters, numbers, hyphens and underscores'
BAD_RANK = "The rank must be a whole number of 1 or more"
DUPLICATE_LEVEL = 'Level "{value}" appears more than once'
DUPLICATE_RANK = "Rank {value} is used by more than one level"
DUPLICATE_SKILL = 'Skill "{value}" appears more than once'
UNKNOWN_PROFICIENCY = (
    '"{value}" is not a proficiency: use awareness, working, practitioner or expert'
)
UNKNOWN_GRADE = '"{value}" is not a grade: use one of {grades}'
UNKNOWN_KIND = '"{value}" is not a kind of learning resource: use one of {kinds}'
BAD_URL = '"{value}" is not a web address'
UNKNOWN_SKILL = 'No skill with the slug "{value}" in the file\'s "skills"'
SKILL_NAME_TAKEN = 'The name "{value}" already belongs to another skill (slug "{other}")'
EMPTY_FILE = "The file is empty"
WRONG_HEADER = (
    'The first column must be "skill" (a skills matrix) or "level" (a list of qualifications), '
    'not "{value}"'
)
DUPLICATE_QUALIFICATION = 'The level has more than one qualification titled "{value}"'
UNKNOWN_COLUMN = 'No column "{value}" in a list of qualifications: use {columns}'
MISSING_COLUMN = 'The header has no "{value}" column'
DUPLICATE_COLUMN = 'The column "{value}" appears more than once'
UNKNOWN_LEVEL = 'No level "{value}" in the working copy of {profession}'
WRONG_CELL_COUNT = "The row has {count} cells; the header has {expected}"
UNKNOWN_PROFESSION = 'No profession with the slug "{value}"'
NOT_TEXT = "Expected text"
TOO_LONG = "Too long: {length} characters, at most {max_length}"
PROBLEMS_FOUND = "Nothing was imported: {count} problem(s) found in the file"
NOT_UTF8 = (
    "Save the file as UTF-8 and try again: this line has characters in another encoding "
    '(in a spreadsheet, choose "CSV UTF-8" when saving)'
)
BAD_CSV = "The file is not valid CSV ({error})"
NUL_CHARACTER = "The file contains a NUL character (an invisible control code): remove it"
TOO_DEEP = "The file is nested more than {depth} levels deep: it is not a framework export"
NO_LEVELS = "A framework needs at least one level: the file lists none"
NO_SKILL_ROWS = "The file has a header but no skills: a matrix needs a row for each skill"
MISSING_FIELD = 'The "{name}" field is missing'
REMOVES_EVERYTHING = (
    "The file would leave {profession} with no expected skills at all: nothing was imported. "
    "List the skills each level needs"
)
SKILL_OWNED_ELSEWHERE = (
    'The skill "{name}" is owned by {owner}: this file may use it but not change its {what}. '
    "Ask a head of {owner} to change it, or make it exactly as it is now"
)
LEVEL_IN_USE = (
    'The level "{value}" is not in the file, but {what} use it, so it cannot be removed: '
    "keep the level in the file"
)

MAX_DEPTH = 12  # a framework export is 6 deep; anything much deeper is not one

PROFICIENCIES = set(Proficiency.values)
RESOURCE_FIELDS = ("title", "url", "provider", "kind", "proficiency")

M = TypeVar("M", bound=Model)


class ImportProblems(ValidationError):
    """Every problem found in a file; `problems` is a list of "where: what" strings."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__(self.problems)


@dataclass
class ImportSummary:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)
    # Problems found against the database while applying; any of them rolls the import back.
    problems: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether the import changed anything at all."""
        return any(
            count for c in (self.created, self.updated, self.removed) for count in c.values()
        )

    def lines(self) -> list[str]:
        out = []
        for label, counter in (
            ("Created", self.created),
            ("Updated", self.updated),
            ("Removed", self.removed),
        ):
            parts = [f"{count} {kind}" for kind, count in sorted(counter.items()) if count]
            out.append(f"{label}: {', '.join(parts) if parts else 'nothing'}")
        return out


def _path(parts: Iterable[str | int]) -> str:
    """A JSON path as problems show it: levels[2].expectations[0].proficiency ("file": the root)."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "file"


_TEXT = {"type": "string"}
_OBJECT_OF_TEXT = {"type": "object", "additionalProperties": _TEXT}
# The framework file (roles.snapshot's format, as exported) as a JSON Schema. It states the shape;
# check_json adds the rules a schema cannot (unique names, known skills, web addresses, lengths).
FRAMEWORK_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["format", "levels"],
    "properties": {
        "format": _TEXT,
        "profession": {"type": "object", "properties": {"summary": _TEXT}},
        "skills": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": _TEXT,
                    "slug": _TEXT,
                    "description": _TEXT,
                    "descriptors": _OBJECT_OF_TEXT,
                    "resources": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "title": _TEXT,
                                "url": _TEXT,
                                "provider": {"type": ["string", "null"]},
                                "kind": _TEXT,
                                "proficiency": {"type": ["string", "null"]},
                            },
                        },
                    },
                },
            },
        },
        "levels": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "name": _TEXT,
                    "slug": _TEXT,
                    "rank": {"type": "integer", "minimum": 1, "maximum": 32767},
                    "summary": _TEXT,
                    "description": _TEXT,
                    "time_at_level": _TEXT,
                    "grades": {"type": "array", "items": _TEXT},
                    "expectations": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "skill": _TEXT,
                                "proficiency": {"enum": Proficiency.values},
                                "note": {"type": ["string", "null"]},
                            },
                        },
                    },
                    "qualifications": {"type": "array", "items": {"type": "object"}},
                },
            },
        },
    },
}
_SCHEMA_VALIDATOR = Draft202012Validator(FRAMEWORK_SCHEMA)
_TYPE_MESSAGES = {"object": NOT_AN_OBJECT, "array": NOT_A_LIST, "string": NOT_TEXT}


def _schema_message(error) -> str:
    """Our words for a JSON Schema error (the library's own as a last resort)."""
    if error.validator == "required":
        name = next((n for n in error.validator_value if n not in error.instance), "")
        return NO_LEVELS if name == "levels" else MISSING_FIELD.format(name=name)
    if error.validator == "minItems" and list(error.absolute_path) == ["levels"]:
        return NO_LEVELS
    if error.absolute_path and error.absolute_path[-1] == "rank":
        return BAD_RANK
    if error.validator == "enum":
        return UNKNOWN_PROFICIENCY.format(value=error.instance)
    if error.validator == "type" and isinstance(error.validator_value, str):
        return _TYPE_MESSAGES.get(error.validator_value, error.message)
    return error.message


def schema_problems(data: Any) -> list[str]:
    """Every way the data departs from FRAMEWORK_SCHEMA, as "path: problem" strings."""
    errors = sorted(_SCHEMA_VALIDATOR.iter_errors(data), key=lambda e: list(map(str, e.path)))
    return [f"{_path(error.absolute_path)}: {_schema_message(error)}" for error in errors]


def _shape_problems(data: Any) -> list[str]:
    """Nesting deeper than MAX_DEPTH, and NUL characters in any text, found without recursion."""
    problems = []
    stack = [(data, (), 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            return [f"file: {TOO_DEEP.format(depth=MAX_DEPTH)}"]
        if isinstance(value, str) and "\x00" in value:
            problems.append(f"{_path(path)}: {NUL_CHARACTER}")
        elif isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    problems.append(f"{_path(path)}: {NUL_CHARACTER}")
                stack.append((item, (*path, key), depth + 1))
        elif isinstance(value, list):
            stack.extend((item, (*path, index), depth + 1) for index, item in enumerate(value))
    return sorted(problems)


def decode_file(raw: bytes) -> str:
    """A file's bytes as text: UTF-8 (with or without a byte order mark) only. Otherwise
    ImportProblems naming the first line with a character in another encoding."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportProblems([f"line {line}: {NOT_UTF8}"]) from None


def _nul_problems(text: str) -> list[str]:
    """A NUL character in the text, by line (databases cannot store one)."""
    lines = sorted({text.count("\n", 0, index) + 1 for index in _find_all(text, "\x00")})
    return [f"line {line}: {NUL_CHARACTER}" for line in lines]


def _find_all(text: str, needle: str) -> Iterable[int]:
    index = text.find(needle)
    while index != -1:
        yield index
        index = text.find(needle, index + 1)


def same_slug(value: str) -> str:
    """CSV headers may spell a level slug with underscores: `_` and `-` are the same."""
    return value.strip().lower().replace("_", "-")


# --- JSON ------------------------------------------------------------------------------------
def parse_json(text: str) -> Any:
    """The parsed JSON (any JSON value), or ImportProblems when it is not JSON at all.
    check_json says whether it is a framework."""
    if problems := _nul_problems(text):
        raise ImportProblems(problems)
    try:
        data = json.loads(text)
    except RecursionError:
        raise ImportProblems([f"file: {TOO_DEEP.format(depth=MAX_DEPTH)}"]) from None
    except ValueError as error:
        raise ImportProblems([f"file: {BAD_JSON.format(error=error)}"]) from None
    return data


def _is_slug(value: str) -> bool:
    try:
        validate_slug(value)
    except ValidationError:
        return False
    return True


def _is_proficiency(value: object) -> bool:
    return isinstance(value, str) and value in PROFICIENCIES


def check_json(data: Any, profession: Profession) -> list[str]:
    """Every problem in a parsed JSON framework, as "path: problem" strings: the JSON Schema's,
    then the rules it cannot state (a path the rules already name is not named twice)."""
    if shape := _shape_problems(data):
        return shape
    problems = _check_json_rules(data, profession)
    named = {problem.split(": ", 1)[0] for problem in problems}
    extra = [p for p in schema_problems(data) if p.split(": ", 1)[0] not in named]
    return problems + extra


def _check_json_rules(data: Any, profession: Profession) -> list[str]:
    problems = []

    def problem(path: str, message: str) -> None:
        problems.append(f"{path}: {message}")

    def check_text(path: str, item: dict[str, Any], model: type[Model], names: list[str]) -> None:
        """Text fields must be strings that fit their database column."""
        for name in names:
            if name not in item:
                continue
            value = item[name]
            if not isinstance(value, str):
                problem(f"{path}.{name}", NOT_TEXT)
                continue
            max_length = model._meta.get_field(name).max_length
            if max_length and len(value.strip()) > max_length:
                problem(
                    f"{path}.{name}",
                    TOO_LONG.format(length=len(value.strip()), max_length=max_length),
                )

    def check_name(path: str, name: str, seen: set[str], duplicate: str) -> bool:
        """A name must be given and used once (in any case); True when it is a new one."""
        if not name:
            problem(f"{path}.name", EMPTY_NAME)
        elif name.casefold() in seen:
            problem(f"{path}.name", duplicate.format(value=name))
        else:
            seen.add(name.casefold())
            return True
        return False

    def check_slug(path: str, slug: str, seen: set[str], duplicate: str) -> None:
        """A slug must be given, valid and used once."""
        if not slug:
            problem(f"{path}.slug", EMPTY_VALUE.format(what="slug"))
        elif not _is_slug(slug):
            problem(f"{path}.slug", BAD_SLUG.format(value=slug))
        elif slug in seen:
            problem(f"{path}.slug", duplicate.format(value=slug))
        else:
            seen.add(slug)

    if not isinstance(data, dict):
        return [f"file: {NOT_AN_OBJECT}"]
    if "profession" in data:
        if isinstance(data["profession"], dict):
            check_text("profession", data["profession"], Profession, ["summary"])
        else:
            problem("profession", NOT_AN_OBJECT)
    if data.get("format") != FORMAT:
        problem("format", WRONG_FORMAT.format(expected=FORMAT, value=data.get("format", "")))
    skills = data.get("skills", [])
    levels = data.get("levels", [])
    skill_slugs = set()
    if not isinstance(skills, list):
        problem("skills", NOT_A_LIST)
        skills = []
    if not isinstance(levels, list):
        problem("levels", NOT_A_LIST)
        levels = []

    names_seen = set()
    existing = {
        skill.name.casefold(): skill.slug
        for skill in Skill.objects.filter(
            name__in=[
                s["name"].strip()
                for s in skills
                if isinstance(s, dict) and isinstance(s.get("name"), str)
            ]
        )
    }
    for index, skill in enumerate(skills):
        path = f"skills[{index}]"
        if not isinstance(skill, dict):
            problem(path, NOT_AN_OBJECT)
            continue
        check_text(path, skill, Skill, ["name", "slug", "description"])
        name = str(skill.get("name", "")).strip()
        slug = str(skill.get("slug", ""))
        if check_name(path, name, names_seen, DUPLICATE_SKILL):
            other = existing.get(name.casefold())
            if other is not None and other != slug:
                problem(f"{path}.name", SKILL_NAME_TAKEN.format(value=name, other=other))
        check_slug(path, slug, skill_slugs, DUPLICATE_SKILL)
        descriptors = skill.get("descriptors", {})
        if not isinstance(descriptors, dict):
            problem(f"{path}.descriptors", NOT_AN_OBJECT)
            descriptors = {}
        for proficiency, text in descriptors.items():
            where = f"{path}.descriptors.{proficiency}"
            if proficiency not in PROFICIENCIES:
                problem(where, UNKNOWN_PROFICIENCY.format(value=proficiency))
            elif not isinstance(text, str):
                problem(where, NOT_TEXT)
            elif not text.strip():
                problem(where, EMPTY_VALUE.format(what="description"))
        resources = skill.get("resources", [])
        if not isinstance(resources, list):
            problem(f"{path}.resources", NOT_A_LIST)
            resources = []
        for r_index, resource in enumerate(resources):
            where = f"{path}.resources[{r_index}]"
            if not isinstance(resource, dict):
                problem(where, NOT_AN_OBJECT)
                continue
            check_text(where, resource, LearningResource, ["title", "url", "provider"])
            if not str(resource.get("title", "")).strip():
                problem(f"{where}.title", EMPTY_VALUE.format(what="title"))
            try:
                URLValidator()(str(resource.get("url", "")))
            except ValidationError:
                problem(f"{where}.url", BAD_URL.format(value=resource.get("url", "")))
            if resource.get("kind") not in ResourceKind.values:
                problem(
                    f"{where}.kind",
                    UNKNOWN_KIND.format(
                        value=resource.get("kind", ""), kinds=", ".join(ResourceKind.values)
                    ),
                )
            proficiency = resource.get("proficiency", "")
            if proficiency and not _is_proficiency(proficiency):
                problem(f"{where}.proficiency", UNKNOWN_PROFICIENCY.format(value=proficiency))

    level_slugs, level_names, ranks = set(), set(), set()
    for index, level in enumerate(levels):
        path = f"levels[{index}]"
        if not isinstance(level, dict):
            problem(path, NOT_AN_OBJECT)
            continue
        check_text(
            path, level, RoleLevel, ["name", "slug", "summary", "description", "time_at_level"]
        )
        check_name(path, str(level.get("name", "")).strip(), level_names, DUPLICATE_LEVEL)
        check_slug(path, str(level.get("slug", "")), level_slugs, DUPLICATE_LEVEL)
        rank = level.get("rank")
        if not isinstance(rank, int) or isinstance(rank, bool) or not 1 <= rank <= 32767:
            problem(f"{path}.rank", BAD_RANK)
        elif rank in ranks:
            problem(f"{path}.rank", DUPLICATE_RANK.format(value=rank))
        else:
            ranks.add(rank)
        grades = level.get("grades", [])
        if not isinstance(grades, list):
            problem(f"{path}.grades", NOT_A_LIST)
            grades = []
        for g_index, grade in enumerate(grades):
            if grade not in Grade.values:
                problem(
                    f"{path}.grades[{g_index}]",
                    UNKNOWN_GRADE.format(value=grade, grades=", ".join(Grade.values)),
                )
        expectations = level.get("expectations", [])
        if not isinstance(expectations, list):
            problem(f"{path}.expectations", NOT_A_LIST)
            expectations = []
        seen = set()
        for e_index, expectation in enumerate(expectations):
            where = f"{path}.expectations[{e_index}]"
            if not isinstance(expectation, dict):
                problem(where, NOT_AN_OBJECT)
                continue
            check_text(where, expectation, Expectation, ["note"])
            skill = expectation.get("skill", "")
            if not isinstance(skill, str) or skill not in skill_slugs:
                problem(f"{where}.skill", UNKNOWN_SKILL.format(value=skill))
            elif skill in seen:
                problem(f"{where}.skill", DUPLICATE_SKILL.format(value=skill))
            seen.add(skill)
            proficiency = expectation.get("proficiency", "")
            if not _is_proficiency(proficiency):
                problem(f"{where}.proficiency", UNKNOWN_PROFICIENCY.format(value=proficiency))
        qualifications = level.get("qualifications", [])
        if not isinstance(qualifications, list):
            problem(f"{path}.qualifications", NOT_A_LIST)
            qualifications = []
        titles = set()
        for q_index, qualification in enumerate(qualifications):
            where = f"{path}.qualifications[{q_index}]"
            if not isinstance(qualification, dict):
                problem(where, NOT_AN_OBJECT)
                continue
            for field_name, message in check_qualification(qualification, titles):
                problem(f"{where}.{field_name}", message)
    return problems


def check_qualification(item: dict[str, Any], titles: set[str]) -> list[tuple[str, str]]:
    """(field, problem) for each problem of one qualification, from a JSON file or a CSV row.

    `titles` holds the (case-folded) titles seen so far in its level, and gains this one."""
    problems = []
    for name in QUALIFICATION_FIELDS:
        value = item.get(name, "")
        if value is None and name in ("url", "summary"):
            continue
        if not isinstance(value, str):
            problems.append((name, NOT_TEXT))
            continue
        value = value.strip()
        max_length = Qualification._meta.get_field(name).max_length
        if len(value) > max_length:
            problems.append((name, TOO_LONG.format(length=len(value), max_length=max_length)))
        elif name in ("title", "awarding_body") and not value:
            problems.append((name, EMPTY_VALUE.format(what=name.replace("_", " "))))
        elif name == "url" and value:
            try:
                URLValidator()(value)
            except ValidationError:
                problems.append((name, BAD_URL.format(value=value)))
        elif name == "title":
            if value.casefold() in titles:
                problems.append((name, DUPLICATE_QUALIFICATION.format(value=value)))
            titles.add(value.casefold())
    return problems


# --- CSV -------------------------------------------------------------------------------------
def parse_csv(text: str, profession: Profession) -> dict[str, Any]:
    """A CSV matrix as import data, or ImportProblems listing every problem by row and column."""
    problems = []

    def problem(row: int, column: int, message: str) -> None:
        problems.append(f"row {row}, column {column}: {message}")

    if nul := _nul_problems(text):
        raise ImportProblems(nul)
    # A cell our open data made safe for spreadsheets ("'=..." ) is read as it was published.
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        rows = [[from_spreadsheet_safe(cell) for cell in row] for row in reader]
    except csv.Error as error:
        raise ImportProblems([f"line {reader.line_num}: {BAD_CSV.format(error=error)}"]) from None
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise ImportProblems([f"file: {EMPTY_FILE}"])
    header, body = rows[0], rows[1:]
    first = header[0].strip() if header else ""
    if first.lower() == "level":
        return parse_qualifications_csv(header, body, profession)
    if first.lower() != "skill":
        problem(1, 1, WRONG_HEADER.format(value=first))
    known = {
        same_slug(level.slug): level.slug
        for level in RoleLevel.objects.filter(profession=profession)
    }
    levels = []
    for column, cell in enumerate(header[1:], start=2):
        value = cell.strip()
        if not value:
            problem(1, column, EMPTY_NAME)
        elif same_slug(value) not in known:
            problem(1, column, UNKNOWN_LEVEL.format(value=value, profession=profession.name))
        elif known[same_slug(value)] in levels:
            problem(1, column, DUPLICATE_LEVEL.format(value=value))
        levels.append(known.get(same_slug(value), ""))
    matrix = []
    seen = {}
    for row_number, row in enumerate(body, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problem(row_number, 1, WRONG_CELL_COUNT.format(count=len(row), expected=len(header)))
        name = row[0].strip() if row else ""
        if not name:
            problem(row_number, 1, EMPTY_NAME)
        elif name.casefold() in seen:
            problem(row_number, 1, DUPLICATE_SKILL.format(value=name))
        else:
            seen[name.casefold()] = row_number
        cells = {}
        for column, cell in enumerate(row[1 : len(header)], start=2):
            value = cell.strip().lower()
            if value and value not in PROFICIENCIES:
                problem(row_number, column, UNKNOWN_PROFICIENCY.format(value=cell.strip()))
            elif value:
                cells[levels[column - 2]] = value
        matrix.append({"skill": name, "proficiencies": cells})
    if not matrix:
        problem(2, 1, NO_SKILL_ROWS)
    if problems:
        raise ImportProblems(problems)
    return {"format": CSV_FORMAT, "levels": levels, "rows": matrix}


def parse_qualifications_csv(
    header: list[str], body: list[list[str]], profession: Profession
) -> dict[str, Any]:
    """A CSV list of qualifications (a header naming QUALIFICATION_COLUMNS, then one row per
    qualification) as import data: every level of the working copy with the qualifications the
    file gives it, in the file's order (none for a level the file does not name). Raises
    ImportProblems listing every problem by row and column."""
    problems = []

    def problem(row: int, column: int, message: str) -> None:
        problems.append(f"row {row}, column {column}: {message}")

    columns = {}  # column name -> index
    for index, cell in enumerate(header):
        name = cell.strip().lower()
        if name not in QUALIFICATION_COLUMNS:
            problem(
                1,
                index + 1,
                UNKNOWN_COLUMN.format(value=cell.strip(), columns=", ".join(QUALIFICATION_COLUMNS)),
            )
        elif name in columns:
            problem(1, index + 1, DUPLICATE_COLUMN.format(value=name))
        else:
            columns[name] = index
    for name in REQUIRED_QUALIFICATION_COLUMNS:
        if name not in columns:
            problem(1, len(header) + 1, MISSING_COLUMN.format(value=name))
    if problems:  # without a sound header the rows cannot be read
        raise ImportProblems(problems)
    known = {
        same_slug(level.slug): level.slug
        for level in RoleLevel.objects.filter(profession=profession).order_by("rank")
    }
    qualifications = {slug: [] for slug in known.values()}
    titles = {slug: set() for slug in known.values()}
    for row_number, row in enumerate(body, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problem(row_number, 1, WRONG_CELL_COUNT.format(count=len(row), expected=len(header)))
            continue
        item = {
            name: row[columns[name]].strip() for name in QUALIFICATION_FIELDS if name in columns
        }
        level_cell = row[columns["level"]].strip()
        slug = known.get(same_slug(level_cell))
        if not level_cell:
            problem(row_number, columns["level"] + 1, EMPTY_VALUE.format(what="level"))
        elif slug is None:
            problem(
                row_number,
                columns["level"] + 1,
                UNKNOWN_LEVEL.format(value=level_cell, profession=profession.name),
            )
        for name, message in check_qualification(item, titles[slug] if slug else set()):
            problem(row_number, columns[name] + 1, message)
        if slug is not None:
            qualifications[slug].append({name: item.get(name, "") for name in QUALIFICATION_FIELDS})
    if problems:
        raise ImportProblems(problems)
    return {"format": CSV_QUALIFICATIONS_FORMAT, "qualifications": qualifications}


def check_qualifications_data(data: dict[str, Any], profession: Profession) -> list[str]:
    """Re-check the import data of a CSV list of qualifications (it may not have come from
    parse_qualifications_csv)."""
    problems = []
    known = set(RoleLevel.objects.filter(profession=profession).values_list("slug", flat=True))
    by_level = data.get("qualifications")
    if not isinstance(by_level, dict):
        return [f"qualifications: {NOT_AN_OBJECT}"]
    for slug, items in by_level.items():
        path = f"qualifications.{slug}"
        if slug not in known:
            problems.append(
                f"{path}: {UNKNOWN_LEVEL.format(value=slug, profession=profession.name)}"
            )
        if not isinstance(items, list):
            problems.append(f"{path}: {NOT_A_LIST}")
            continue
        titles = set()
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                problems.append(f"{path}[{index}]: {NOT_AN_OBJECT}")
                continue
            for name, message in check_qualification(item, titles):
                problems.append(f"{path}[{index}].{name}: {message}")
    return problems


def check_csv_data(data: dict[str, Any], profession: Profession) -> list[str]:
    """Re-check CSV import data (it may not have come from parse_csv)."""
    problems = []
    known = set(RoleLevel.objects.filter(profession=profession).values_list("slug", flat=True))
    for level in data.get("levels", []):
        if level not in known:
            problems.append(
                f"levels: {UNKNOWN_LEVEL.format(value=level, profession=profession.name)}"
            )
    names = set()
    for index, row in enumerate(data.get("rows", [])):
        name = str(row.get("skill", "")).strip()
        if not name:
            problems.append(f"rows[{index}].skill: {EMPTY_NAME}")
        elif name.casefold() in names:
            problems.append(f"rows[{index}].skill: {DUPLICATE_SKILL.format(value=name)}")
        names.add(name.casefold())
        for level, proficiency in row.get("proficiencies", {}).items():
            if proficiency not in PROFICIENCIES:
                problems.append(
                    f"rows[{index}].{level}: {UNKNOWN_PROFICIENCY.format(value=proficiency)}"
                )
            if level not in data.get("levels", []):
                problems.append(
                    f"rows[{index}].{level}: "
                    f"{UNKNOWN_LEVEL.format(value=level, profession=profession.name)}"
                )
    return problems


# --- reading a file ---------------------------------------------------------------------------
def read_file(text: str | bytes, *, profession_slug: str, kind: str) -> tuple[Profession, Any]:
    """(profession, data) from a file's text (or its bytes, which must be UTF-8); ImportProblems
    listing every problem otherwise.

    kind is "json" or "csv".
    """
    profession = Profession.objects.filter(slug=profession_slug).first()
    if profession is None:
        raise ImportProblems([f"--profession: {UNKNOWN_PROFESSION.format(value=profession_slug)}"])
    if isinstance(text, bytes):
        text = decode_file(text)
    if kind == "json":
        data = parse_json(text)
        problems = check_json(data, profession)
        if problems:
            raise ImportProblems(problems)
    else:
        data = parse_csv(text, profession)
    return profession, data


# --- applying ---------------------------------------------------------------------------------
def _history_user(instance: M, by: User | None) -> M:
    if by is not None:
        instance._history_user = by
    return instance


def _in_use_by(instance: Model) -> Counter:
    """What would stop this row being deleted (rows elsewhere that protect it, such as the
    self-assessments made against a level), counted by their model's plural name. Django's own
    on_delete rules answer, so roles need not know which apps refer to it."""
    collector = Collector(using=router.db_for_write(type(instance)))
    try:
        collector.collect([instance])
    except ProtectedError as error:
        blocking = error.protected_objects
    except RestrictedError as error:
        blocking = error.restricted_objects
    else:
        return Counter()
    return Counter(str(row._meta.verbose_name_plural) for row in blocking)


def _unique_skill_slug(name: str) -> str:
    base = slugify(name)[:100] or "skill"
    slug, number = base, 2
    while Skill.objects.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def _save(instance: M, by: User | None) -> M:
    instance.full_clean()
    _history_user(instance, by).save()
    return instance


def _import_csv(
    profession: Profession, data: dict[str, Any], by: User | None, summary: ImportSummary
) -> None:
    levels = {level.slug: level for level in RoleLevel.objects.filter(profession=profession)}
    header_levels = [levels[slug] for slug in data["levels"]]
    skills_by_name = {}
    for row in data["rows"]:
        name = row["skill"].strip()
        skill = Skill.objects.filter(name__iexact=name).first()
        if skill is None:
            skill = _save(Skill(name=name, slug=_unique_skill_slug(name), owner=profession), by)
            summary.created["skills"] += 1
        skills_by_name[name.casefold()] = skill
    wanted = {
        (skills_by_name[row["skill"].strip().casefold()].pk, level_slug): proficiency
        for row in data["rows"]
        for level_slug, proficiency in row["proficiencies"].items()
    }
    current = {
        (e.skill_id, e.role_level.slug): e
        for e in Expectation.objects.filter(role_level__in=header_levels).select_related(
            "role_level"
        )
    }
    for key, expectation in current.items():
        if key not in wanted:
            _history_user(expectation, by).delete()
            summary.removed["expectations"] += 1
        elif expectation.proficiency != wanted[key]:
            expectation.proficiency = wanted[key]
            _save(expectation, by)
            summary.updated["expectations"] += 1
    for (skill_id, level_slug), proficiency in wanted.items():
        if (skill_id, level_slug) not in current:
            _save(
                Expectation(
                    role_level=levels[level_slug], skill_id=skill_id, proficiency=proficiency
                ),
                by,
            )
            summary.created["expectations"] += 1


def _import_qualifications_csv(
    profession: Profession, data: dict[str, Any], by: User | None, summary: ImportSummary
) -> None:
    levels = {level.slug: level for level in RoleLevel.objects.filter(profession=profession)}
    for slug, items in data["qualifications"].items():
        _sync_qualifications(levels[slug], items, by, summary)


def _sync_qualifications(
    level: RoleLevel, items: list[dict[str, Any]], by: User | None, summary: ImportSummary
) -> None:
    """Make a level's qualifications those listed, in that order (checked already)."""
    wanted = [
        {name: (item.get(name) or "").strip() for name in QUALIFICATION_FIELDS} for item in items
    ]
    current = {q.title.casefold(): q for q in level.qualifications.all()}
    titles = {values["title"].casefold() for values in wanted}
    for key, qualification in current.items():
        if key not in titles:
            _history_user(qualification, by).delete()
            summary.removed["qualifications"] += 1
    in_order, changed = [], set()
    for position, values in enumerate(wanted, start=1):
        qualification = current.get(values["title"].casefold())
        if qualification is None:
            qualification = Qualification(role_level=level, position=position, **values)
        elif _set_fields(qualification, values):
            changed.add(qualification.pk)
        in_order.append(qualification)
    # Keep the positions when they already give the file's order (the stored order, ties in
    # position broken by title, is the file's; or the positions rise along the file); otherwise
    # number them again.
    stored_order = [key for key in current if key in titles]  # current is in stored order
    file_order = [values["title"].casefold() for values in wanted]
    positions = [qualification.position for qualification in in_order]
    rising = all(earlier < later for earlier, later in pairwise(positions))
    if stored_order != file_order and not rising:
        for position, qualification in enumerate(in_order, start=1):
            if qualification.position != position:
                qualification.position = position
                if qualification.pk is not None:
                    changed.add(qualification.pk)
    for qualification in in_order:
        if qualification.pk is None:
            _save(qualification, by)
            summary.created["qualifications"] += 1
        elif qualification.pk in changed:
            _save(qualification, by)
            summary.updated["qualifications"] += 1


def _set_fields(instance: Model, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _resource_values(item: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "title": r["title"],
            "url": r["url"],
            "provider": r.get("provider", "") or "",
            "kind": r["kind"],
            "proficiency": r.get("proficiency", "") or "",
        }
        for r in item.get("resources", [])
    ]


def _changes_to_skill(skill: Skill, item: dict[str, Any]) -> list[str]:
    """What a file's entry would change in a stored skill ("name", "descriptors" ...). A part
    the entry leaves out (no "descriptors" key, say) is not compared: the entry only uses it."""
    changes = []
    if item["name"].strip() != skill.name:
        changes.append("name")
    if "description" in item and item["description"] != skill.description:
        changes.append("description")
    if "descriptors" in item:
        stored = dict(skill.descriptors.values_list("proficiency", "description"))
        if stored != item["descriptors"]:
            changes.append("descriptors")
    if "resources" in item:
        stored = [
            {name: getattr(resource, name) for name in RESOURCE_FIELDS}
            for resource in skill.resources.all()
        ]
        wanted = _resource_values(item)
        key = lambda values: sorted(values.items())  # noqa: E731
        if sorted(map(key, stored)) != sorted(map(key, wanted)):
            changes.append("learning resources")
    return changes


def _import_json(
    profession: Profession, data: dict[str, Any], by: User | None, summary: ImportSummary
) -> None:
    if "summary" in data.get("profession", {}) and _set_fields(
        profession, {"summary": data["profession"]["summary"]}
    ):
        _save(profession, by)
        summary.updated["professions"] += 1

    used_before = set(
        Expectation.objects.filter(role_level__profession=profession).values_list(
            "skill_id", flat=True
        )
    )
    skills = {}
    for index, item in enumerate(data.get("skills", [])):
        values = {"name": item["name"].strip(), "description": item.get("description", "")}
        skill = Skill.objects.select_related("owner").filter(slug=item["slug"]).first()
        if skill is not None and skill.owner_id != profession.pk:
            # Another profession's skill: used as it is, never changed from here.
            skills[skill.slug] = skill
            for what in _changes_to_skill(skill, item):
                summary.problems.append(
                    f"skills[{index}]: "
                    + SKILL_OWNED_ELSEWHERE.format(name=skill.name, owner=skill.owner, what=what)
                )
            continue
        if skill is None:
            skill = _save(Skill(slug=item["slug"], owner=profession, **values), by)
            summary.created["skills"] += 1
        elif _set_fields(skill, values):
            _save(skill, by)
            summary.updated["skills"] += 1
        skills[skill.slug] = skill

        descriptors = {d.proficiency: d for d in skill.descriptors.all()}
        wanted = item.get("descriptors", {})
        for proficiency, descriptor in descriptors.items():
            if proficiency not in wanted:
                _history_user(descriptor, by).delete()
                summary.removed["descriptors"] += 1
        for proficiency, text in wanted.items():
            descriptor = descriptors.get(proficiency)
            if descriptor is None:
                _save(SkillDescriptor(skill=skill, proficiency=proficiency, description=text), by)
                summary.created["descriptors"] += 1
            elif descriptor.description != text:
                descriptor.description = text
                _save(descriptor, by)
                summary.updated["descriptors"] += 1

        remaining = _resource_values(item)
        for resource in skill.resources.all():
            key = {name: getattr(resource, name) for name in RESOURCE_FIELDS}
            if key in remaining:
                remaining.remove(key)
            else:
                _history_user(resource, by).delete()
                summary.removed["resources"] += 1
        for values in remaining:
            _save(LearningResource(skill=skill, **values), by)
            summary.created["resources"] += 1

    levels_in_file = {level["slug"]: level for level in data.get("levels", [])}
    existing = {level.slug: level for level in RoleLevel.objects.filter(profession=profession)}
    for slug, level in existing.items():
        if slug not in levels_in_file:
            if users := _in_use_by(level):
                what = ", ".join(f"{count} {name}" for name, count in sorted(users.items()))
                summary.problems.append("levels: " + LEVEL_IN_USE.format(value=slug, what=what))
                continue
            summary.removed["expectations"] += level.expectations.count()
            summary.removed["qualifications"] += level.qualifications.count()
            _history_user(level, by).delete()
            summary.removed["levels"] += 1
    if summary.problems:
        return
    # Move levels whose rank changes out of the way, so that ranks can be swapped without a clash.
    original_rank = {slug: level.rank for slug, level in existing.items()}
    top = max([item["rank"] for item in levels_in_file.values()] + list(original_rank.values()))
    kept = [
        level
        for slug, level in existing.items()
        if slug in levels_in_file and levels_in_file[slug]["rank"] != level.rank
    ]
    for offset, level in enumerate(kept, start=1):
        RoleLevel.objects.filter(pk=level.pk).update(rank=top + offset)
        level.rank = top + offset
    for slug, item in sorted(levels_in_file.items(), key=lambda pair: pair[1]["rank"]):
        values = {
            "name": item["name"].strip(),
            "summary": item.get("summary", ""),
            "description": item.get("description", ""),
            "grades": list(item.get("grades", [])),
            "time_at_level": item.get("time_at_level", ""),
        }
        level = existing.get(slug)
        if level is None:
            level = _save(
                RoleLevel(profession=profession, slug=slug, rank=item["rank"], **values), by
            )
            summary.created["levels"] += 1
        else:
            changed = _set_fields(level, values) or original_rank[slug] != item["rank"]
            level.rank = item["rank"]
            if changed:  # an unchanged level is not saved: no history entry
                _save(level, by)
                summary.updated["levels"] += 1

        current = {e.skill.slug: e for e in level.expectations.select_related("skill")}
        wanted = {e["skill"]: e for e in item.get("expectations", [])}
        for skill_slug, expectation in current.items():
            if skill_slug not in wanted:
                _history_user(expectation, by).delete()
                summary.removed["expectations"] += 1
        for skill_slug, e in wanted.items():
            values = {"proficiency": e["proficiency"], "note": e.get("note", "") or ""}
            expectation = current.get(skill_slug)
            if expectation is None:
                _save(Expectation(role_level=level, skill=skills[skill_slug], **values), by)
                summary.created["expectations"] += 1
            elif _set_fields(expectation, values):
                _save(expectation, by)
                summary.updated["expectations"] += 1

        # A file without the key (exported before levels had qualifications) lists none.
        _sync_qualifications(level, item.get("qualifications", []), by, summary)

    # Skills it owns and no longer uses, that no other profession uses, go too (unless something
    # such as a self-assessment's rating still refers to them: then they stay).
    unused = Skill.objects.filter(
        pk__in=used_before, owner=profession, expectations__isnull=True
    ).exclude(slug__in=skills)
    for skill in unused:
        if _in_use_by(skill):
            continue
        _history_user(skill, by).delete()
        summary.removed["skills"] += 1


def framework_import(
    *, profession: Profession, data: Any, by: User | None = None, dry_run: bool = False
) -> ImportSummary:
    """Make the profession's working copy match a checked file. Never publishes.

    `data` is a parsed JSON export (roles.snapshot format) or the result of parse_csv (a
    matrix, or a list of qualifications). Raises ImportProblems, changing nothing, when the
    data has any problem, in the file or against the database (docs/governance.md, "Imports").
    With dry_run, everything is done and checked and then rolled back: the summary says what
    the import would change.
    """
    kind = data.get("format") if isinstance(data, dict) else None
    if kind == CSV_FORMAT:
        problems = check_csv_data(data, profession)
    elif kind == CSV_QUALIFICATIONS_FORMAT:
        problems = check_qualifications_data(data, profession)
    else:
        problems = check_json(data, profession)
    log = {"kind": "framework", "profession_id": profession.pk, "user_id": getattr(by, "pk", None)}

    def refused(count: int) -> None:
        # Logged outside the import's transaction, which a refusal rolls back.
        security_event(IMPORT, outcome="refused", problems=count, **log)

    if problems:
        if not dry_run:
            refused(len(problems))
        raise ImportProblems(problems)
    summary = ImportSummary()
    with transaction.atomic():
        profession = Profession.objects.select_for_update().get(pk=profession.pk)
        expected_before = Expectation.objects.filter(role_level__profession=profession).exists()
        if kind == CSV_FORMAT:
            _import_csv(profession, data, by, summary)
        elif kind == CSV_QUALIFICATIONS_FORMAT:
            _import_qualifications_csv(profession, data, by, summary)
        else:
            _import_json(profession, data, by, summary)
        if (
            expected_before
            and not summary.problems
            and not Expectation.objects.filter(role_level__profession=profession).exists()
        ):
            summary.problems.append(f"file: {REMOVES_EVERYTHING.format(profession=profession)}")
        if summary.problems:
            if not dry_run:
                refused(len(summary.problems))
            raise ImportProblems(summary.problems)  # rolls back everything done so far
        if summary.changed:
            # An admin form opened before the import must not save over it (optimistic
            # locking, roles.services). An import that changed nothing leaves the locks alone.
            RoleLevel.objects.filter(profession=profession).update(
                lock_version=F("lock_version") + 1
            )
        if dry_run:
            transaction.set_rollback(True)
        else:
            transaction.on_commit(lambda: security_event(IMPORT, outcome="done", **log))
    return summary
