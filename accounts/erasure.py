"""Erasing a leaver's personal data: the steps each app registers, and the account's own step.

`people.erasure.person_erase` is the one service that erases a person. It runs, in one
transaction, every step registered here (each app erases what it holds about the person, so no
app imports one above it), then anonymises the staff record and, last, the account
(`account_erase`). This registry lives in accounts, the lowest layer, because proposals (which
never imports people) holds text written by the person too.

A step is `function(*, person_id, user_id) -> int`: it removes what its app holds about that
person (user_id may be None: no account) and returns how many rows it removed or changed.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.utils import timezone

Step = Callable[..., int]
STEPS: dict[str, Step] = {}

ERASED_EMAIL_DOMAIN = "erased.invalid"


def erasure_step(name: str) -> Callable[[Step], Step]:
    """Register `function(*, person_id, user_id)` as the erasure step `name` (imported from the
    app's AppConfig.ready)."""

    def register(function: Step) -> Step:
        STEPS[name] = function
        return function

    return register


def erased_email(kind: str, pk: int) -> str:
    """The placeholder address of an erased record (unique, and never deliverable)."""
    return f"erased-{kind}-{pk}@{ERASED_EMAIL_DOMAIN}"


def sessions_of(user_id: int) -> list[str]:
    """Session keys of the account's unexpired sessions (a session stores its user id only
    inside its signed data, so each is decoded)."""
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            keys.append(session.session_key)
    return keys


def account_erase(*, user_id: int) -> int:
    """Remove everything that names the account: its sessions, its sign-in attempts and logs
    (django-axes, kept by email address), its second-factor devices, groups and permissions;
    then keep the row only as an anonymous, disabled placeholder (decided proposals and
    published versions point at it). Returns the rows removed or changed."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user_model = get_user_model()
    user = user_model.objects.select_for_update().get(pk=user_id)
    changed = 0
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in sessions_of(user.pk):
        store(session_key=key).delete()  # from the cache too, with the cached_db engine
        changed += 1
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        changed += model.objects.filter(username__iexact=user.email).delete()[0]
    changed += TOTPDevice.objects.filter(user=user).delete()[0]
    user.groups.clear()
    user.user_permissions.clear()
    user.email = erased_email("account", user.pk)
    user.first_name = ""
    user.last_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.save()
    return changed + 1
