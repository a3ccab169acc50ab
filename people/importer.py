"""Import an HR extract of staff records (CSV), all or nothing.

The whole file is checked first; every problem is reported with its row number (the header is
row 1, as in a spreadsheet) and, if there is any, nothing changes. Then, in one transaction:
new people are inserted, changed people updated, and (when asked) active people missing from the
file are marked inactive. Lookups are dictionaries loaded once; line-management paths are
computed in Python for the whole organisation; writes are batched. See docs/staff-records.md.
"""

import csv
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from careerpath.db import allocate_ids, planner_statistics_refresh, update_rows
from roles.models import Grade, Profession, RoleLevel

from .models import Department, Person
from .services import paths_for

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

WRONG_HEADER = "Row 1: the columns must be, in this order: " + ",".join(HEADER)
EMPTY_FILE = "The file is empty: it needs a header row and at least one person"
NOT_UTF8 = "The file must be a CSV file saved as UTF-8"
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

PROGRESS_EVERY = 20_000


class ImportFailed(Exception):
    def __init__(self, errors):
        super().__init__(f"{len(errors)} problem(s) in the file")
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    unchanged: int = 0
    rows: int = 0
    errors: list = field(default_factory=list)

    def summary(self):
        return (
            f"{self.rows} rows: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.deactivated} deactivated"
        )


@dataclass
class _Row:
    number: int
    staff_number: str
    name: str
    email: str
    department_id: int
    profession_id: int | None
    role_level_id: int | None
    grade: str
    manager: str | None


def _lookups():
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
    return departments, professions, levels, profession_names


def _progress(report, done, total, phase):
    if report is not None and done and done % PROGRESS_EVERY == 0:
        report(f"{phase}: {done} of {total} rows")


def check_rows(lines, *, progress=None):
    """Parse and check every row. Returns (rows, existing, errors); rows only valid if no errors.

    `existing` is {staff_number: (pk, email, manager pk, fields tuple, is_active, user_id)}."""
    errors = []
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        return [], {}, [EMPTY_FILE]
    except UnicodeDecodeError:
        return [], {}, [NOT_UTF8]
    if [column.strip().lower() for column in header] != HEADER:
        return [], {}, [WRONG_HEADER]
    try:
        raw_rows = [(number, values) for number, values in enumerate(reader, start=2) if values]
    except UnicodeDecodeError:
        return [], {}, [NOT_UTF8]
    except csv.Error as error:
        return [], {}, [f"The file could not be read as CSV: {error}"]
    if not raw_rows:
        return [], {}, [EMPTY_FILE]

    departments, professions, levels, profession_names = _lookups()
    grades = set(Grade.values)
    existing = {}
    email_owner = {}
    sn_of_pk = {}
    for row in Person.objects.values_list(
        "pk",
        "staff_number",
        "email",
        "line_manager_id",
        "name",
        "department_id",
        "profession_id",
        "role_level_id",
        "grade",
        "is_active",
        "user_id",
        "management_path",
    ).iterator(chunk_size=20_000):
        pk, sn, email = row[:3]
        existing[sn] = row
        email_owner[email] = sn
        sn_of_pk[pk] = sn

    rows = []
    seen_sn = {}
    seen_email = {}
    total = len(raw_rows)
    for done, (number, values) in enumerate(raw_rows, start=1):
        _progress(progress, done, total, "Checked")
        if len(values) != len(HEADER):
            errors.append(
                WRONG_COLUMN_COUNT.format(row=number, expected=len(HEADER), found=len(values))
            )
            continue
        sn, name, email, department, profession, level, grade, manager = (v.strip() for v in values)
        email = email.lower()
        if not sn:
            errors.append(MISSING_STAFF_NUMBER.format(row=number))
        elif len(sn) > 20:
            errors.append(STAFF_NUMBER_TOO_LONG.format(row=number))
        elif sn in seen_sn:
            errors.append(DUPLICATE_STAFF_NUMBER.format(row=number, value=sn, other=seen_sn[sn]))
        else:
            seen_sn[sn] = number
        if not name:
            errors.append(MISSING_NAME.format(row=number))
        elif len(name) > 200:
            errors.append(NAME_TOO_LONG.format(row=number))
        try:
            if len(email) > 254:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            errors.append(BAD_EMAIL.format(row=number, value=email))
        else:
            if email in seen_email:
                errors.append(
                    DUPLICATE_EMAIL.format(row=number, value=email, other=seen_email[email])
                )
            else:
                seen_email[email] = number
        department_id = departments.get(department.lower())
        if department_id is None:
            errors.append(UNKNOWN_DEPARTMENT.format(row=number, value=department))
        profession_id = None
        if profession:
            profession_id = professions.get(profession.lower())
            if profession_id is None:
                errors.append(UNKNOWN_PROFESSION.format(row=number, value=profession))
        level_id = None
        if level:
            if not profession:
                errors.append(LEVEL_WITHOUT_PROFESSION.format(row=number))
            elif profession_id is not None:
                level_id = levels.get((profession_id, level.lower()))
                if level_id is None:
                    errors.append(
                        UNKNOWN_LEVEL.format(
                            row=number, value=level, profession=profession_names[profession_id]
                        )
                    )
        grade = grade.upper()
        if grade not in grades:
            errors.append(
                UNKNOWN_GRADE.format(row=number, value=grade, grades=", ".join(Grade.values))
            )
        rows.append(
            _Row(number, sn, name, email, department_id, profession_id, level_id, grade, manager)
        )

    in_file = {row.staff_number: row for row in rows}
    # Emails that stay with people who are not in the file.
    for row in rows:
        owner = email_owner.get(row.email)
        if owner is not None and owner != row.staff_number and owner not in in_file:
            errors.append(EMAIL_TAKEN.format(row=number_of(row), value=row.email, other=owner))

    # The tree as it will be: the file's managers, and the current ones for everyone else.
    manager_of = {}
    for sn, record in existing.items():
        if sn not in in_file:
            manager_of[sn] = sn_of_pk.get(record[3])
    for row in rows:
        if row.manager and row.manager not in in_file and row.manager not in existing:
            errors.append(MANAGER_MISSING.format(row=row.number, value=row.manager))
            manager_of[row.staff_number] = None
        else:
            manager_of[row.staff_number] = row.manager or None
    _, looped = paths_for(manager_of)
    in_loop = _cycle_members(manager_of, looped)
    for row in rows:
        if row.staff_number in in_loop:
            errors.append(MANAGER_LOOP.format(row=row.number, value=row.staff_number))

    errors.sort(key=_row_of)
    return rows, existing, errors


