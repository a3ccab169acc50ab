"""Single sign-on against a real OpenID provider (tests/oidc_provider): the whole round trip,
and each kind of answer that must be refused with nothing created."""

import datetime
import json
import logging
import socket
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
import time_machine
from authlib.integrations.django_client.apps import DjangoOAuth2App

from accounts import oidc
from accounts.models import User
from people.models import Person
from tests.factories import PersonFactory, UserFactory
from tests.oidc_provider import (
    ACCOUNTS,
    OTHER_CLIENT_ID,
    OTHER_CLIENT_SECRET,
    provider_settings,
    sign_in_at_provider,
)

pytestmark = pytest.mark.django_db
TESTSERVER = "http://testserver"
REFUSED_TITLE = "You cannot sign in to this service"


def security_lines(caplog):
    """The single sign-on lines of the security log (other work logs sign-in and out too)."""
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "careerpath.security"]
    return [line for line in lines if line["event"].startswith("sso_")]


def staff_record(login, **fields):
    """The staff record (no account yet) for one of the provider's people."""
    return PersonFactory(user=None, email=ACCOUNTS[login]["email"], name="Test Person", **fields)


def start(client, provider="dept-a"):
    """Choose the department on the sign-in page; returns the provider's authorisation URL."""
    response = client.post("/sign-in/single-sign-on/", {"provider": provider})
    assert response.status_code == 302
    return response["Location"]


