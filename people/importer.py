"""Import an HR extract of staff records (CSV), all or nothing.

The whole file is checked first; every problem is reported as an `ImportProblem` with its row
number (the header is row 1, as in a spreadsheet) and column, in row then column order, and, if
there is any, nothing changes. Then, in one transaction: new people are inserted, changed people
updated, and (when asked) active people missing from the file are marked inactive. Lookups are
dictionaries loaded once; line-management paths are computed in Python for the whole
organisation (`people.services.paths_for`); writes are batched. See docs/staff-records.md.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from accounts.security_log import IMPORT, security_event
from careerpath.db import (
    allocate_ids,
    planner_statistics_refresh,
    statement_timeout_lift,
    update_rows,
)
from roles.models import Grade, Profession, RoleLevel

from .models import Department, Person
from .services import MAX_MANAGEMENT_DEPTH, paths_for

if TYPE_CHECKING:
    from accounts.models import User

HEADER = [
    "staff_number",
    "name",
    "email",
    "department",
    "profession",
    "role_level",
    "grade",
    "line_manager_staff_number",
]
MANAGER_COLUMN = HEADER[-1]

WRONG_HEADER = "Row 1: the columns must be, in this order: " + ",".join(HEADER)
EMPTY_FILE = "The file is empty: it needs a header row and at least one person"
NOT_UTF8 = "The file must be a CSV file saved as UTF-8"
NUL_CHARACTER = "Row {row}: {field} contains a NUL character: save the file again as CSV (UTF-8)"
NOT_CSV = "The file could not be read as CSV: {error}"
WRONG_COLUMN_COUNT = "Row {row}: expected {expected} columns but found {found}"
MISSING_STAFF_NUMBER = "Row {row}: enter a staff number"
STAFF_NUMBER_TOO_LONG = "Row {row}: staff number must be 20 characters or fewer"
DUPLICATE_STAFF_NUMBER = "Row {row}: staff number {value} is also on row {other}"
MISSING_NAME = "Row {row}: enter a name"
NAME_TOO_LONG = "Row {row}: name must be 200 characters or fewer"
BAD_EMAIL = 'Row {row}: "{value}" is not a valid email address'
DUPLICATE_EMAIL = "Row {row}: email {value} is also on row {other}"
EMAIL_TAKEN = "Row {row}: email {value} belongs to another person already held ({other})"
UNKNOWN_DEPARTMENT = 'Row {row}: unknown department "{value}"'
UNKNOWN_PROFESSION = 'Row {row}: unknown profession "{value}"'
UNKNOWN_LEVEL = 'Row {row}: unknown role level "{value}" in {profession}'
LEVEL_WITHOUT_PROFESSION = "Row {row}: a role level needs a profession"
UNKNOWN_GRADE = 'Row {row}: unknown grade "{value}" (use one of {grades})'
MANAGER_MISSING = "Row {row}: line manager {value} is neither in the file nor in the staff records"
MANAGER_LOOP = "Row {row}: line-management loop: the managers above {value} lead back to them"
CHAIN_TOO_DEEP = (
    "Row {row}: {value} would have {depth} people in their line-management chain; "
    "the most is {most}"
)

GRADES = frozenset(Grade.values)
PROGRESS_EVERY = 20_000
BATCH = 5000

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ImportProblem:
    """One problem in the file. `row` is numbered as in a spreadsheet (the header is row 1) and
    is None for the file as a whole; `column` is a HEADER name, or None for the whole row.
    `message` is the text users see, as str() gives it."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        return self.message

    @property
    def sort_key(self) -> tuple[int, int]:
        """The file first, then by row; within a row, whole-row problems, then column order."""
        column = -1 if self.column is None else HEADER.index(self.column)
        return (self.row or 0, column)


def _problem(
    template: str, *, row: int | None, column: str | None = None, **values: object
) -> ImportProblem:
    return ImportProblem(row=row, column=column, message=template.format(row=row, **values))


class ImportFailed(Exception):
    def __init__(self, errors: list[ImportProblem]):
        super().__init__(f"{len(errors)} problem(s) in the file")
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    unchanged: int = 0
    rows: int = 0

    def summary(self) -> str:
        return (
            f"{self.rows} rows: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.deactivated} deactivated"
        )


@dataclass(frozen=True, slots=True)
class StaffRow:
    """One checked row of the file, with names already turned into primary keys."""

    number: int
    staff_number: str
    name: str
    email: str
    department_id: int | None
    profession_id: int | None
    role_level_id: int | None
    grade: str
    manager_staff_number: str


