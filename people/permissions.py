"""Who a signed-in user is among the staff records, and where they sit in the line.

The personal-record rules of the access matrix (docs/architecture.md) are built from these:
assessments.permissions decides who may see or review an assessment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def person_for(user: AbstractBaseUser | AnonymousUser) -> Person | None:
    """The staff record of a signed-in user, or None (for example a service administrator).

    A leaver's record (inactive) counts as none: a leaver has no powers at all, whatever is
    left of their account."""
    if not user.is_authenticated:
        return None
    try:
        person = user.person
    except Person.DoesNotExist:
        return None
    return person if person.is_active else None


def is_line_manager_of(manager: Person | None, person: Person) -> bool:
    """True when manager is person's direct line manager."""
    return manager is not None and person.line_manager_id == manager.pk


def is_above(manager: Person | None, person: Person) -> bool:
    """True when manager is anywhere above person in the line-management tree (not only direct)."""
    return manager is not None and manager.pk in person.manager_ids_above()
