"""Whole public pages, cached for anonymous visitors and answered with ETags and 304s.

What a public page shows an anonymous visitor depends only on its URL and on what is published,
so the first anonymous response for a URL is kept in the shared cache under the *publication
token* and served to every anonymous visitor after it until something is published. A view opts
in with `@cached_public_page` (the framework pages, search, change logs, open data).

Rules that keep it safe:
- Only requests without a session cookie read or fill the cache: a signed-in person always gets
  their own page, and their page is never stored (tests/test_public_cache.py).
- A response is stored only when it is a 200 that sets no cookie (no CSRF token, no message),
  is not streamed and says nothing against caching.
- The token lives in the shared cache (Redis in production), so a publication made through one
  instance is seen at once by all: the app replaces the token in the publishing transaction's
  on_commit (roles/apps.py connects it), and a missing token (evicted, or a cache restarted) is
  simply a new one, which only means the pages are rendered again.
- Pages carry no per-request value: the one inline script is allowed by its CSP hash
  (careerpath/inline_script.py), not a nonce.

Browsers and proxies are told to revalidate every time (`Cache-Control: no-cache`, `Vary:
Cookie`), so an unchanged page costs them a 304 and never hides a publication.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

TOKEN_KEY = "public-pages:publication"  # noqa: S105 (a cache key, not a secret)
PAGE_KEY = "public-pages:{token}:{digest}"
CACHEABLE_METHODS = ("GET", "HEAD")


def cached_public_page(view):
    """Marks a public view whose anonymous responses may be kept whole (see the module)."""
    view.cache_public_page = True
    return view


def publication_token() -> str:
    """The current token; a new one if the cache has none."""
    token = cache.get(TOKEN_KEY)
    if token is None:
        cache.add(TOKEN_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(TOKEN_KEY) or uuid.uuid4().hex
    return token


def published() -> None:
    """Something public changed: every kept page is out of date. Call it on commit."""
    cache.set(TOKEN_KEY, uuid.uuid4().hex, timeout=None)


def _is_anonymous(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


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


def _answer(request: HttpRequest, kept: tuple[bytes, str, str]) -> HttpResponse:
    content, content_type, etag = kept
    if _matches(request, etag):
        return _mark(HttpResponseNotModified(), etag)
    response = HttpResponse(content, content_type=content_type)
    response["X-Public-Cache"] = "hit"
    return _mark(response, etag)


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
        and _is_anonymous(request)
    )


class PublicPageCacheMiddleware:
    """Serves and fills the cache of public pages. Sits just inside SessionMiddleware: its
    response side sees the cookies that CSRF and sessions set (and then does not store), and a
    cached answer still passes back through every middleware (security headers, CSP)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        key = getattr(request, "_public_page_key", None)
        if key is not None and _storable(request, response):
            etag = _etag(response.content)
            cache.set(
                key,
                (response.content, response["Content-Type"], etag),
                timeout=settings.PUBLIC_PAGE_CACHE_SECONDS,
            )
            _mark(response, etag)
            if _matches(request, etag):
                return _mark(HttpResponseNotModified(), etag)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if (
            request.method not in CACHEABLE_METHODS
            or not getattr(view_func, "cache_public_page", False)
            or not _is_anonymous(request)
        ):
            return None
        digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = PAGE_KEY.format(token=publication_token(), digest=digest)
        kept = cache.get(key)
        if kept is not None:
            return _answer(request, kept)
        request._public_page_key = key
        return None
