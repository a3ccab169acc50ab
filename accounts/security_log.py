"""The security event log: one JSON line per event on the "careerpath.security" logger.

A line says what happened, when, to which account (by id), from which client address and on
which path; never evidence, names, email addresses or any other personal text. Callers pass
only identifiers and short codes; anything else is refused here, so that a careless call cannot
leak what a person wrote (tests/accounts/test_security_log.py holds the canary test).

Event names are the constants below; add one here before logging it.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.utils import timezone

logger = logging.getLogger("careerpath.security")

SIGN_IN_SUCCEEDED = "sign_in_succeeded"
SIGN_IN_FAILED = "sign_in_failed"
SIGN_IN_LOCKED_OUT = "sign_in_locked_out"
SIGN_IN_RATE_LIMITED = "sign_in_rate_limited"
SIGN_OUT = "sign_out"
SET_UP_LINK_SENT = "set_up_link_sent"
SET_UP_LINK_USED = "set_up_link_used"
SET_UP_RATE_LIMITED = "set_up_rate_limited"
SSO_SIGN_IN_SUCCEEDED = "sso_sign_in_succeeded"
SSO_SIGN_IN_REFUSED = "sso_sign_in_refused"
ACCESS_DENIED = "access_denied"
EXPORT = "export"
IMPORT = "import"
ADMIN_CHANGE = "admin_change"
ERASURE = "erasure"
RETENTION = "retention"

EVENTS = frozenset(
    {
        SIGN_IN_SUCCEEDED,
        SIGN_IN_FAILED,
        SIGN_IN_LOCKED_OUT,
        SIGN_IN_RATE_LIMITED,
        SIGN_OUT,
        SET_UP_LINK_SENT,
        SET_UP_LINK_USED,
        SET_UP_RATE_LIMITED,
        SSO_SIGN_IN_SUCCEEDED,
        SSO_SIGN_IN_REFUSED,
        ACCESS_DENIED,
        EXPORT,
        IMPORT,
        ADMIN_CHANGE,
        ERASURE,
        RETENTION,
    }
)

# Values allowed in a line besides the fixed ones: identifiers and short machine codes only.
_MAX_CODE_LENGTH = 64


def client_address(request) -> str:
    """The client's address as the service sees it (REMOTE_ADDR; the proxy in front sets it)."""
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "") or ""


def _safe(key: str, value: Any) -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str) and len(value) <= _MAX_CODE_LENGTH and "@" not in value:
        return value
    raise ValueError(
        f"security_event: {key!r} must be an id or a short code without '@', not free text"
    )


def security_event(event: str, *, request=None, user_id: int | None = None, **fields: Any) -> dict:
    """Write one security event line and return what was written (for tests).

    `user_id` is the account's id when known (never its email address). `fields` are further
    ids and short codes (for example `reason="unknown_address"`, `object_id=42`).
    """
    if event not in EVENTS:
        raise ValueError(f"Unknown security event {event!r}: add it to accounts.security_log")
    if user_id is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_id = user.pk
    line = {
        "time": timezone.now().isoformat(timespec="milliseconds"),
        "event": event,
        "user_id": user_id,
        "client": client_address(request),
        "path": request.path[:200] if request is not None else "",
    }
    for key, value in sorted(fields.items()):
        line[key] = _safe(key, value)
    logger.info(json.dumps(line, sort_keys=False))
    return line
