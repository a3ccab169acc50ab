"""Repeated wrong passwords lock an account out of signing in for 15 minutes (django-axes)."""

import datetime

import pytest
import time_machine

from tests.conftest import PASSWORD


def attempt(client, email, password):
    return client.post("/sign-in/", {"username": email, "password": password})


@pytest.fixture
def clock():
    with time_machine.travel("2026-11-25 09:00 +0000", tick=False) as traveller:
        yield traveller


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, user, clock):
    for _ in range(4):
        assert attempt(client, user.email, "wrong").status_code == 200

    fifth = attempt(client, user.email, "wrong")
    right = attempt(client, user.email, PASSWORD)

    assert fifth.status_code == 429
    assert right.status_code == 429
    assert "You cannot sign in for now" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_changing_the_case_of_the_email_does_not_dodge_the_lock(client, user, clock):
    for variant in ["a", "B", "c", "D", "e"]:
        attempt(client, f" {user.email.upper()} " if variant.isupper() else user.email, "wrong")

    response = attempt(client, user.email, PASSWORD)

    assert response.status_code == 429


def test_the_lock_ends_after_15_minutes(client, user, clock):
    for _ in range(5):
        attempt(client, user.email, "wrong")

    clock.shift(datetime.timedelta(minutes=16))
    response = attempt(client, user.email, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_other_accounts_are_not_locked(client, user, admin_user, clock):
    for _ in range(5):
        attempt(client, user.email, "wrong")

    response = attempt(client, admin_user.email, PASSWORD)

    assert response.status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, user, clock):
    for _ in range(4):
        attempt(client, user.email, "wrong")
    attempt(client, user.email, PASSWORD)
    client.post("/sign-out/")

    for _ in range(4):
        attempt(client, user.email, "wrong")
    response = attempt(client, user.email, PASSWORD)

    assert response.status_code == 302


def test_the_page_says_how_long_to_wait(client, user, settings, clock):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
    for _ in range(5):
        response = attempt(client, user.email, "wrong")

    html = response.content.decode()
    assert "try again in 30 minutes" in html
    assert "<title>You cannot sign in for now - Civil Service career pathways</title>" in html


def test_the_admin_sign_in_counts_too(client, user, clock):
    for _ in range(5):
        client.post("/admin/login/", {"username": user.email, "password": "wrong"})

    response = attempt(client, user.email, PASSWORD)

    assert response.status_code == 429
