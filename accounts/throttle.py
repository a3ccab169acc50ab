"""A limit on sign-in and account set-up attempts per client address, on top of django-axes'
lockout per account.

Axes stops guessing one account's password; it cannot stop one client trying a different
address each time, and every wrong password costs a full password hash. So each client address
(REMOTE_ADDR, which the proxy in front sets) may make only so many attempts in a window; past
that, the attempt is answered 429 at once, before `authenticate()` runs and hashes anything.

The counts live in the default cache (`cache.add` then `cache.incr`, both atomic in Redis), so
every worker process shares them; `check --deploy` refuses a per-process cache in production
(careerpath.checks). Limits and windows are settings (RATE_LIMITS, read from the environment).

A successful sign-in gives its attempt back, so an office behind one address is not locked
out by its own colleagues signing in; only failures and set-up requests use the allowance up.
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render

from . import security_log

SIGN_IN = "sign_in"
SET_UP = "set_up"

# The view names whose POSTs count, and the limit each counts against.
SCOPE_OF_VIEW = {
    "login": SIGN_IN,
    "admin:login": SIGN_IN,
    "people:set_up": SET_UP,
}
EVENT_OF_SCOPE = {
    SIGN_IN: security_log.SIGN_IN_RATE_LIMITED,
    SET_UP: security_log.SET_UP_RATE_LIMITED,
}
_SCOPE_ATTRIBUTE = "_rate_limit_scope"


@dataclass(frozen=True)
class Limit:
    attempts: int
    window_seconds: int


def limit_for(scope: str) -> Limit:
    attempts, window_seconds = settings.RATE_LIMITS[scope]
    return Limit(attempts=attempts, window_seconds=window_seconds)


def _key(scope: str, address: str, window_index: int) -> str:
    return f"rate-limit:{scope}:{address}:{window_index}"


def _window(limit: Limit) -> tuple[int, float]:
    now = time.time()
    return int(now // limit.window_seconds), now


def take_attempt(scope: str, address: str) -> int | None:
    """Count one attempt from this address. Returns None when it is allowed, or the number of
    seconds until the address may try again when it is over the limit."""
    limit = limit_for(scope)
    index, now = _window(limit)
    key = _key(scope, address, index)
    cache = caches["default"]
    # add() creates the counter only if missing; incr() is atomic in Redis and memcached.
    cache.add(key, 0, timeout=limit.window_seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout=limit.window_seconds + 5)
        count = 1
    if count <= limit.attempts:
        return None
    return math.ceil((index + 1) * limit.window_seconds - now)


def give_back_attempt(scope: str, address: str) -> None:
    limit = limit_for(scope)
    index, _ = _window(limit)
    with contextlib.suppress(ValueError):  # the window turned over: nothing to give back
        caches["default"].decr(_key(scope, address, index))


def rate_limit_attempts(get_response):
    """Middleware: answer a POST to a sign-in or set-up view 429 when its client address has
    used up its attempts, before the view (and any password hashing) runs."""

    def middleware(request):
        return get_response(request)

    def process_view(request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.resolver_match is None:
            return None
        scope = SCOPE_OF_VIEW.get(request.resolver_match.view_name)
        if scope is None:
            return None
        address = security_log.client_address(request)
        wait = take_attempt(scope, address)
        if wait is None:
            setattr(request, _SCOPE_ATTRIBUTE, scope)
            return None
        security_log.security_event(EVENT_OF_SCOPE[scope], request=request)
        minutes = max(1, math.ceil(wait / 60))
        return render(
            request,
            "registration/rate_limited.html",
            {"minutes": minutes, "set_up": scope == SET_UP},
            status=429,
        )

    middleware.process_view = process_view
    return middleware


def give_back_on_sign_in(sender, request, user, **kwargs):
    """user_logged_in receiver (connected in AccountsConfig.ready)."""
    if request is not None and getattr(request, _SCOPE_ATTRIBUTE, None) == SIGN_IN:
        give_back_attempt(SIGN_IN, security_log.client_address(request))
