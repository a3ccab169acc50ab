"""A signed-in person's pages, kept in the process that made them while nothing they show changes.

"Your assessments", an assessment's task list, a manager's review queue and a review cost 15 to
17 ms of CPU to make at 280,000 people, most of it the ORM and templates, and people load them
again and again as they work through an assessment or a queue. A view that may be kept says so
with `@kept_personal_page`; its 200 response is then kept whole, in this process's memory only
(never in a shared cache), and served again to the same session for the same URL while:

- the session is unchanged: the page is kept under a digest of the session's key and its whole
  content (so a new sign-in, a message waiting, a CSRF or two-factor change, or the once-a-minute
  refresh of the session's expiry all make a new page) and of the CSRF cookie, whose secret the
  page's forms carry;
- what the page read is unchanged: the publication token (careerpath.public_cache) and the
  tokens of assessments.page_data, which database triggers replace on any write to the reader's
  records, those of everyone below them in their line, or the people directory. They are read
  before the page is made, so a write during it leaves the page under an old token;
- whatever else the view declares it reads is unchanged (`tokens`: the capability report's
  summary token);
- the page has not outlived what it says about the time ("waiting for 3 days"): a view may say
  until when its page holds (`keep_until`), and no page is kept longer than
  PERSONAL_PAGE_SECONDS.

The middleware comes straight after the public pages' one, before sessions, CSRF and the user.
It reads the session itself, and answers only a session whose sign-in is still good by the rules
careerpath.middleware applies (the absolute lifetime; a refresh that is due lets the request go
through to save it). Anything it is unsure of goes through the whole stack as before: another
method, no session or no account in it, a messages cookie, a response that sets a cookie (other
than the unchanged CSRF cookie) or is not a 200. Two-factor verification matters only to the
admin, whose pages are never kept; it is in the session, so it is in the key all the same.
"""

from __future__ import annotations

import hashlib
import json
import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from careerpath.middleware import REFRESHED_AT, SIGNED_IN_AT
from careerpath.public_cache import publication_token

from .page_data import read_tokens

NOT_KEPT_HEADERS = {"date", "set-cookie"}


def kept_personal_page(view=None, *, tokens=()):
    """Marks a signed-in view whose page may be kept for its session (see the module). Use only
    on views that read nothing but the reader's account, their records and those of the people
    below them, the people directory and published frameworks, and whatever else `tokens`
    covers: functions, each returning the token of some other data the view reads (one that
    changes whenever that data does), or None when it has none (then nothing is kept)."""

    def mark(view):
        view.keep_personal_page = True
        view.personal_page_tokens = tuple(tokens)
        return view

    return mark if view is None else mark(view)


def keep_until(request: HttpRequest, moment: float) -> None:
    """The page says something that stops being true at `moment` (a Unix time)."""
    request._personal_page_until = min(getattr(request, "_personal_page_until", moment), moment)


def _sets_only_the_same_csrf_cookie(request: HttpRequest, response: HttpResponse) -> bool:
    """A page whose forms use the CSRF token sends the CSRF cookie again, unchanged, to renew
    its expiry (Django's CsrfViewMiddleware). That is the one cookie a kept page may set; any
    other (a session saved, a message, a new CSRF secret) means it is not kept."""
    name = settings.CSRF_COOKIE_NAME
    if not response.cookies:
        return True
    return (
        list(response.cookies) == [name]
        and bool(request.COOKIES.get(name))
        and response.cookies[name].value == request.COOKIES[name]
    )


def _renew_csrf_cookie(request: HttpRequest, response: HttpResponse) -> None:
    """The CSRF cookie, sent again as CsrfViewMiddleware sends it when a page uses the token."""
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        request.COOKIES[settings.CSRF_COOKIE_NAME],
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )


class PersonalPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore
        self.recent: dict[str, dict] = {}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = self._session(request)
        if found is None:
            return self.get_response(request)
        key, user_id, view = found
        kept = self.recent.get(key)
        tokens = self._tokens(user_id, view)
        if tokens is None:
            return self.get_response(request)
        if kept is not None:
            if kept["tokens"] == tokens and kept["until"] > time.time():
                return self._answer(request, kept)
            self.recent.pop(key, None)  # pop, not del: a gthread worker's threads share it
        response = self.get_response(request)
        if self._storable(request, response, user_id):
            self._remember(
                key,
                {
                    "tokens": tokens,
                    # Until the view said, and never longer than PERSONAL_PAGE_SECONDS.
                    "until": min(
                        getattr(request, "_personal_page_until", float("inf")),
                        time.time() + settings.PERSONAL_PAGE_SECONDS,
                    ),
                    "content": response.content,
                    "status": response.status_code,
                    "csrf_renewed": settings.CSRF_COOKIE_NAME in response.cookies,
                    "headers": [
                        (name, value)
                        for name, value in response.items()
                        if name.lower() not in NOT_KEPT_HEADERS
                    ],
                },
            )
        return response

    def _session(self, request: HttpRequest) -> tuple[str, object, object] | None:
        """(the page's key, the account id, the view) when the request may be answered from or
        fill the kept pages; else None."""
        cookies = request.COOKIES
        session_key = cookies.get(settings.SESSION_COOKIE_NAME)
        if (
            settings.PERSONAL_PAGES_IN_MEMORY <= 0  # none kept: every page is made afresh
            or request.method != "GET"
            or not session_key
            or cookies.get(CookieStorage.cookie_name)  # a message waits
            or request.path.startswith(settings.STATIC_URL)
        ):
            return None
        try:
            host = request.get_host()
            view = resolve(request.path_info).func
        except (DisallowedHost, Resolver404):
            return None
        if not getattr(view, "keep_personal_page", False):
            return None  # pages that are never kept cost nothing more
        data = self.session_store(session_key).load()
        user_id = data.get(SESSION_KEY)
        if user_id is None or SessionStorage.session_key in data:  # a message waits there
            return None
        now = int(time.time())
        if now - int(data.get(SIGNED_IN_AT, now)) > settings.SESSION_ABSOLUTE_AGE:
            return None
        if now - int(data.get(REFRESHED_AT, 0)) >= settings.SESSION_REFRESH_SECONDS:
            return None
        address = f"{request.scheme}://{host}{request.get_full_path()}"
        csrf = cookies.get(settings.CSRF_COOKIE_NAME, "")
        described = json.dumps([session_key, data, csrf, address], sort_keys=True, default=str)
        return hashlib.sha256(described.encode()).hexdigest(), user_id, view

    @staticmethod
    def _tokens(user_id, view) -> tuple[str, ...] | None:
        try:
            tokens = read_tokens(user_id)
        except (TypeError, ValueError):
            return None
        if tokens is None:
            return None
        others = tuple(token() for token in view.personal_page_tokens)
        if None in others:
            return None
        return (publication_token(), *tokens, *others)

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponse, user_id) -> bool:
        user = getattr(request, "user", None)
        return (
            response.status_code == 200
            and not response.streaming
            and _sets_only_the_same_csrf_cookie(request, response)
            and user is not None
            and user.is_authenticated
            and str(user.pk) == str(user_id)
        )

    @staticmethod
    def _answer(request: HttpRequest, kept: dict) -> HttpResponse:
        response = HttpResponse(kept["content"], status=kept["status"])
        for name, value in kept["headers"]:
            response[name] = value
        if kept["csrf_renewed"]:
            _renew_csrf_cookie(request, response)
        return response

    def _remember(self, key: str, page: dict) -> None:
        while len(self.recent) >= settings.PERSONAL_PAGES_IN_MEMORY:
            try:
                self.recent.pop(next(iter(self.recent)), None)  # the oldest
            except (StopIteration, RuntimeError):  # emptied or changed by another thread
                break
        self.recent[key] = page
