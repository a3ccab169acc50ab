import threading
import time
from unittest import mock

from django.db import OperationalError, connections

# The check runs in a thread with its own connection: patch the class every connection shares.
connection = connections["default"]


def test_it_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_it_answers_503_when_the_database_does_not(client, db):
    with mock.patch.object(
        type(connection), "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_it_needs_no_sign_in(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200


def test_it_answers_503_within_the_time_limit_when_the_database_hangs(client, db, settings):
    settings.HEALTH_CHECK_TIMEOUT = 0.5
    release = threading.Event()

    def hang(*args, **kwargs):
        release.wait(10)
        raise OperationalError("gave up")

    started = time.monotonic()
    with mock.patch.object(type(connection), "cursor", side_effect=hang):
        response = client.get("/healthz")
    took = time.monotonic() - started
    release.set()

    assert response.status_code == 503
    assert took < 2


def test_postgresql_connections_give_up_and_statements_stop_in_time():
    from tests.test_security import read_settings

    result = read_settings(
        {"DEBUG": "true", "DATABASE_URL": "postgres://u@db.invalid:5432/careerpath"},
        "DATABASES",
    )

    options = eval(result.stdout)[0]["default"]["OPTIONS"]  # noqa: S307 - our own repr
    assert options["connect_timeout"] == 3
    assert options["options"] == "-c statement_timeout=30000"