class PersonValues(NamedTuple):
    """What the import writes for a person (and compares, to leave unchanged rows alone).
    The names are the model's attribute names, so they double as the columns to update."""

    name: str
    email: str
    department_id: int
    profession_id: int | None
    role_level_id: int | None
    grade: str
    line_manager_id: int | None
    management_path: str
    is_active: bool
    user_id: int | None


class ExistingPerson(NamedTuple):
    """A person already held, read once at the start of an import."""

    pk: int
    staff_number: str
    values: PersonValues


def _people_held() -> dict[str, ExistingPerson]:
    """Everyone held, by staff number."""
    rows = Person.objects.values_list("pk", "staff_number", *PersonValues._fields)
    return {
        staff_number: ExistingPerson(pk, staff_number, PersonValues._make(values))
        for pk, staff_number, *values in rows.iterator(chunk_size=20_000)
    }


class _Lookups(NamedTuple):
    departments: dict[str, int]
    professions: dict[str, int]
    levels: dict[tuple[int, str], int]
    profession_names: dict[int, str]


def _lookups() -> _Lookups:
    """Departments, professions and levels by any name a file may use for them."""
    departments = {}
    for pk, name, acronym in Department.objects.values_list("pk", "name", "acronym"):
        departments[name.strip().lower()] = pk
        departments[acronym.strip().lower()] = pk
    professions = {}
    for pk, name, slug in Profession.objects.values_list("pk", "name", "slug"):
        professions[name.strip().lower()] = pk
        professions[slug.lower()] = pk
    levels = {}
    for pk, profession_id, name, slug in RoleLevel.objects.values_list(
        "pk", "profession_id", "name", "slug"
    ):
        levels[(profession_id, name.strip().lower())] = pk
        levels[(profession_id, slug.lower())] = pk
    profession_names = dict(Profession.objects.values_list("pk", "name"))
    return _Lookups(departments, professions, levels, profession_names)


def _progress(report, done, total, phase):
    if report is not None and done and done % PROGRESS_EVERY == 0:
        report(f"{phase}: {done} of {total} rows")


def check_rows(
    lines: Iterable[str], *, progress: Progress | None = None
) -> tuple[list[StaffRow], dict[str, ExistingPerson], list[ImportProblem]]:
    """Parse and check every row. Returns (rows, everyone held by staff number, problems in row
    then column order); the rows are only complete and valid when there are no problems."""
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        return [], {}, [_problem(EMPTY_FILE, row=None)]
    except UnicodeDecodeError:
        return [], {}, [_problem(NOT_UTF8, row=None)]
    if [column.strip().lower() for column in header] != HEADER:
        return [], {}, [_problem(WRONG_HEADER, row=1)]
    try:
        raw_rows = [(number, values) for number, values in enumerate(reader, start=2) if values]
    except UnicodeDecodeError:
        return [], {}, [_problem(NOT_UTF8, row=None)]
    except csv.Error as error:
        return [], {}, [_problem(NOT_CSV, row=None, error=error)]
    if not raw_rows:
        return [], {}, [_problem(EMPTY_FILE, row=None)]

    lookups = _lookups()
    existing = _people_held()

    problems = []
    rows = []
    seen_sn = {}
    seen_email = {}
    total = len(raw_rows)
    for done, (number, values) in enumerate(raw_rows, start=1):
        _progress(progress, done, total, "Checked")
        if len(values) != len(HEADER):
            problems.append(
                _problem(WRONG_COLUMN_COUNT, row=number, expected=len(HEADER), found=len(values))
            )
            continue
        nul = next(
            (column for column, value in zip(HEADER, values, strict=True) if "\x00" in value), None
        )
        if nul is not None:
            problems.append(_problem(NUL_CHARACTER, row=number, column=nul, field=nul))
            continue
        row, row_problems = _check_row(number, values, lookups, seen_sn, seen_email)
        rows.append(row)
        problems.extend(row_problems)

    in_file = {row.staff_number: row for row in rows}
    # Emails that stay with people who are not in the file.
    email_owner = {person.values.email: sn for sn, person in existing.items()}
    for row in rows:
        owner = email_owner.get(row.email)
        if owner is not None and owner != row.staff_number and owner not in in_file:
            problems.append(
                _problem(EMAIL_TAKEN, row=row.number, column="email", value=row.email, other=owner)
            )

    # The tree as it will be: the file's managers, and the current ones for everyone else.
    sn_of_pk = {person.pk: sn for sn, person in existing.items()}
    manager_of = {
        sn: sn_of_pk.get(person.values.line_manager_id)
        for sn, person in existing.items()
        if sn not in in_file
    }
    for row in rows:
        manager = row.manager_staff_number
        if manager and manager not in in_file and manager not in existing:
            problems.append(
                _problem(MANAGER_MISSING, row=row.number, column=MANAGER_COLUMN, value=manager)
            )
            manager_of[row.staff_number] = None
        else:
            manager_of[row.staff_number] = manager or None
    _, looped = paths_for(manager_of)
    in_loop = _cycle_members(manager_of, looped)
    for row in rows:
        if row.staff_number in in_loop:
            problems.append(
                _problem(
                    MANAGER_LOOP, row=row.number, column=MANAGER_COLUMN, value=row.staff_number
                )
            )

    problems.extend(_too_deep(manager_of, looped, in_file))
    problems.sort(key=lambda problem: problem.sort_key)
    return rows, existing, problems


