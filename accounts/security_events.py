"""What writes to the security log without a view of its own doing it: sign-in signals,
django-axes lockouts, admin changes (LogEntry) and refusals of personal records.

Each line carries ids and short codes only (accounts.security_log refuses anything else): the
account's id when the typed address belongs to one, never the address itself.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404

from . import security_log
from .auth import lockout_username

ADMIN_ACTIONS = {ADDITION: "add", CHANGE: "change", DELETION: "delete"}


def _account_id(email: str | None) -> int | None:
    if not email:
        return None
    return get_user_model().objects.filter(email__iexact=email).values_list("pk", flat=True).first()


def signed_in(sender, request, user, **kwargs):
    """user_logged_in receiver."""
    security_log.security_event(security_log.SIGN_IN_SUCCEEDED, request=request, user_id=user.pk)


def sign_in_failed(sender, credentials, request=None, **kwargs):
    """user_login_failed receiver: the account's id when the address is one, else a code."""
    user_id = _account_id(lockout_username(request, credentials))
    security_log.security_event(
        security_log.SIGN_IN_FAILED,
        request=request,
        user_id=user_id,
        reason="wrong_password" if user_id is not None else "unknown_account",
    )


def locked_out(sender, request, username=None, **kwargs):
    """django-axes' user_locked_out receiver."""
    security_log.security_event(
        security_log.SIGN_IN_LOCKED_OUT,
        request=request,
        user_id=_account_id((username or "").strip().lower()),
    )


def signed_out(sender, request, user, **kwargs):
    """user_logged_out receiver."""
    security_log.security_event(
        security_log.SIGN_OUT, request=request, user_id=getattr(user, "pk", None)
    )


def admin_changed(sender, instance, created, **kwargs):
    """post_save receiver for the admin's LogEntry: who changed which record, not what to."""
    if not created:
        return
    content_type = instance.content_type
    security_log.security_event(
        security_log.ADMIN_CHANGE,
        user_id=instance.user_id,
        action=ADMIN_ACTIONS.get(instance.action_flag, str(instance.action_flag)),
        record=f"{content_type.app_label}.{content_type.model}" if content_type else None,
        record_id=str(instance.object_id or "")[:64] or None,
    )


def log_denied_access(get_response):
    """Middleware: a signed-in user refused a record (404 or 403 raised by a view of an app that
    holds personal records, which is how assessments.permissions, the plan permissions and the
    capability report refuse) is logged with the view's name and the ids asked for."""

    def middleware(request):
        return get_response(request)

    def process_exception(request, exception):
        if not isinstance(exception, Http404 | PermissionDenied):
            return None
        user = getattr(request, "user", None)
        match = request.resolver_match
        if user is None or not user.is_authenticated or match is None:
            return None
        if match.namespace not in settings.SECURITY_LOG_PERSONAL_RECORD_APPS:
            return None
        ids = {
            key: value
            for key, value in match.kwargs.items()
            if isinstance(value, int) or (isinstance(value, str) and value.isdigit())
        }
        security_log.security_event(
            security_log.ACCESS_DENIED,
            request=request,
            view=match.view_name,
            status=404 if isinstance(exception, Http404) else 403,
            **{f"asked_{key}": int(value) for key, value in ids.items()},
        )
        return None

    middleware.process_exception = process_exception
    return middleware
