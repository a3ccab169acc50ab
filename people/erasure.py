"""Erasure: a service administrator removes a leaver's personal data, keeping only anonymous
counts (the capability summary, assessments.OutcomeCount, is never touched).

`person_erase` is the one write. In one transaction it runs every step registered with
`accounts.erasure.erasure_step` (assessments removes the person's assessments, ratings,
timeline and development plan; proposals removes what the person proposed), then anonymises the
staff record and the account. The staff record stays as a placeholder named "Erased person"
because other people's records point at it (the reviewer of a signed-off assessment, the author
of a comment on a report's plan, the line manager in the tree); it keeps no name, email address,
staff number, profession or level. docs/security.md, "Erasure and retention".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.erasure import STEPS, account_erase, erased_email
from accounts.security_log import ERASURE, security_event
from roles.models import Profession

from .models import DepartmentalHead, Person

ERASED_NAME = "Erased person"
NOT_A_LEAVER = "Only a leaver's data can be erased: mark the person inactive first"
ALREADY_ERASED = "This person's data has already been erased"


@dataclass(frozen=True)
class Erased:
    person_id: int
    user_id: int | None
    rows: int


def erased_staff_number(pk: int) -> str:
    return f"ERASED-{pk}"


@transaction.atomic
def person_erase(*, person_id: int, request=None) -> Erased:
    """Erase the personal data of the leaver with this id. Refuses (ValidationError, nothing
    changed) an active person or one already erased; Person.DoesNotExist for an unknown id."""
    person = Person.objects.select_for_update().get(pk=person_id)
    if person.is_active:
        raise ValidationError(NOT_A_LEAVER)
    if person.erased_at is not None:
        raise ValidationError(ALREADY_ERASED)
    user_id = person.user_id
    rows = 0
    for step in STEPS.values():
        rows += step(person_id=person.pk, user_id=user_id)
    if user_id is not None:
        rows += DepartmentalHead.objects.filter(user_id=user_id).delete()[0]
        rows += Profession.heads.through.objects.filter(user_id=user_id).delete()[0]
    Person.objects.filter(pk=person.pk).update(
        name=ERASED_NAME,
        email=erased_email("person", person.pk),
        staff_number=erased_staff_number(person.pk),
        profession=None,
        role_level=None,
        user=None,
        erased_at=timezone.now(),
    )
    rows += 1
    if user_id is not None:
        rows += account_erase(user_id=user_id)
    security_event(ERASURE, request=request, person_id=person.pk, erased_user_id=user_id)
    return Erased(person_id=person.pk, user_id=user_id, rows=rows)