def _check_row(number, values, lookups, seen_sn, seen_email):
    """One row with the right number of columns: (StaffRow, problems). Records the row's staff
    number and email in seen_sn and seen_email, to find them again later in the file."""
    problems = []

    def problem(template, column, **values):
        problems.append(_problem(template, row=number, column=column, **values))

    sn, name, email, department, profession, level, grade, manager = (v.strip() for v in values)
    email = email.lower()
    if not sn:
        problem(MISSING_STAFF_NUMBER, "staff_number")
    elif len(sn) > 20:
        problem(STAFF_NUMBER_TOO_LONG, "staff_number")
    elif sn in seen_sn:
        problem(DUPLICATE_STAFF_NUMBER, "staff_number", value=sn, other=seen_sn[sn])
    else:
        seen_sn[sn] = number
    if not name:
        problem(MISSING_NAME, "name")
    elif len(name) > 200:
        problem(NAME_TOO_LONG, "name")
    try:
        if len(email) > 254:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        problem(BAD_EMAIL, "email", value=email)
    else:
        if email in seen_email:
            problem(DUPLICATE_EMAIL, "email", value=email, other=seen_email[email])
        else:
            seen_email[email] = number
    department_id = lookups.departments.get(department.lower())
    if department_id is None:
        problem(UNKNOWN_DEPARTMENT, "department", value=department)
    profession_id = None
    if profession:
        profession_id = lookups.professions.get(profession.lower())
        if profession_id is None:
            problem(UNKNOWN_PROFESSION, "profession", value=profession)
    level_id = None
    if level:
        if not profession:
            problem(LEVEL_WITHOUT_PROFESSION, "role_level")
        elif profession_id is not None:
            level_id = lookups.levels.get((profession_id, level.lower()))
            if level_id is None:
                profession_name = lookups.profession_names[profession_id]
                problem(UNKNOWN_LEVEL, "role_level", value=level, profession=profession_name)
    grade = grade.upper()
    if grade not in GRADES:
        problem(UNKNOWN_GRADE, "grade", value=grade, grades=", ".join(Grade.values))
    row = StaffRow(number, sn, name, email, department_id, profession_id, level_id, grade, manager)
    return row, problems


def _depths(manager_of, looped) -> dict:
    """How many people each chain to the top holds, for everyone outside a loop (one pass)."""
    depth = {}
    for start in manager_of:
        if start in depth or start in looped:
            continue
        chain = []
        node = start
        while node is not None and node not in depth:
            chain.append(node)
            node = manager_of.get(node)
        below = depth[node] if node is not None else 0
        for member in reversed(chain):
            below += 1
            depth[member] = below
    return depth


def _too_deep(manager_of, looped, in_file) -> list[ImportProblem]:
    """A problem for each row whose chain, or the chain of someone held below them who is not in
    the file, would be longer than MAX_MANAGEMENT_DEPTH."""
    depth = _depths(manager_of, looped)
    rows_at_fault = {}
    walked = set()
    for sn, length in depth.items():
        if length <= MAX_MANAGEMENT_DEPTH:
            continue
        node = sn
        while node is not None and node not in in_file and node not in walked:
            walked.add(node)
            node = manager_of.get(node)
        if node in in_file:
            rows_at_fault[node] = max(rows_at_fault.get(node, 0), depth[sn])
    return [
        _problem(
            CHAIN_TOO_DEEP,
            row=in_file[sn].number,
            column=MANAGER_COLUMN,
            value=sn,
            depth=length,
            most=MAX_MANAGEMENT_DEPTH,
        )
        for sn, length in rows_at_fault.items()
    ]


def _cycle_members(manager_of, looped):
    """Of the people in or below a loop, those actually on it."""
    members = set()
    for start in looped:
        if start in members:
            continue
        seen = []
        node = start
        index = {}
        while node is not None and node not in index and node not in members:
            index[node] = len(seen)
            seen.append(node)
            node = manager_of.get(node)
        if node is not None and node in index:
            members.update(seen[index[node] :])
    return members


