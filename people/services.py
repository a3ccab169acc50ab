"""Writing staff records: line management (and the materialised path) and sign-in accounts.

Every change of a line manager goes through here, so that `Person.management_path` always equals
the chain of primary keys from the top of the tree down to the person. Moving someone rewrites
the paths of everyone below them with one UPDATE (a string replacement on the old prefix).
The bulk import (people.importer) and the demo seeder (people.seed) compute paths in Python with
`paths_for`, for the whole organisation at once.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr

from .models import Person

MANAGER_LOOP = "A person cannot be managed by themselves or by anyone who reports to them"
MANAGER_IS_SELF = "A person cannot be their own line manager"
ACCOUNT_EMAIL_MISMATCH = "The account's email address must be the same as the person's"
ACCOUNT_LINKED_ELSEWHERE = "That account is already linked to another person"
PERSON_INACTIVE = "This person has left: their record is inactive"


def path_for(person, manager):
    parent = manager.management_path if manager is not None else "/"
    return f"{parent}{person.pk}/"


def paths_for(manager_of):
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


@transaction.atomic
def person_set_line_manager(*, person, manager):
    """Give a person a new line manager (or none) and rewrite the paths of their whole subtree."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if manager is not None:
        manager = Person.objects.get(pk=manager.pk)
        if manager.pk == person.pk:
            raise ValidationError({"line_manager": MANAGER_IS_SELF})
        if manager.management_path.startswith(person.subtree_prefix):
            raise ValidationError({"line_manager": MANAGER_LOOP})
    old_prefix = person.subtree_prefix
    new_prefix = path_for(person, manager)
    person.line_manager = manager
    person.management_path = new_prefix
    person.full_clean()
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
def person_save(*, person, line_manager_changed=True):
    """Create or update a person record (admin), keeping the tree's paths right."""
    person.email = (person.email or "").strip().lower()
    manager = person.line_manager
    if person.pk is None:
        if manager is not None and manager.pk is None:
            raise ValidationError({"line_manager": MANAGER_LOOP})
        person.full_clean(exclude=["management_path"])
        person.save()
        person.management_path = path_for(person, manager)
        Person.objects.filter(pk=person.pk).update(management_path=person.management_path)
        return person
    person.full_clean()
    # Check the move before saving anything else.
    if line_manager_changed and manager is not None:
        current = Person.objects.get(pk=manager.pk)
        existing = Person.objects.get(pk=person.pk)
        if current.pk == person.pk:
            raise ValidationError({"line_manager": MANAGER_IS_SELF})
        if current.management_path.startswith(existing.subtree_prefix):
            raise ValidationError({"line_manager": MANAGER_LOOP})
    fields = [f.name for f in Person._meta.concrete_fields if f.name not in ("id", "line_manager")]
    fields.remove("management_path")
    person.save(update_fields=fields)
    if line_manager_changed:
        moved = person_set_line_manager(person=person, manager=manager)
        person.management_path = moved.management_path
    return person


@transaction.atomic
def person_link_account(*, person, user=None):
    """Link a person to the sign-in account with their email, creating one (no password) if
    there is none. Returns the account."""
    User = get_user_model()
    person = Person.objects.select_for_update().get(pk=person.pk)
    if user is None:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            first, _, last = person.name.partition(" ")
            user = User(email=person.email, first_name=first[:150], last_name=last[:150])
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
