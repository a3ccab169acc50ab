"""Whole public pages cached for anonymous visitors (careerpath/public_cache.py): served without
touching the database, answered 304 when unchanged, replaced at once by a publication, and never
holding, nor given to, a signed-in person."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careerpath import public_cache
from roles.services import framework_publish
from tests.factories import PersonFactory, make_framework

pytestmark = pytest.mark.django_db(transaction=True)  # publications take effect on commit


@pytest.fixture
def framework():
    profession, _version = make_framework(levels=2, skills=2)
    return profession


def public_urls(profession):
    level = profession.levels.order_by("rank").first()
    return [
        reverse("roles:profession_list"),
        reverse("roles:pathway", args=[profession.slug]),
        reverse("roles:level", args=[profession.slug, level.slug]),
        reverse("roles:compare_levels", args=[profession.slug]),
        reverse("roles:compare_roles"),
        reverse("roles:skill_list"),
        reverse("search:search") + "?q=a",
        reverse("roles:changelog", args=[profession.slug]),
        reverse("roles:framework_json", args=[profession.slug]),
        reverse("roles:framework_csv", args=[profession.slug]),
    ]


def test_every_public_page_is_served_from_the_cache_the_second_time_without_a_query(
    client, framework
):
    for url in public_urls(framework):
        first = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url)

        assert first.status_code == 200, url
        assert second.status_code == 200, url
        assert second["X-Public-Cache"] == "hit", url
        assert second.content == first.content, url
        assert len(queries) == 0, url
        assert second["ETag"] == first["ETag"]
        assert second["Cache-Control"] == "no-cache"
        assert "Cookie" in second["Vary"]


def test_an_unchanged_page_is_answered_304_with_its_etag(client, framework):
    url = reverse("roles:pathway", args=[framework.slug])
    etag = client.get(url)["ETag"]

    again = client.get(url, headers={"If-None-Match": etag})
    other = client.get(url, headers={"If-None-Match": '"something-else"'})

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert other.status_code == 200


def test_a_publication_is_shown_at_once(client, framework):
    url = reverse("roles:pathway", args=[framework.slug])
    before = client.get(url)
    framework.levels.filter(rank=1).update(summary="A brand new summary of the level")
    assert client.get(url)["X-Public-Cache"] == "hit"  # the working copy is not public

    framework_publish(profession=framework, by=None, change_note="New words")
    after = client.get(url, headers={"If-None-Match": before["ETag"]})

    assert after.status_code == 200
    assert "X-Public-Cache" not in after
    assert "A brand new summary of the level" in after.content.decode()


def test_a_signed_in_person_never_gets_a_cached_page_nor_leaves_theirs_in_it(
    client, framework, user
):
    PersonFactory(user=user, name="Canary Signedin-Person")
    url = reverse("roles:pathway", args=[framework.slug])
    anonymous = client.get(url).content.decode()

    client.force_login(user)
    signed_in = client.get(url)
    client.logout()
    client.cookies.clear()
    after = client.get(url)

    assert "X-Public-Cache" not in signed_in
    assert "ETag" not in signed_in
    assert "Sign out" in signed_in.content.decode()
    assert "Sign out" not in anonymous
    assert after["X-Public-Cache"] == "hit"
    assert "Sign out" not in after.content.decode()
    assert "Canary" not in after.content.decode()


def test_a_signed_in_first_visit_fills_nothing(client, framework, user):
    url = reverse("roles:pathway", args=[framework.slug])
    client.force_login(user)
    client.get(url)
    client.logout()
    client.cookies.clear()

    assert "X-Public-Cache" not in client.get(url)


def test_a_response_that_sets_a_cookie_or_fails_is_not_kept(client, framework):
    missing = reverse("roles:pathway", args=["no-such-profession"])
    assert client.get(missing).status_code == 404
    assert "X-Public-Cache" not in client.get(missing)

    sign_in = reverse("login")
    client.get(sign_in)  # a page with a CSRF token: not a cached public page at all
    assert "X-Public-Cache" not in client.get(sign_in)


def test_query_strings_are_kept_apart(client, framework):
    search = reverse("search:search")
    first = client.get(search, {"q": "one"})
    second = client.get(search, {"q": "two"})

    assert "X-Public-Cache" not in second
    assert client.get(search, {"q": "one"}).content == first.content


def test_a_lost_token_only_means_pages_are_rendered_again(client, framework):
    from django.core.cache import cache

    url = reverse("roles:pathway", args=[framework.slug])
    client.get(url)
    cache.delete(public_cache.TOKEN_KEY)

    assert "X-Public-Cache" not in client.get(url)
    assert client.get(url)["X-Public-Cache"] == "hit"


def test_a_kept_page_is_answered_with_the_headers_its_first_answer_left_the_stack_with(
    client, framework
):
    url = reverse("roles:pathway", args=[framework.slug])
    first = client.get(url)
    second = client.get(url)

    assert second["X-Public-Cache"] == "hit"
    for header in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Content-Type",
    ):
        assert second[header] == first[header], header
    assert "Set-Cookie" not in second


def test_a_304_repeats_the_page_headers_but_not_its_body(client, framework):
    url = reverse("roles:pathway", args=[framework.slug])
    etag = client.get(url)["ETag"]

    again = client.get(url, headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again["Content-Security-Policy"]
    assert "Content-Type" not in again


def test_a_visitor_with_a_message_waiting_gets_the_page_made_for_them(client, framework):
    url = reverse("roles:pathway", args=[framework.slug])
    client.get(url)
    client.cookies["messages"] = "anything"

    assert "X-Public-Cache" not in client.get(url)


def test_a_host_not_allowed_is_refused_not_answered_from_the_cache(client, framework):
    url = reverse("roles:pathway", args=[framework.slug])
    client.get(url)

    assert client.get(url, headers={"Host": "evil.example"}).status_code == 400


@pytest.mark.parametrize("other", [{"secure": True}, {"headers": {"Host": "localhost"}}])
def test_schemes_and_hosts_are_kept_apart(client, framework, settings, other):
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    settings.SECURE_SSL_REDIRECT = False
    url = reverse("roles:pathway", args=[framework.slug])
    client.get(url)

    assert "X-Public-Cache" not in client.get(url, **other)
    assert client.get(url, **other)["X-Public-Cache"] == "hit"


def test_static_files_are_left_to_whitenoise_without_asking_the_cache(
    client, framework, monkeypatch
):
    asked = []
    real_get = public_cache.cache.get
    monkeypatch.setattr(
        public_cache.cache, "get", lambda key, *args: asked.append(key) or real_get(key, *args)
    )

    client.get("/static/no-such-file.css")
    assert asked == []
    client.get(reverse("roles:pathway", args=[framework.slug]))
    assert public_cache.TOKEN_KEY in asked


def test_each_process_keeps_only_its_latest_pages_in_memory(rf, settings):
    settings.PUBLIC_PAGES_IN_MEMORY = 2

    def view(request):
        request._public_page_view = True  # as process_view marks an opted-in view
        return HttpResponse(f"page {request.path}")

    middleware = public_cache.PublicPageCacheMiddleware(view)
    for path in ("/one/", "/two/", "/three/"):
        middleware(rf.get(path))

    assert len(middleware.recent) == 2
    assert [page["content"] for page in middleware.recent.values()] == [
        b"page /two/",
        b"page /three/",
    ]
    again = middleware(rf.get("/one/"))  # still in the shared cache
    assert again["X-Public-Cache"] == "hit"
    assert again.content == b"page /one/"
