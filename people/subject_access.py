"""Subject access: everything the service holds about one person, as plain JSON-ready data.

Used by the admin's "Download everything held about this person (JSON)". Passwords (even
hashed) are never included. A fixed number of queries, however long the person's history.

people knows only the staff record and the account. Apps that hold more about a person
(assessments) add a section with `subject_access_section` when they load, so the export is
complete without people importing them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.utils import timezone

from .models import Person

FORMAT = "careerpath-subject-access/1"


Section = Callable[[Person], Any]
SECTIONS: dict[str, Section] = {}


def subject_access_section(name: str) -> Callable[[Section], Section]:
    """Register `function(person)` as the export's section `name` (called from AppConfig.ready)."""

    def register(function: Section) -> Section:
        SECTIONS[name] = function
        return function

    return register


def when(value: datetime | None) -> str | None:
    """A date and time as ISO 8601 text, or None."""
    return value.isoformat() if value else None


def person_ref(person: Person | None) -> dict[str, str] | None:
    """Who someone else in a record is (a line manager, a reviewer): name and staff number."""
    if person is None:
        return None
    return {"name": person.name, "staff_number": person.staff_number}


def person_subject_access(person: Person) -> dict[str, Any]:
    """A dict of the person's record, their sign-in account and every registered section
    (assessments registers one with every assessment, its ratings, evidence, comments and
    timeline)."""
    person = Person.objects.select_related(
        "department", "profession", "role_level", "line_manager", "user"
    ).get(pk=person.pk)
    user = person.user
    return {
        "format": FORMAT,
        "generated_at": timezone.now().isoformat(),
        "person": {
            "staff_number": person.staff_number,
            "name": person.name,
            "email": person.email,
            "department": person.department.name,
            "profession": person.profession.name if person.profession else None,
            "role_level": person.role_level.name if person.role_level else None,
            "grade": person.grade,
            "line_manager": person_ref(person.line_manager),
            "is_active": person.is_active,
        },
        "account": None
        if user is None
        else {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "is_active": user.is_active,
            "date_joined": when(user.date_joined),
            "last_login": when(user.last_login),
            "has_password": user.has_usable_password(),
        },
        **{name: section(person) for name, section in SECTIONS.items()},
    }
