"""Account set-up links: signed, expiring, single use, and nothing stored until one is used.

Asking for a link writes nothing: the link carries the work email address and a fingerprint of
the account as it is now (none yet, or its password hash and last sign-in), signed with the
SECRET_KEY and dated (django.core.signing). Following it checks the signature, the age
(PASSWORD_RESET_TIMEOUT) and that the fingerprint still matches: once a password is set the
account is different, so the same link no longer works. Only then is the account created or
linked and its password set (`account_set_up`, one transaction).

`set_up_request` does the same work whether or not the address belongs to an active staff
record: the same queries, a token, the email rendered, the resend throttle touched in the shared
cache. Only whether the message is handed to the mail server differs, and that happens after the
response has gone (`SetUpSentResponse.close`), so the answer's content and timing do not tell
who works here. See docs/security.md for the measurements.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import caches
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import salted_hmac

from accounts import security_log

from .models import Person
from .services import person_link_account

logger = logging.getLogger(__name__)

EMAIL_SUBJECT = "Set up your account for Civil Service career pathways"
# At most one set-up email per address in each 5-minute window, counted in the shared cache.
RESEND_AFTER_SECONDS = 5 * 60
SENT_KEY = "account-set-up-sent:"
_SALT = "people.account_set_up"
_NO_ACCOUNT = "none"


class SetUpLinkInvalid(Exception):
    """The link is forged, expired, already used, or its person is no longer active."""


def _fingerprint(user) -> str:
    if user is None:
        return _NO_ACCOUNT
    last_login = "" if user.last_login is None else user.last_login.replace(microsecond=0)
    state = f"{user.pk}|{user.password}|{last_login}|{user.is_active}"
    return salted_hmac(_SALT, state, algorithm="sha256").hexdigest()[:32]


def make_token(email: str, user) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object({"e": email, "f": _fingerprint(user)})


def _active_person(email: str, *, lock: bool = False) -> Person | None:
    people = Person.objects.filter(email=email, is_active=True).select_related("user")
    if lock:
        people = people.select_for_update(of=("self",))
    return people.first()


def person_for_token(token: str, *, lock: bool = False) -> Person | None:
    """The active staff record a valid, unused, unexpired link is for, or None."""
    try:
        payload = signing.TimestampSigner(salt=_SALT).unsign_object(
            token, max_age=settings.PASSWORD_RESET_TIMEOUT
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("e"), str):
        return None
    person = _active_person(payload["e"], lock=lock)
    if person is None or _fingerprint(person.user) != payload.get("f"):
        return None
    if person.user is not None and not person.user.is_active:
        return None
    return person


class SetUpSentResponse(HttpResponseRedirect):
    """The redirect to "check your email"; the message goes to the mail server only once the
    response has been sent (the WSGI server calls close() after the last byte)."""

    def __init__(self, url, *, request, message: EmailMessage, send: bool, person_id: int | None):
        super().__init__(url)
        self._request = request
        self._message = message
        self._send = send
        self._person_id = person_id

    def close(self):
        super().close()
        try:
            if self._send:
                self._message.send()
                security_log.security_event(
                    security_log.SET_UP_LINK_SENT, request=self._request, person_id=self._person_id
                )
            else:
                # The same work as sending, short of talking to the mail server.
                self._message.message().as_bytes()
        except Exception:  # a mail server failure must not show on a page already sent
            logger.exception("Account set-up email could not be sent")


def set_up_request(request, email: str) -> SetUpSentResponse:
    """Answer a request for a set-up link for `email` (already validated and lowercased)."""
    person = _active_person(email)
    user = person.user if person is not None else None
    can_set_up = person is not None and (user is None or user.is_active)
    link = request.build_absolute_uri(
        reverse("people:set_up_password", kwargs={"token": make_token(email, user)})
    )
    body = render_to_string(
        "people/account/set_up_email.txt",
        {"name": person.name if person is not None else "", "link": link, "email": email},
    )
    message = EmailMessage(EMAIL_SUBJECT, body, None, [email])
    # Keyed by a hash of the address (known or not), so the cache holds no email addresses, and
    # by the 5-minute window of the clock, so that the limit follows the service's clock (add()
    # is atomic; the cache's own expiry only tidies up).
    window = int(time.time() // RESEND_AFTER_SECONDS)
    throttle_key = f"{SENT_KEY}{hashlib.sha256(email.encode()).hexdigest()}:{window}"
    first_for_now = caches["default"].add(throttle_key, True, timeout=RESEND_AFTER_SECONDS + 5)
    return SetUpSentResponse(
        reverse("people:set_up_sent"),
        request=request,
        message=message,
        send=can_set_up and first_for_now,
        person_id=person.pk if person is not None else None,
    )


@transaction.atomic
def account_set_up(*, token: str, password: str):
    """Use a set-up link: create or link the person's account and set its password. Raises
    SetUpLinkInvalid (nothing changes) when the link no longer works, or ValidationError when
    the account cannot be linked (for example it belongs to someone else)."""
    person = person_for_token(token, lock=True)
    if person is None:
        raise SetUpLinkInvalid
    user = person_link_account(person=person)
    if not user.is_active:
        raise SetUpLinkInvalid
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def account_for_validation(person: Person):
    """The person's account, or an unsaved one like it, for the password validators (which
    compare the password with the name and address)."""
    if person.user is not None:
        return person.user
    first, _, last = person.name.partition(" ")
    return get_user_model()(email=person.email, first_name=first[:150], last_name=last[:150])
