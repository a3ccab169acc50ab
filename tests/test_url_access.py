"""Every URL needs sign-in unless it is on the public list below, by decision.

Walks every pattern in the URL configuration (so a view added later is covered without
anyone remembering to add a test) and requests it as an anonymous visitor.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Views anyone may open without signing in, by URL name. Add to this list only on purpose.
PUBLIC = {
    "home",
    "healthz",
    "login",
    "accessibility",
    "roles:profession_list",
    "roles:pathway",
    "roles:level",
    "roles:compare_levels",
    "roles:compare_roles",
    "roles:skill",
    "roles:skill_list",
    "search:search",
    "roles:framework_json",
    "roles:framework_csv",
    "roles:changelog",
    "roles:version",
    "roles:compare_versions",
    "people:set_up",
    "people:set_up_sent",
    "people:set_up_password",
    "people:set_up_done",
    "accounts:sso_start",
    "accounts:sso_callback",
    "accounts:signed_out",
}
# Django admin guards its own pages (staff only) and its sign-in page is open.
ADMIN_PUBLIC = {"admin:login"}

SAMPLE_ARGS = {"int": "1", "slug": "sample", "str": "sample", "path": "sample", "uuid": None}


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else None, prefix + str(entry.pattern)


def sample_url(route):
    """Turn a route like 'levels/<slug:slug>/' into a concrete path, or None for regexes."""
    import re

    if route.startswith("^") or "(?P" in route:
        return None

    def fill(match):
        converter = match.group(1) or "str"
        return SAMPLE_ARGS.get(converter) or "sample"

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", fill, route)


def all_routes():
    return [(name, route) for name, route in walk(get_resolver().url_patterns)]


def test_the_walk_finds_the_service_views():
    names = {name for name, _ in all_routes()}
    assert {"home", "healthz", "login", "logout", "admin:index"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), all_routes(), ids=lambda value: str(value))
def test_every_view_is_public_by_decision_or_needs_sign_in(client, name, route):
    url = sample_url(route)
    if url is None:  # admin's regex routes (app index, catch-all): admin guards them itself
        assert name is None or name.startswith("admin:")
        return
    response = client.get(url)
    if name in PUBLIC or name in ADMIN_PUBLIC:
        assert response.status_code != 302 or "login" not in response.headers.get("Location", "")
    elif name and name.startswith("admin:"):
        assert response.status_code == 302
        assert response.headers["Location"].startswith(("/admin/login/", "/sign-in/?next="))
    else:
        assert response.status_code == 302, f"{name} ({url}) answered {response.status_code}"
        assert response.headers["Location"].startswith("/sign-in/?next=")