def _accounts_set_active(person_pks: list[int], *, active: bool) -> None:
    """Open or close the sign-in accounts of these people. Service staff and administrators keep
    theirs whatever their staff record says."""
    accounts = get_user_model().objects.filter(is_staff=False)
    for start in range(0, len(person_pks), BATCH):
        batch = person_pks[start : start + BATCH]
        accounts.filter(person__pk__in=batch).update(is_active=active)


@transaction.atomic
def staff_import(
    *,
    lines: Iterable[str],
    deactivate_missing: bool = False,
    progress: Progress | None = None,
    by: User | None = None,
) -> ImportResult:
    """Import an HR extract (an iterable of CSV text lines). Raises ImportFailed with every
    problem if the file has any, changing nothing; returns an ImportResult otherwise. `by` is
    the administrator, for the security log."""
    statement_timeout_lift()
    rows, existing, problems = check_rows(lines, progress=progress)
    user_id = getattr(by, "pk", None)
    if problems:
        security_event(
            IMPORT, user_id=user_id, kind="staff", outcome="refused", problems=len(problems)
        )
        raise ImportFailed(problems)
    result = ImportResult(rows=len(rows))
    users = dict(get_user_model().objects.values_list("email", "pk"))
    linked = {person.values.user_id for person in existing.values()} - {None}

    new_rows = [row for row in rows if row.staff_number not in existing]
    pk_of = {sn: person.pk for sn, person in existing.items()}
    for row, pk in zip(new_rows, allocate_ids(Person, len(new_rows)), strict=True):
        pk_of[row.staff_number] = pk
    in_file = {row.staff_number: row for row in rows}

    manager_of = {
        person.pk: person.values.line_manager_id
        for sn, person in existing.items()
        if sn not in in_file
    }
    for row in rows:
        manager = row.manager_staff_number
        manager_of[pk_of[row.staff_number]] = pk_of[manager] if manager else None
    paths, _ = paths_for(manager_of)

    def user_for(email, current):
        """The account to link: the current one, or an unlinked account with this email."""
        if current is not None:
            return current
        user_id = users.get(email)
        if user_id is None or user_id in linked:
            return None
        linked.add(user_id)
        return user_id

    def values_for(row, current_user_id):
        pk = pk_of[row.staff_number]
        return PersonValues(
            name=row.name,
            email=row.email,
            department_id=row.department_id,
            profession_id=row.profession_id,
            role_level_id=row.role_level_id,
            grade=row.grade,
            line_manager_id=manager_of[pk],
            management_path=paths[pk],
            is_active=True,
            user_id=user_for(row.email, current_user_id),
        )

    to_create = [
        Person(
            pk=pk_of[row.staff_number],
            staff_number=row.staff_number,
            **values_for(row, None)._asdict(),
        )
        for row in new_rows
    ]
    Person.objects.bulk_create(to_create, batch_size=BATCH)
    result.created = len(to_create)
    if progress is not None and to_create:
        progress(f"Created {len(to_create)} people")

    changed = []
    email_changed = []
    rejoined = []
    deactivated = []
    for sn, person in existing.items():
        old = person.values
        row = in_file.get(sn)
        if row is None:
            new = old._replace(
                management_path=paths.get(person.pk, old.management_path),
                is_active=old.is_active and not deactivate_missing,
            )
            if old.is_active and not new.is_active:
                deactivated.append(person.pk)
        else:
            new = values_for(row, old.user_id)
            if new != old:
                result.updated += 1
            else:
                result.unchanged += 1
        if new != old:
            changed.append((person.pk, *new))
            if new.email != old.email:
                email_changed.append(person.pk)
            if new.is_active and not old.is_active:
                rejoined.append(person.pk)
    # Emails may move between people in one file (A takes B's old address): free every changed
    # address first, so that the unique index never sees two people with one address.
    moving = [(pk, f"moving-{pk}@import.invalid") for pk in email_changed]
    update_rows(Person, ["email"], moving)
    update_rows(Person, PersonValues._fields, changed)
    _accounts_set_active(rejoined, active=True)
    # Leavers can no longer sign in.
    _accounts_set_active(deactivated, active=False)
    result.deactivated = len(deactivated)
    planner_statistics_refresh(Person)
    transaction.on_commit(
        lambda: security_event(
            IMPORT,
            user_id=user_id,
            kind="staff",
            outcome="done",
            created=result.created,
            updated=result.updated,
            deactivated=result.deactivated,
        )
    )
    return result
