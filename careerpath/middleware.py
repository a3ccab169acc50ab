"""Project-wide request and response rules (no domain code)."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import SuspiciousOperation

# Browser features the service never uses: refused for every page (and any frame).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
SIGNED_IN_AT = "signed_in_at"
REFRESHED_AT = "refreshed_at"


class NulByteRejected(SuspiciousOperation):
    """A NUL character in a query string or form field: no text here ever has one, and
    PostgreSQL refuses them in queries, so the request is answered 400 before it gets that far."""


def security_headers(get_response):
    def middleware(request):
        response = get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    return middleware


def reject_nul_bytes(get_response):
    def middleware(request):
        sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
        for data in sources:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    raise NulByteRejected("NUL character in request parameters")
        return get_response(request)

    return middleware


def mark_sign_in_time(sender, request, user, **kwargs):
    """user_logged_in receiver: the time the session's absolute lifetime counts from."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[REFRESHED_AT] = now  # signing in saves the session anyway


def absolute_session_lifetime(get_response):
    """Sign people out a fixed time after they signed in, however active they have been
    (SESSION_ABSOLUTE_AGE seconds). The inactivity limit (SESSION_COOKIE_AGE) is kept by
    saving the session, which moves its expiry on, at most once every SESSION_REFRESH_SECONDS
    rather than on every request: a write per request cost signed-in pages a fifth of their
    throughput."""

    def middleware(request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(SIGNED_IN_AT, now)
            if now - int(started) > settings.SESSION_ABSOLUTE_AGE:
                # Signed out: the request goes on as anyone's would, so a page that needs
                # signing in sends them to sign in again (LoginRequiredMiddleware).
                logout(request)
            elif now - int(session.get(REFRESHED_AT, 0)) >= settings.SESSION_REFRESH_SECONDS:
                session[REFRESHED_AT] = now  # saved at the end of the request
        return get_response(request)

    return middleware
