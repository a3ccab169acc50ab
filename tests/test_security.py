"""Security headers on a public page, a signed-in page and an error page; cookie settings."""

import base64
import datetime
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine

from careerpath.inline_script import JS_ENABLED, JS_ENABLED_HASH

ROOT = Path(__file__).resolve().parent.parent


def assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    directives = dict(
        ([*part.split(" ", 1), ""])[:2] for part in (p.strip() for p in csp.split(";")) if part
    )
    assert "'unsafe-inline'" not in directives["script-src"]
    assert JS_ENABLED_HASH in directives["script-src"].split()
    assert "'nonce-" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_public_page_headers(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert_security_headers(response)


def test_signed_in_page_headers(user_client):
    response = user_client.get("/")

    assert response.status_code == 200
    assert_security_headers(response)


def test_error_page_headers(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert_security_headers(response)


def test_the_inline_script_is_the_one_the_policy_allows_by_its_hash(client, db):
    page = client.get("/").content.decode()

    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert scripts == [JS_ENABLED]
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" == JS_ENABLED_HASH


def test_session_expires_after_30_minutes_without_activity(client, user, settings):
    # Time travel moves the database's clock, not Redis's: in the cache the same limit is the
    # entry's expiry time, which Redis keeps in real time.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    with time_machine.travel("2026-11-25 09:00 +0000", tick=False) as traveller:
        client.force_login(user)
        traveller.shift(datetime.timedelta(minutes=29))
        first = client.get("/")
        traveller.shift(datetime.timedelta(minutes=29))  # 58 minutes in, 29 since last use
        second = client.get("/")
        traveller.shift(datetime.timedelta(minutes=31))
        expired = client.get("/")

    assert first.context["user"] == user
    assert second.context["user"] == user
    assert second.cookies["sessionid"]["httponly"] is True
    assert second.cookies["sessionid"]["samesite"] == "Lax"
    assert expired.context["user"].is_anonymous


def read_settings(env, *names):
    """Import the settings module in a fresh interpreter with exactly this environment."""
    code = f"import careerpath.settings as s;print(repr(tuple(getattr(s, n) for n in {names!r})))"
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(  # noqa: S603 - fixed interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_cookies_are_secure_when_debug_is_off():
    result = read_settings(
        {"SECRET_KEY": "x" * 50},
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(False, True, True, True, True)"


def test_debug_is_off_unless_set_and_a_missing_secret_key_stops_start_up():
    result = read_settings({}, "DEBUG")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////tmp/careerpath-test.sqlite3", "django.db.backends.sqlite3"),
        ("postgres://careerpath@db.example:5432/careerpath", "django.db.backends.postgresql"),
    ],
)
def test_database_comes_from_database_url(url, expected):
    result = read_settings({"DEBUG": "true", "DATABASE_URL": url}, "DATABASES")

    assert result.returncode == 0, result.stderr
    assert f"'ENGINE': '{expected}'" in result.stdout
    assert "'CONN_HEALTH_CHECKS': True" in result.stdout
    assert "'CONN_MAX_AGE': 60" in result.stdout


def test_time_zone_is_london_with_aware_datetimes(settings):
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.USE_TZ is True


# --- findings of the security audit (issue 11) ---------------------------------------------
def test_every_response_refuses_browser_features_the_service_never_uses(client, db):
    response = client.get("/")

    policy = response["Permissions-Policy"]
    assert "camera=()" in policy
    assert "geolocation=()" in policy
    assert "microphone=()" in policy


@pytest.mark.parametrize(
    "url",
    [
        "/assessments/start/?profession=%00&level=x",
        "/search/?q=a%00b",
        "/professions/operations/framework.json?version=1%00",
    ],
)
def test_a_nul_byte_in_a_parameter_is_a_bad_request_not_a_server_error(user_client, url):
    response = user_client.get(url)

    assert response.status_code == 400


def test_a_nul_byte_in_a_form_is_a_bad_request(user_client):
    response = user_client.post("/assessments/start/", {"profession": "a\x00", "level": "x"})

    assert response.status_code == 400


def test_sessions_end_a_working_day_after_sign_in_however_active(client, user, settings):
    with time_machine.travel("2026-11-25 08:00 +0000", tick=False) as traveller:
        client.force_login(user)
        for _ in range(20):  # active every 29 minutes: never idle for 30
            traveller.shift(datetime.timedelta(minutes=29))
            last_active = client.get("/")
        traveller.shift(datetime.timedelta(minutes=29))
        after_a_day = client.get("/assessments/")
        public = client.get("/professions/")

    assert last_active.context["user"] == user  # 9 h 40 min after signing in
    assert settings.SESSION_ABSOLUTE_AGE == 10 * 60 * 60
    assert after_a_day.status_code == 302
    assert after_a_day["Location"].startswith("/sign-in/?next=/assessments/")
    assert public.context["user"].is_anonymous


def test_a_signed_in_session_is_written_at_most_once_a_minute(client, user):
    with time_machine.travel("2026-11-25 09:00 +0000", tick=False) as traveller:
        client.force_login(user)  # signing in saves the session
        traveller.shift(datetime.timedelta(seconds=20))
        soon_after = client.get("/professions/")
        traveller.shift(datetime.timedelta(seconds=50))
        a_minute_on = client.get("/professions/")
        traveller.shift(datetime.timedelta(seconds=10))
        just_after_that = client.get("/professions/")

    assert "sessionid" not in soon_after.cookies  # nothing written 20 seconds in
    assert "sessionid" in a_minute_on.cookies  # refreshed after a minute
    assert "sessionid" not in just_after_that.cookies