def number_of(row):
    return row.number


def _row_of(message):
    if message.startswith("Row "):
        try:
            return int(message[4:].split(":", 1)[0])
        except ValueError:
            return 0
    return 0


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


@transaction.atomic
def staff_import(*, lines, deactivate_missing=False, progress=None):
    """Import an HR extract (an iterable of CSV text lines). Raises ImportFailed with every
    problem if the file has any, changing nothing; returns an ImportResult otherwise."""
    rows, existing, errors = check_rows(lines, progress=progress)
    if errors:
        raise ImportFailed(errors)
    result = ImportResult(rows=len(rows))
    User = get_user_model()
    users = dict(User.objects.values_list("email", "pk"))
    linked = {record[10] for record in existing.values() if record[10] is not None}

    new_rows = [row for row in rows if row.staff_number not in existing]
    pk_of = {sn: record[0] for sn, record in existing.items()}
    for row, pk in zip(new_rows, allocate_ids(Person, len(new_rows)), strict=True):
        pk_of[row.staff_number] = pk
    in_file = {row.staff_number: row for row in rows}

    manager_of = {}
    for sn, record in existing.items():
        if sn not in in_file:
            manager_of[record[0]] = record[3]
    for row in rows:
        manager_of[pk_of[row.staff_number]] = pk_of[row.manager] if row.manager else None
    paths, _ = paths_for(manager_of)

    def user_for(email, current):
        if current is not None:
            return current
        user_id = users.get(email)
        if user_id is None or user_id in linked:
            return None
        linked.add(user_id)
        return user_id

    to_create = []
    for row in new_rows:
        pk = pk_of[row.staff_number]
        to_create.append(
            Person(
                pk=pk,
                staff_number=row.staff_number,
                name=row.name,
                email=row.email,
                department_id=row.department_id,
                profession_id=row.profession_id,
                role_level_id=row.role_level_id,
                grade=row.grade,
                line_manager_id=manager_of[pk],
                management_path=paths[pk],
                is_active=True,
                user_id=user_for(row.email, None),
            )
        )
    Person.objects.bulk_create(to_create, batch_size=5000)
    result.created = len(to_create)
    if progress is not None and to_create:
        progress(f"Created {len(to_create)} people")

    fields = [
        "name",
        "email",
        "department",
        "profession",
        "role_level",
        "grade",
        "line_manager",
        "management_path",
        "is_active",
        "user",
    ]
    changed = []
    deactivated = []
    email_changed = []
    was_active = {record[0]: record[9] for record in existing.values()}
    for sn, record in existing.items():
        pk, _, email, manager_id, name, dept, prof, level, grade, active, user_id, path = record
        old = (name, email, dept, prof, level, grade, manager_id, path, active, user_id)
        row = in_file.get(sn)
        if row is None:
            new_active = active and not deactivate_missing
            new_path = paths.get(pk, path)
            new = (name, email, dept, prof, level, grade, manager_id, new_path, new_active)
            new = (*new, user_id)
            if active and not new_active:
                deactivated.append(pk)
        else:
            new = (
                row.name,
                row.email,
                row.department_id,
                row.profession_id,
                row.role_level_id,
                row.grade,
                manager_of[pk],
                paths[pk],
                True,
                user_for(row.email, user_id),
            )
            if new != old:
                result.updated += 1
            else:
                result.unchanged += 1
        if new != old:
            changed.append((pk, *new))
            if new[1] != old[1]:
                email_changed.append(pk)
    # Emails may move between people in one file (A takes B's old address): free every changed
    # address first, so that the unique index never sees two people with one address.
    moving = [(pk, f"moving-{pk}@import.invalid") for pk in email_changed]
    update_rows(Person, ["email"], moving)
    update_rows(Person, fields, changed)
    rejoined = [pk for pk, *new in changed if new[8] and not was_active[pk]]
    for start in range(0, len(rejoined), 5000):
        User.objects.filter(person__pk__in=rejoined[start : start + 5000], is_staff=False).update(
            is_active=True
        )
    if deactivated:
        # Leavers can no longer sign in (service staff and administrators keep their accounts).
        for start in range(0, len(deactivated), 5000):
            User.objects.filter(
                person__pk__in=deactivated[start : start + 5000], is_staff=False
            ).update(is_active=False)
    result.deactivated = len(deactivated)
    planner_statistics_refresh(Person)
    return result
