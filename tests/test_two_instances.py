"""Stateless: two gunicorn instances on two ports, sharing one database and one Redis, behave as
one service. A person signs in on one and carries on on the other; a publication made through
one is seen at once on the other (whose whole public pages were cached); a lockout earned on
both holds on both.

The test makes its own database (PostgreSQL when the suite runs on it, as CI does; otherwise a
SQLite file) and its own Redis server on a free port, so it never touches the suite's."""

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "careerpath-demo"  # accounts.demo.DEMO_PASSWORD: the published demo password
RATE_LIMIT = 12  # sign-in attempts per client address (accounts/throttle.py)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{url}: the server stopped ({process.returncode})")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback only
            return
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {seconds} s")


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    """A new, migrated database with the demo data."""
    default = settings.DATABASES["default"]
    if default["ENGINE"] == "django.db.backends.postgresql":
        import psycopg

        name = f"careerpath_two_{uuid.uuid4().hex[:8]}"
        host, port = default.get("HOST") or "127.0.0.1", default.get("PORT") or 5432
        admin = f"host={host} port={port} user={default['USER']} dbname=postgres"
        if default.get("PASSWORD"):
            admin += f" password={default['PASSWORD']}"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        credentials = default["USER"] + (
            f":{default['PASSWORD']}" if default.get("PASSWORD") else ""
        )
        url = f"postgres://{credentials}@{host}:{port}/{name}"
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('two') / 'db.sqlite3'}"
        name = None
    env = server_env(url, redis_url="locmemcache://setup")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "load_demo"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    yield url
    if name is not None:
        import psycopg

        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def server_env(database_url, redis_url):
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}
    return {
        **{key: value for key, value in os.environ.items() if key in keep},
        "DEBUG": "false",
        "SECRET_KEY": "two-instances-test-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "CACHE_URL": redis_url,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "ALLOW_DEMO_DATA": "true",
        "LOG_LEVEL": "WARNING",
        # Low enough for the last test to reach; the tests before it stay well under it.
        "SIGN_IN_RATE_LIMIT": str(RATE_LIMIT),
        # One window for the whole module (windows are fixed: one turning over between the tests
        # reset the count that the last test builds on: it failed when a run crossed a ten-minute
        # boundary). The next boundary of a 10^9-second window is in 2033.
        "SIGN_IN_RATE_WINDOW_SECONDS": str(10**9),
    }


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A Redis server of the test's own, keeping nothing on disk."""
    server = shutil.which("redis-server")
    assert server, "redis-server is needed (make test installs it: apt-get install redis-server)"
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path_factory.mktemp("redis"),
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def instances(database_url, redis_url):
    """Two gunicorn instances, as production runs them, on two ports."""
    env = server_env(database_url, redis_url)
    processes, bases = [], []
    for _ in range(2):
        port = free_port()
        processes.append(
            subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "careerpath.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--no-control-socket",
                    "--access-logfile",
                    "/dev/null",
                ],
                env=env,
                cwd=ROOT,
                start_new_session=True,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, process in zip(bases, processes, strict=True):
            wait_for(base + "/healthz", process)
        yield bases
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)


class Browser:
    """A cookie jar and no redirects followed, as a test client over HTTP."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect
        )

    def request(self, url, data=None, headers=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def form_token(self, url):
        status, _headers, page = self.request(url)
        assert status == 200, (url, status)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found, url
        return found.group(1)

    def sign_in(self, base, email, password=PASSWORD):
        token = self.form_token(base + "/sign-in/")
        return self.request(
            base + "/sign-in/",
            {"csrfmiddlewaretoken": token, "username": email, "password": password},
        )


def manage_shell(database_url, redis_url, code):
    out = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", code],
        env=server_env(database_url, redis_url),
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def test_signed_in_on_one_carries_on_on_the_other(instances):
    first, second = instances
    browser = Browser()

    status, _headers, _page = browser.sign_in(first, "staff@example.gov.uk")
    assert status == 302, "signing in should redirect"

    status, _headers, page = browser.request(second + "/your-career/")
    assert status == 200
    assert "Sign out" in page
    status, _headers, page = browser.request(first + "/assessments/")
    assert status == 200


def test_a_publication_through_one_is_seen_at_once_on_the_other(instances, database_url, redis_url):
    first, second = instances
    visitor = Browser()
    pathway = first + "/professions/operations/"
    visitor.request(pathway)
    status, headers, page = visitor.request(pathway)
    assert status == 200
    assert headers.get("X-Public-Cache") == "hit"  # kept whole on the first instance
    marker = f"Summary rewritten {uuid.uuid4().hex[:6]}"
    assert marker not in page

    profession_id = manage_shell(
        database_url,
        redis_url,
        "from roles.models import Profession, RoleLevel\n"
        "p = Profession.objects.get(slug='operations')\n"
        f"RoleLevel.objects.filter(profession=p, rank=1).update(summary={marker!r})\n"
        "print(p.pk)",
    )
    head = Browser()
    assert head.sign_in(second, "head.operations@example.gov.uk")[0] == 302
    publish = f"{second}/admin/roles/profession/{profession_id}/publish/"
    token = head.form_token(publish)
    status, _headers, _page = head.request(
        publish, {"csrfmiddlewaretoken": token, "change_note": "Rewrote a summary"}
    )
    assert status == 302, "publishing should redirect to the profession"

    status, headers, page = visitor.request(pathway)
    assert status == 200
    assert marker in page


def test_a_lockout_earned_on_both_holds_on_both(instances):
    first, second = instances
    attempts = [
        Browser().sign_in(base, "ops.staff@example.gov.uk", "wrong")
        for base in [first, second, first, second, first]
    ]
    assert [status for status, _h, _p in attempts[:4]] == [200, 200, 200, 200]

    for base in (first, second):
        status, _headers, _page = Browser().sign_in(base, "ops.staff@example.gov.uk")
        assert status == 429, base


def test_the_limit_per_client_address_counts_attempts_on_both(instances):
    """Each instance alone sees about half of these attempts, fewer than the limit: only a count
    kept in the shared Redis goes over it. Every attempt names another address, so no lockout of
    an account (django-axes) is what answers. One attempt more than the limit, so that it is
    reached even when this test runs first on its own instances (pytest-xdist may give this
    module's tests to different workers, each starting its own pair)."""
    first, second = instances
    answers = []
    for attempt in range(RATE_LIMIT + 1):
        base = (first, second)[attempt % 2]
        answers.append(Browser().sign_in(base, f"nobody.{attempt}@example.gov.uk", "wrong"))

    limited = [(status, page) for status, _headers, page in answers if status == 429]
    assert limited, "the shared limit was never reached"
    assert all("Too many attempts" in page for _status, page in limited)
    for base in (first, second):
        status, _headers, page = Browser().sign_in(base, "staff@example.gov.uk")
        assert status == 429, base
        assert "Too many attempts" in page