def callback_path(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_the_sign_in_page_offers_each_department_and_a_password(client, sso):
    response = client.get("/sign-in/")
    html = response.content.decode()
    assert 'type="radio"' in html
    assert "Department A" in html
    assert 'name="password"' in html


def test_without_providers_the_sign_in_page_is_as_before(client, settings):
    settings.OIDC_PROVIDERS = {}
    html = client.get("/sign-in/").content.decode()
    assert 'type="radio"' not in html
    assert 'name="password"' in html


def test_choosing_no_department_is_an_error_on_the_page(client, sso):
    response = client.post("/sign-in/single-sign-on/", {"provider": "nowhere"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Select your department" in html
    assert "<title>Error: " in html


def test_the_redirect_asks_for_a_code_with_state_nonce_and_pkce(client, sso):
    query = parse_qs(urlsplit(start(client)).query)
    assert query["client_id"] == ["careerpath"]
    assert query["response_type"] == ["code"]
    assert query["redirect_uri"] == [f"{TESTSERVER}/sign-in/single-sign-on/callback/"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"][0]
    assert query["nonce"][0]
    assert set(query["scope"][0].split()) == {"openid", "email", "profile"}


def test_a_known_person_signs_in_and_their_account_is_linked(client, sso, caplog):
    person = staff_record("ada")
    callback = sign_in_at_provider(start(client), login="ada", stop_at=TESTSERVER)
    with caplog.at_level(logging.INFO, logger="careerpath.security"):
        response = client.get(callback_path(callback))
    assert response.status_code == 302
    assert response["Location"] == "/your-career/"
    person.refresh_from_db()
    assert person.user is not None
    assert person.user.email == ACCOUNTS["ada"]["email"]
    assert not person.user.has_usable_password()
    assert signed_in_user_id(client) == str(person.user_id)
    [line] = security_lines(caplog)
    assert line["event"] == "sso_sign_in_succeeded"
    assert line["user_id"] == person.user_id
    assert line["provider"] == "dept-a"
    assert client.get("/your-career/").status_code == 200


def test_an_existing_account_is_the_one_signed_in(client, sso):
    user = UserFactory(email=ACCOUNTS["ada"]["email"])
    PersonFactory(user=user)
    callback = sign_in_at_provider(start(client), login="ada", stop_at=TESTSERVER)
    client.get(callback_path(callback))
    assert signed_in_user_id(client) == str(user.pk)
    assert User.objects.count() == 1


def assert_refused(client, response, caplog, reason):
    assert response.status_code == 403
    assert REFUSED_TITLE in response.content.decode()
    assert signed_in_user_id(client) is None
    lines = security_lines(caplog)
    assert lines[-1]["event"] == "sso_sign_in_refused"
    assert [line.get("reason") for line in lines if line["event"] == "sso_sign_in_refused"] == [
        reason
    ]


@pytest.mark.parametrize(
    ("login", "make_record", "reason", "words"),
    [
        ("stranger", False, "unknown_address", "we have no staff record"),
        ("unchecked", True, "unverified_email", "did not give us an email address it has"),
    ],
)
def test_an_unknown_or_unverified_address_is_refused_and_nothing_is_created(
    client, sso, caplog, login, make_record, reason, words
):
    if make_record:
        staff_record(login)
    callback = sign_in_at_provider(start(client), login=login, stop_at=TESTSERVER)
    with caplog.at_level(logging.INFO, logger="careerpath.security"):
        response = client.get(callback_path(callback))
    assert_refused(client, response, caplog, reason)
    assert words in response.content.decode()
    assert not User.objects.exists()
    assert not Person.objects.filter(user__isnull=False).exists()


def test_a_leaver_is_refused(client, sso, caplog):
    person = staff_record("leaver", is_active=False)
    callback = sign_in_at_provider(start(client), login="leaver", stop_at=TESTSERVER)
    with caplog.at_level(logging.INFO, logger="careerpath.security"):
        response = client.get(callback_path(callback))
    assert_refused(client, response, caplog, "leaver")
    person.refresh_from_db()
    assert person.user is None
    assert not User.objects.exists()


def test_a_closed_account_is_refused(client, sso, caplog):
    user = UserFactory(email=ACCOUNTS["ada"]["email"], is_active=False)
    PersonFactory(user=user)
    callback = sign_in_at_provider(start(client), login="ada", stop_at=TESTSERVER)
    with caplog.at_level(logging.INFO, logger="careerpath.security"):
        response = client.get(callback_path(callback))
    assert_refused(client, response, caplog, "account_closed")


def test_a_tampered_state_is_refused(client, sso, caplog):
    staff_record("ada")
    callback = sign_in_at_provider(start(client), login="ada", stop_at=TESTSERVER)
    query = parse_qs(urlsplit(callback).query)
    query["state"] = ["forged" + query["state"][0]]
    with caplog.at_level(logging.INFO, logger="careerpath.security"):
        response = client.get("/sign-in/single-sign-on/callback/?" + urlencode(query, doseq=True))
    assert_refused(client, response, caplog, "state_mismatch")
    assert not User.objects.exists()


def test_a_callback_with_no_sign_in_started_is_refused(client, sso, caplog):
    staff_record("ada")
    callback = sign_in_at_provider(start(client), login="ada", stop_at=TESTSERVER)
    other_browser = client.__class__()
    with caplog.at_level(logging.INFO, logger="careerpath.security"):
        response = other_browser.get(callback_path(callback))
    assert_refused(other_browser, response, caplog, "state_mismatch")
    assert not User.objects.exists()


def test_a_replayed_callback_is_refused(client, sso, caplog):
    person = staff_record("ada")
    callback = sign_in_at_provider(start(client), login="ada", stop_at=TESTSERVER)
    client.get(callback_path(callback))
    client.post("/sign-out/")  # the provider would take the browser away; stay here
    with caplog.at_level(logging.INFO, logger="careerpath.security"):
        response = client.get(callback_path(callback))
    assert_refused(client, response, caplog, "state_mismatch")
    person.refresh_from_db()
    assert list(User.objects.values_list("pk", flat=True)) == [person.user_id]


def test_a_replayed_code_is_refused_by_the_provider(client, sso, caplog):
    staff_record("ada")
    first = sign_in_at_provider(start(client), login="ada", stop_at=TESTSERVER)
    client.get(callback_path(first))
    client.post("/sign-out/")
    User.objects.all().delete()
    # A new sign-in, so the state is one careerpath is waiting for, carrying the used code.
    second = parse_qs(urlsplit(start(client)).query)
    used_code = parse_qs(urlsplit(first).query)["code"][0]
    with caplog.at_level(logging.INFO, logger="careerpath.security"):
        response = client.get(
            "/sign-in/single-sign-on/callback/?"
            + urlencode({"code": used_code, "state": second["state"][0]})
        )
    assert_refused(client, response, caplog, "code_refused")
    assert not User.objects.exists()


def test_an_id_token_for_another_service_is_refused(client, sso, caplog, monkeypatch):
    """The provider signs an ID token for another service registered with it (a real token,
    with the nonce careerpath is waiting for): careerpath refuses it for its audience."""
    staff_record("ada")
    ours = parse_qs(urlsplit(start(client)).query)
    theirs = {**{k: v[0] for k, v in ours.items()}, "client_id": OTHER_CLIENT_ID}
    theirs.pop("code_challenge")
    theirs.pop("code_challenge_method")
    issuer = sso
    callback = sign_in_at_provider(
        f"{issuer}/auth?{urlencode(theirs)}", login="ada", stop_at=TESTSERVER
    )
    their_token = requests.post(
        f"{issuer}/token",
        data={
            "grant_type": "authorization_code",
            "code": parse_qs(urlsplit(callback).query)["code"][0],
            "redirect_uri": theirs["redirect_uri"],
        },
        auth=(OTHER_CLIENT_ID, OTHER_CLIENT_SECRET),
        timeout=10,
    ).json()
    assert their_token["id_token"]
    # careerpath's code exchange is answered with that token, as a compromised or confused
    # token endpoint (or a token passed along by another service) would answer it.
    monkeypatch.setattr(DjangoOAuth2App, "fetch_access_token", lambda self, **kw: their_token)
    with caplog.at_level(logging.INFO, logger="careerpath.security"):
        response = client.get(callback_path(callback))
    assert_refused(client, response, caplog, "wrong_audience")
    assert not User.objects.exists()


def test_an_expired_id_token_is_refused(client, sso, caplog):
    staff_record("ada")
    callback = sign_in_at_provider(start(client), login="ada", stop_at=TESTSERVER)
    # The provider's ID tokens last 10 minutes (tests/oidc_provider/server.mjs); the callback
    # is opened here 15 minutes later, still inside the session's 30.
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(minutes=15)
    with time_machine.travel(later), caplog.at_level(logging.INFO, logger="careerpath.security"):
        response = client.get(callback_path(callback))
    assert_refused(client, response, caplog, "token_expired")
    assert not User.objects.exists()


def test_the_provider_saying_no_is_refused(client, sso, caplog):
    query = parse_qs(urlsplit(start(client)).query)
    with caplog.at_level(logging.INFO, logger="careerpath.security"):
        response = client.get(
            "/sign-in/single-sign-on/callback/?"
            + urlencode({"error": "access_denied", "state": query["state"][0]})
        )
    assert_refused(client, response, caplog, "provider_error")


def test_signing_out_ends_the_session_here_and_at_the_provider(client, sso):
    staff_record("ada")
    callback = sign_in_at_provider(start(client), login="ada", stop_at=TESTSERVER)
    client.get(callback_path(callback))
    id_token = client.session["oidc_id_token"]

    response = client.post("/sign-out/")

    assert signed_in_user_id(client) is None
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}" == sso
    assert location.path == "/session/end"
    query = parse_qs(location.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == [f"{TESTSERVER}/sign-out/done/"]
    assert client.get("/your-career/").status_code == 302


def test_signing_out_after_a_password_stays_here(client, user):
    client.force_login(user)
    response = client.post("/sign-out/")
    assert response.status_code == 200
    assert "You have signed out" in response.content.decode()


def test_the_signed_out_page_is_public(client):
    response = client.get("/sign-out/done/")
    assert response.status_code == 200
    assert "You have signed out" in response.content.decode()


def test_the_pages_may_post_forms_on_to_the_provider(client, sso):
    policy = client.get("/sign-in/")["Content-Security-Policy"]
    form_action = next(p for p in policy.split(";") if p.strip().startswith("form-action"))
    assert form_action.split()[1:] == ["'self'", sso]


def test_without_providers_forms_post_only_here(client, settings):
    settings.OIDC_PROVIDERS = {}
    policy = client.get("/sign-in/")["Content-Security-Policy"]
    assert "form-action 'self';" in policy + ";"


@pytest.mark.parametrize("people", [1, 15])
def test_the_callback_reads_a_bounded_number_of_rows(
    client, sso, django_assert_max_num_queries, people
):
    PersonFactory.create_batch(people)
    staff_record("ada")
    callback = sign_in_at_provider(start(client), login="ada", stop_at=TESTSERVER)
    # Most are sign-in bookkeeping (session, axes access log, last_login); none per record.
    with django_assert_max_num_queries(30):
        response = client.get(callback_path(callback))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("asked", "landing"),
    [
        ("/your-career/profile/", "/your-career/profile/"),
        ("https://evil.example/", "/your-career/"),
    ],
)
def test_after_sign_in_the_page_asked_for_opens_if_it_is_ours(client, sso, asked, landing):
    staff_record("ada")
    response = client.post("/sign-in/single-sign-on/", {"provider": "dept-a", "next": asked})
    callback = sign_in_at_provider(response["Location"], login="ada", stop_at=TESTSERVER)
    assert client.get(callback_path(callback))["Location"] == landing


def test_a_provider_that_does_not_answer_gets_a_clear_page_in_time(
    client, settings, caplog, monkeypatch
):
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings.OIDC_PROVIDERS = provider_settings(f"http://127.0.0.1:{silent.getsockname()[1]}")
        monkeypatch.setattr(oidc, "PROVIDER_TIMEOUT_SECONDS", 1)
        started = time.monotonic()
        with caplog.at_level(logging.INFO, logger="careerpath.security"):
            response = client.post("/sign-in/single-sign-on/", {"provider": "dept-a"})
        elapsed = time.monotonic() - started
    assert elapsed < 5
    assert response.status_code == 503
    assert "not answering" in response.content.decode()
    assert [line["reason"] for line in security_lines(caplog)] == ["provider_unavailable"]


def test_a_provider_with_no_sign_out_endpoint_signs_out_here_only(client, sso, monkeypatch):
    staff_record("ada")
    callback = sign_in_at_provider(start(client), login="ada", stop_at=TESTSERVER)
    client.get(callback_path(callback))
    discovered = DjangoOAuth2App.load_server_metadata

    def without_end_session(self):
        metadata = dict(discovered(self))
        metadata.pop("end_session_endpoint", None)
        return metadata

    monkeypatch.setattr(DjangoOAuth2App, "load_server_metadata", without_end_session)
    response = client.post("/sign-out/")
    assert response.status_code == 200
    assert "You have signed out" in response.content.decode()
    assert signed_in_user_id(client) is None
