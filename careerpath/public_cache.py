"""Whole public pages, cached for anonymous visitors and answered with ETags and 304s.

What a public page shows an anonymous visitor depends only on its URL and on what is published, so
the first anonymous response for a URL is kept whole (body and every header the middleware gave it)
in the shared cache, with the *publication token* it was made under, and served to every anonymous
visitor after it until something is published. Each process also holds the pages it served lately
(at most PUBLIC_PAGES_IN_MEMORY), so that a hit reads only the token from Redis. A view opts in
with `@cached_public_page` (the framework pages, search, change logs, open data).

The middleware is the outermost one: a kept page is answered before sessions, CSRF, the user,
URL resolution or any other middleware run, with the headers (security headers, CSP) that the
first response left the stack with. That is what makes a kept page nearly as cheap as a bare
Django view (docs/performance.md).

Rules that keep it safe:
- Only requests with neither a session cookie nor a messages cookie read or fill the cache: a
  signed-in person always gets their own page, and their page is never stored
  (tests/test_public_cache.py).
- A response is stored only when its view opted in and it is a 200 that sets no cookie (no CSRF
  token, no message), is not streamed and says nothing against caching.
- Pages are kept apart by scheme, host (checked against ALLOWED_HOSTS first) and full path.
- The token lives in the shared cache (Redis in production), so a publication made through one
  instance is seen at once by all: the app replaces the token in the publishing transaction's
  on_commit (roles/apps.py connects it), and a missing token (evicted, or a cache restarted) is
  simply a new one, which only means the pages are rendered again. A page kept under another
  token is never served.
- Pages carry no per-request value: the one inline script is allowed by its CSP hash
  (careerpath/inline_script.py), not a nonce.

Browsers and proxies are told to revalidate every time (`Cache-Control: no-cache`, `Vary:
Cookie`), so an unchanged page costs them a 304 and never hides a publication.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

TOKEN_KEY = "public-pages:publication"  # noqa: S105 (a cache key, not a secret)
PAGE_KEY = "public-pages:page:{digest}"
CACHEABLE_METHODS = ("GET", "HEAD")
# Headers a kept page is not answered with again: the server dates each answer itself.
NOT_KEPT_HEADERS = {"date", "set-cookie"}
# A 304 repeats the headers that describe the page, not its body's.
NOT_IN_304 = {"content-type", "content-length"}


def cached_public_page(view):
    """Marks a public view whose anonymous responses may be kept whole (see the module)."""
    view.cache_public_page = True
    return view


def publication_token() -> str:
    """The current token; a new one if the cache has none."""
    token = cache.get(TOKEN_KEY)
    return token if token is not None else _new_token()


def _new_token() -> str:
    cache.add(TOKEN_KEY, uuid.uuid4().hex, timeout=None)
    return cache.get(TOKEN_KEY) or uuid.uuid4().hex


def published() -> None:
    """Something public changed: every kept page is out of date. Call it on commit."""
    cache.set(TOKEN_KEY, uuid.uuid4().hex, timeout=None)


def _is_anonymous(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and CookieStorage.cookie_name not in cookies


def _page_key(request: HttpRequest) -> str | None:
    """The page's key, or None when the host is not one this service answers to (Django then
    refuses the request as it would anyway)."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    address = f"{request.scheme}://{host}{request.get_full_path()}"
    return PAGE_KEY.format(digest=hashlib.sha256(address.encode()).hexdigest())


def _etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _matches(request: HttpRequest, etag: str) -> bool:
    wanted = request.META.get("HTTP_IF_NONE_MATCH", "")
    return bool(wanted) and (
        wanted.strip() == "*" or etag in [t.strip() for t in wanted.split(",")]
    )


def _mark(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ["Cookie"])
    return response


def _not_modified(headers) -> HttpResponse:
    response = HttpResponseNotModified()
    for name, value in headers:
        if name.lower() not in NOT_IN_304:
            response[name] = value
    return response


def _answer(request: HttpRequest, kept: dict) -> HttpResponse:
    if _matches(request, kept["etag"]):
        return _not_modified(kept["headers"])
    response = HttpResponse(kept["content"])
    for name, value in kept["headers"]:
        response[name] = value
    response["X-Public-Cache"] = "hit"
    return response


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        getattr(request, "_public_page_view", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


class PublicPageCacheMiddleware:
    """Serves and fills the cache of public pages. The first middleware of all: a kept page is
    answered before any other runs, and a page is stored as it leaves every other one, with
    the cookies they set (then it is not stored) and the headers they added (kept with it)."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Pages this process served lately, each with the token it was made under: a hit then
        # costs one small read (the token) instead of fetching the whole page from Redis.
        self.recent: dict[str, dict] = {}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method not in CACHEABLE_METHODS
            or request.path.startswith(settings.STATIC_URL)  # WhiteNoise answers those
            or not _is_anonymous(request)
        ):
            return self.get_response(request)
        key = _page_key(request)
        if key is None:
            return self.get_response(request)
        token = publication_token()
        kept = self.recent.get(key)
        if kept is None or kept["token"] != token:
            kept = cache.get(key)
            if kept is not None and kept["token"] == token:
                self._remember(key, kept)
        if kept is not None and kept["token"] == token:
            return _answer(request, kept)

        response = self.get_response(request)
        if _storable(request, response):
            etag = _etag(response.content)
            _mark(response, etag)
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in NOT_KEPT_HEADERS
            ]
            page = {"token": token, "content": response.content, "headers": headers, "etag": etag}
            cache.set(key, page, timeout=settings.PUBLIC_PAGE_CACHE_SECONDS)
            self._remember(key, page)
            if _matches(request, etag):
                return _not_modified(headers)
        return response

    def _remember(self, key: str, page: dict) -> None:
        self.recent.pop(key, None)
        while len(self.recent) >= settings.PUBLIC_PAGES_IN_MEMORY:
            del self.recent[next(iter(self.recent))]  # the longest unrefreshed
        self.recent[key] = page

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        # Runs after URL resolution, for the view that will answer: only pages whose view
        # opted in are ever stored.
        if getattr(view_func, "cache_public_page", False):
            request._public_page_view = True
        return None
