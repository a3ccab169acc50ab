"""Import a framework file (the JSON export, a CSV skills x levels matrix or a CSV list of
qualifications) into a profession's working copy. Importing never publishes: a head of
profession previews and publishes afterwards.

Two steps. `read_file` reads the text (`parse_json` then `check_json`, or `parse_csv`, which
tells the two CSV tables apart by the first column of their header) and checks
the WHOLE file, collecting every problem with where it is (a JSON path, or a CSV row and column);
`framework_import` then applies a checked file in one transaction. `framework_import` checks
again, so it is safe to call on its own.
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
from django.db import transaction
from django.db.models import F, Model
from django.utils.text import slugify

from accounts.models import User
from accounts.security_log import IMPORT, security_event

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


def same_slug(value: str) -> str:
    """CSV headers may spell a level slug with underscores: `_` and `-` are the same."""
    return value.strip().lower().replace("_", "-")


# --- JSON ------------------------------------------------------------------------------------
def parse_json(text: str) -> Any:
    """The parsed JSON (any JSON value), or ImportProblems when it is not JSON at all.
    check_json says whether it is a framework."""
    try:
        data = json.loads(text)
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
    """Every problem in a parsed JSON framework, as "path: problem" strings."""
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

    rows = list(csv.reader(io.StringIO(text)))
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
def read_file(text: str, *, profession_slug: str, kind: str) -> tuple[Profession, Any]:
    """(profession, data) from a file's text; ImportProblems listing every problem otherwise.

    kind is "json" or "csv".
    """
    profession = Profession.objects.filter(slug=profession_slug).first()
    if profession is None:
        raise ImportProblems([f"--profession: {UNKNOWN_PROFESSION.format(value=profession_slug)}"])
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
            skill = _save(Skill(name=name, slug=_unique_skill_slug(name)), by)
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
    for item in data.get("skills", []):
        values = {"name": item["name"].strip(), "description": item.get("description", "")}
        skill = Skill.objects.filter(slug=item["slug"]).first()
        if skill is None:
            skill = _save(Skill(slug=item["slug"], **values), by)
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

        remaining = [
            {
                "title": r["title"],
                "url": r["url"],
                "provider": r.get("provider", "") or "",
                "kind": r["kind"],
                "proficiency": r.get("proficiency", "") or "",
            }
            for r in item.get("resources", [])
        ]
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
            summary.removed["expectations"] += level.expectations.count()
            summary.removed["qualifications"] += level.qualifications.count()
            _history_user(level, by).delete()
            summary.removed["levels"] += 1
    # Move kept levels out of the way so that ranks can be swapped without a clash.
    original_rank = {slug: level.rank for slug, level in existing.items()}
    top = max([item["rank"] for item in levels_in_file.values()] + list(original_rank.values()))
    kept = [level for slug, level in existing.items() if slug in levels_in_file]
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
            _save(level, by)
            if changed:
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

    # Skills this profession no longer uses, and no other profession uses, go too.
    unused = Skill.objects.filter(pk__in=used_before, expectations__isnull=True).exclude(
        slug__in=skills
    )
    for skill in unused:
        _history_user(skill, by).delete()
        summary.removed["skills"] += 1


def framework_import(*, profession: Profession, data: Any, by: User | None = None) -> ImportSummary:
    """Make the profession's working copy match a checked file. Never publishes.

    `data` is a parsed JSON export (roles.snapshot format) or the result of parse_csv (a
    matrix, or a list of qualifications). Raises ImportProblems, changing nothing, when the
    data has any problem.
    """
    kind = data.get("format") if isinstance(data, dict) else None
    if kind == CSV_FORMAT:
        problems = check_csv_data(data, profession)
    elif kind == CSV_QUALIFICATIONS_FORMAT:
        problems = check_qualifications_data(data, profession)
    else:
        problems = check_json(data, profession)
    log = {"kind": "framework", "profession_id": profession.pk, "user_id": getattr(by, "pk", None)}
    if problems:
        security_event(IMPORT, outcome="refused", problems=len(problems), **log)
        raise ImportProblems(problems)
    summary = ImportSummary()
    with transaction.atomic():
        profession = Profession.objects.select_for_update().get(pk=profession.pk)
        if kind == CSV_FORMAT:
            _import_csv(profession, data, by, summary)
        elif kind == CSV_QUALIFICATIONS_FORMAT:
            _import_qualifications_csv(profession, data, by, summary)
        else:
            _import_json(profession, data, by, summary)
        # An import replaces levels and their expectations wholesale: an admin form opened
        # before it must not be able to save over it (optimistic locking, roles.services).
        RoleLevel.objects.filter(profession=profession).update(lock_version=F("lock_version") + 1)
        transaction.on_commit(lambda: security_event(IMPORT, outcome="done", **log))
    return summary
