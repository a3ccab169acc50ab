"""Single sign-on meets the staff records: whose account a verified email address opens.

accounts/ speaks OpenID Connect but may not import people/; its callback calls
`account_for_verified_email` by name (settings.OIDC_ACCOUNT_FOR_EMAIL). Only an active staff
record with exactly that address opens an account (linked, or created with no password, by
`person_link_account`); anything else is refused with a short code and nothing is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.oidc import SignInRefused

from .models import Person
from .services import person_link_account

if TYPE_CHECKING:
    from accounts.models import User

UNKNOWN_ADDRESS = "unknown_address"
LEAVER = "leaver"
ACCOUNT_CLOSED = "account_closed"
ACCOUNT_CONFLICT = "account_conflict"


@transaction.atomic
def account_for_verified_email(*, email: str) -> User:
    """The sign-in account of the staff record with this (already verified) email address."""
    person = Person.objects.filter(email=email.strip().lower()).select_related("user").first()
    if person is None:
        raise SignInRefused(UNKNOWN_ADDRESS)
    if not person.is_active:
        raise SignInRefused(LEAVER)
    if person.user is not None and not person.user.is_active:
        raise SignInRefused(ACCOUNT_CLOSED)
    try:
        user = person_link_account(person=person)
    except ValidationError as error:
        # An account with this address linked to another record: an administrator sorts it out.
        raise SignInRefused(ACCOUNT_CONFLICT) from error
    if not user.is_active:
        raise SignInRefused(ACCOUNT_CLOSED)
    return user
