"""Retention: removing what is past its period (`manage.py apply_retention`, run daily).

Periods come from settings (RETENTION_LEAVERS_DAYS, RETENTION_HISTORY_DAYS,
RETENTION_SIGN_IN_LOG_DAYS; docs/security.md). Each run is safe to repeat: it only removes what
is past its period at that moment, and erasing a leaver twice is refused, never attempted.

A leaver's period runs from `Person.left_at`, which this run stamps the first time it sees a
person inactive (and clears if they come back), so neither the admin nor the HR import has to.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.models import registered_models

from accounts.security_log import RETENTION, security_event

from .erasure import person_erase
from .models import Person


@dataclass
class RetentionResult:
    leavers_noted: int = 0
    returners_cleared: int = 0
    leavers_erased: int = 0
    leavers_refused: int = 0
    history_rows: dict[str, int] = field(default_factory=dict)
    sign_in_records: int = 0
    sessions: int = 0

    def lines(self) -> list[str]:
        history = sum(self.history_rows.values())
        return [
            f"Leavers first seen inactive: {self.leavers_noted}",
            f"Leavers back in post (period cleared): {self.returners_cleared}",
            f"Leavers erased (over {settings.RETENTION_LEAVERS_DAYS} days): {self.leavers_erased}",
            f"Leavers not erased (refused): {self.leavers_refused}",
            f"History rows deleted (over {settings.RETENTION_HISTORY_DAYS} days): {history}",
            f"Sign-in records deleted (over {settings.RETENTION_SIGN_IN_LOG_DAYS} days): "
            f"{self.sign_in_records}",
            f"Expired sessions deleted: {self.sessions}",
        ]


def _days_ago(days: int, now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(days=days)


@transaction.atomic
def _note_leavers(now: datetime.datetime, result: RetentionResult) -> None:
    result.leavers_noted = Person.objects.filter(
        is_active=False, left_at__isnull=True, erased_at__isnull=True
    ).update(left_at=now)
    result.returners_cleared = Person.objects.filter(is_active=True, left_at__isnull=False).update(
        left_at=None
    )


def _erase_leavers(now: datetime.datetime, result: RetentionResult) -> None:
    due = Person.objects.filter(
        is_active=False,
        erased_at__isnull=True,
        left_at__lte=_days_ago(settings.RETENTION_LEAVERS_DAYS, now),
    ).values_list("pk", flat=True)
    for person_id in list(due):
        try:
            person_erase(person_id=person_id)  # its own transaction, one leaver at a time
        except (ValidationError, Person.DoesNotExist):
            result.leavers_refused += 1  # came back or was erased since the list was read
        else:
            result.leavers_erased += 1


@transaction.atomic
def _delete_old_history(now: datetime.datetime, result: RetentionResult) -> None:
    cutoff = _days_ago(settings.RETENTION_HISTORY_DAYS, now)
    for model in sorted(registered_models.values(), key=lambda m: m._meta.label):
        historical = model.history.model
        deleted = historical.objects.filter(history_date__lt=cutoff).delete()[0]
        if deleted:
            result.history_rows[historical._meta.label] = deleted


@transaction.atomic
def _delete_old_sign_in_records(now: datetime.datetime, result: RetentionResult) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cutoff = _days_ago(settings.RETENTION_SIGN_IN_LOG_DAYS, now)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        result.sign_in_records += model.objects.filter(attempt_time__lt=cutoff).delete()[0]


def retention_apply(*, now: datetime.datetime | None = None) -> RetentionResult:
    """Apply every retention period as of `now` (default: the current time)."""
    now = now or timezone.now()
    result = RetentionResult()
    _note_leavers(now, result)
    _erase_leavers(now, result)
    _delete_old_history(now, result)
    _delete_old_sign_in_records(now, result)
    # What Django's clearsessions does for the database backends, counted.
    result.sessions = Session.objects.filter(expire_date__lt=now).delete()[0]
    security_event(
        RETENTION,
        leavers_erased=result.leavers_erased,
        history_rows=sum(result.history_rows.values()),
        sign_in_records=result.sign_in_records,
        sessions=result.sessions,
    )
    return result
