"""Writing staff records one at a time: line management (with the materialised path) and
sign-in accounts.

`Person.management_path` holds the chain of primary keys from the top of the tree down to the
person. One person's change of line manager goes through `person_set_line_manager` (the admin's
`person_save` uses it): `line_manager_check` refuses a loop, and the paths of everyone below are
rewritten with one UPDATE (a string replacement on the old prefix). Bulk writers compute every
path of the organisation at once in Python with `paths_for`: the HR import (people.importer),
which reports loops as problems in the file, and the generated organisation (people.seed).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr

from .models import Person

if TYPE_CHECKING:
    from accounts.models import User

Key = TypeVar("Key", bound=Hashable)

MANAGER_LOOP = "A person cannot be managed by themselves or by anyone who reports to them"
MANAGER_IS_SELF = "A person cannot be their own line manager"
# Paths are stored in 1,000 characters; 40 levels of the largest ids fit with room to spare,
# and no real organisation is that deep.
MAX_MANAGEMENT_DEPTH = 40
CHAIN_TOO_DEEP = (
    f"A line-management chain can be at most {MAX_MANAGEMENT_DEPTH} people deep: "
    "choose a line manager higher up"
)
CHANGED_WHILE_SAVING = "Someone else changed line management at the same time: try again"
ACCOUNT_EMAIL_MISMATCH = "The account's email address must be the same as the person's"
ACCOUNT_LINKED_ELSEWHERE = "That account is already linked to another person"

# What person_save writes itself; person_set_line_manager writes the manager and the path.
_SAVED_BY_PERSON_SAVE = [
    f.name
    for f in Person._meta.concrete_fields
    if f.name not in ("id", "line_manager", "management_path")
]
_ALL_BUT_PATH = [f.name for f in Person._meta.concrete_fields if f.name != "management_path"]


def path_for(person: Person, manager: Person | None) -> str:
    """The path a saved person has under this manager (as the manager's row says now)."""
    parent = manager.management_path if manager is not None else "/"
    return f"{parent}{person.pk}/"


def paths_for(manager_of: Mapping[Key, Key | None]) -> tuple[dict[Key, str], set[Key]]:
    """Paths for a whole forest given {pk: manager pk or None}.

    Returns (paths, looped): paths is {pk: "/a/b/pk/"} for everyone whose chain reaches the top;
    looped is the set of pks in, or below, a line-management loop. One pass, no recursion.
    """
    paths = {}
    looped = set()
    for start in manager_of:
        if start in paths or start in looped:
            continue
        chain = []
        on_chain = set()
        node = start
        while node is not None and node not in paths and node not in looped:
            if node in on_chain:
                looped.update(chain)
                chain = []
                break
            chain.append(node)
            on_chain.add(node)
            node = manager_of.get(node)
        if not chain:
            continue
        if node is not None and node in looped:
            looped.update(chain)
            continue
        prefix = paths[node] if node is not None else "/"
        for pk in reversed(chain):
            prefix = f"{prefix}{pk}/"
            paths[pk] = prefix
    return paths, looped


def line_manager_check(*, person: Person, manager: Person | None) -> None:
    """Refuse a line manager who is the person themselves or anyone below them (a loop).

    Raises ValidationError({"line_manager": ...}). Reads the paths as given: pass rows read in
    the same transaction to be sure (person_set_line_manager does); forms pass what they loaded,
    to show the problem next to the field. A person not yet saved has nobody below them."""
    if manager is None or person.pk is None:
        return
    if manager.pk == person.pk:
        raise ValidationError({"line_manager": MANAGER_IS_SELF})
    if manager.management_path.startswith(person.subtree_prefix):
        raise ValidationError({"line_manager": MANAGER_LOOP})


def depth_of(path: str) -> int:
    """How many people a management path holds (the person and everyone above them)."""
    return path.count("/") - 1


def _ids_in(path: str) -> set[int]:
    return {int(part) for part in path.strip("/").split("/") if part}


@transaction.atomic
def line_manager_lock_and_check(
    *, person: Person, manager: Person | None
) -> tuple[Person, Person | None]:
    """Lock what a change of line manager touches and check it against the rows as they are.

    Locks, in one statement and in primary key order, the person, everyone below them, the new
    manager and everyone above the manager. Two administrators moving people at once then queue
    on the rows they share, always taken in the same order, instead of deadlocking: the second
    reads what the first saved and gets a clear error (a loop, or a chain too deep). Raises
    ValidationError({"line_manager": ...}); returns the person and manager as stored.

    The admin form calls it from clean() (inside the admin's transaction, so the locks hold
    until the save); person_set_line_manager calls it again, which then waits for nothing."""
    if person.pk is None:
        if manager is not None:
            manager = Person.objects.get(pk=manager.pk)
            if depth_of(manager.management_path) + 1 > MAX_MANAGEMENT_DEPTH:
                raise ValidationError({"line_manager": CHAIN_TOO_DEEP})
        return person, manager
    for _ in range(3):
        # Read without locks what to lock; then check nothing moved before the locks were taken.
        paths = dict(
            Person.objects.filter(
                pk__in={person.pk, getattr(manager, "pk", person.pk)}
            ).values_list("pk", "management_path")
        )
        prefix = paths[person.pk] or f"/{person.pk}/"
        above = _ids_in(paths[manager.pk]) if manager is not None else set()
        locked = dict(
            Person.objects.select_for_update()
            .filter(Q(pk__in=above | {person.pk}) | Q(management_path__startswith=prefix))
            .order_by("pk")
            .values_list("pk", "management_path")
        )
        fresh_prefix = locked[person.pk] or f"/{person.pk}/"
        fresh_above = _ids_in(locked[manager.pk]) if manager is not None else set()
        if fresh_prefix == prefix and fresh_above <= locked.keys():
            break
    else:
        raise ValidationError({"line_manager": CHANGED_WHILE_SAVING})
    person = Person.objects.get(pk=person.pk)
    if manager is not None:
        manager = Person.objects.get(pk=manager.pk)
    line_manager_check(person=person, manager=manager)
    own_depth = depth_of(fresh_prefix)
    below = (
        max(
            (depth_of(path) for path in locked.values() if path.startswith(fresh_prefix)),
            default=own_depth,
        )
        - own_depth
    )
    new_depth = (depth_of(manager.management_path) if manager is not None else 0) + 1
    if new_depth + below > MAX_MANAGEMENT_DEPTH:
        raise ValidationError({"line_manager": CHAIN_TOO_DEEP})
    return person, manager


@transaction.atomic
def person_set_line_manager(*, person: Person, manager: Person | None) -> Person:
    """Give a saved person a new line manager (or none) and rewrite the paths of their whole
    subtree. Returns the person as stored."""
    person, manager = line_manager_lock_and_check(person=person, manager=manager)
    old_prefix = person.subtree_prefix
    new_prefix = path_for(person, manager)
    person.line_manager = manager
    person.management_path = new_prefix
    # The rest of the record is as stored; the manager was read and checked above.
    person.full_clean(exclude=_ALL_BUT_PATH, validate_unique=False, validate_constraints=False)
    Person.objects.filter(pk=person.pk).update(line_manager=manager, management_path=new_prefix)
    if old_prefix != new_prefix:
        # Everyone below: swap the old prefix for the new one in a single statement.
        Person.objects.filter(management_path__startswith=old_prefix).exclude(pk=person.pk).update(
            management_path=Concat(
                Value(new_prefix), Substr("management_path", len(old_prefix) + 1)
            )
        )
    return person


@transaction.atomic
def person_save(*, person: Person, line_manager_changed: bool = True) -> Person:
    """Create or update a person record (the admin's save). A new person, or one whose line
    manager changed, then goes through person_set_line_manager, which checks the move and sets
    the paths. Nothing is saved if that refuses."""
    person.email = (person.email or "").strip().lower()
    person.full_clean(exclude=["management_path"])
    if person.pk is None:
        person.save()
        line_manager_changed = True
    else:
        person.save(update_fields=_SAVED_BY_PERSON_SAVE)
    if line_manager_changed:
        moved = person_set_line_manager(person=person, manager=person.line_manager)
        person.management_path = moved.management_path
    if not person.is_active and person.user_id is not None:
        # A leaver can no longer sign in (service staff and administrators keep their accounts,
        # as the HR import does).
        get_user_model().objects.filter(pk=person.user_id, is_staff=False).update(is_active=False)
    return person


@transaction.atomic
def person_link_account(*, person: Person, user: User | None = None) -> User:
    """Link a person to the sign-in account with their email, creating one (no password) if
    there is none. Returns the account."""
    user_model = get_user_model()
    person = Person.objects.select_for_update().get(pk=person.pk)
    if user is None:
        user = user_model.objects.filter(email=person.email).first()
        if user is None:
            first, _, last = person.name.partition(" ")
            user = user_model(email=person.email, first_name=first[:150], last_name=last[:150])
            user.set_unusable_password()
            user.full_clean()
            user.save()
    if user.email != person.email:
        raise ValidationError(ACCOUNT_EMAIL_MISMATCH)
    if Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise ValidationError(ACCOUNT_LINKED_ELSEWHERE)
    if person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user"])
    return user
