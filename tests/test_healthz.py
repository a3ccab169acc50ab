from unittest import mock

from django.db import OperationalError


def test_it_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_it_answers_503_when_the_database_does_not(client, db):
    with mock.patch(
        "careerpath.views.connection.cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_it_needs_no_sign_in(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
