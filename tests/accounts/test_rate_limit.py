"""A limit per client address on sign-in and account set-up attempts (accounts/throttle.py):
answered 429 before any password is hashed, shared through the cache, on top of axes."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.backends import ModelBackend
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

OFFICE = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.RATE_LIMITS = {"sign_in": (3, 600), "set_up": (2, 600)}


@pytest.fixture
def clock():
    with time_machine.travel("2026-11-25 09:00 +0000", tick=False) as traveller:
        yield traveller


def sign_in(client, email, password, address=OFFICE, url="/sign-in/"):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=address)


def test_one_address_trying_many_accounts_is_refused_without_hashing(client, clock):
    for n in range(3):
        assert sign_in(client, f"guess{n}@example.gov.uk", "wrong").status_code == 200

    with mock.patch.object(ModelBackend, "authenticate", autospec=True) as backend:
        refused = sign_in(client, "guess9@example.gov.uk", "wrong")

    assert refused.status_code == 429
    backend.assert_not_called()
    content = refused.content.decode()
    assert "Too many attempts" in content
    assert "Try again in 10 minutes" in content
    assert "govuk-heading-xl" in content


def test_the_refusal_covers_the_right_password_too_and_other_addresses_are_not_limited(
    client, user, clock
):
    for _ in range(3):
        sign_in(client, "someone-else@example.gov.uk", "wrong")

    refused = sign_in(client, user.email, PASSWORD)
    elsewhere = sign_in(client, user.email, PASSWORD, address=ELSEWHERE)

    assert refused.status_code == 429
    assert elsewhere.status_code == 302


def test_the_admin_sign_in_shares_the_limit(client, admin_user, clock):
    for _ in range(3):
        sign_in(client, "guess@example.gov.uk", "wrong")

    refused = sign_in(client, admin_user.email, PASSWORD, url=reverse("admin:login"))

    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_wait_shown_counts_down_and_the_limit_lifts_after_the_window(client, user, clock):
    for _ in range(3):
        sign_in(client, "guess@example.gov.uk", "wrong")
    clock.shift(datetime.timedelta(minutes=7, seconds=30))

    refused = sign_in(client, user.email, PASSWORD)
    clock.shift(datetime.timedelta(minutes=3))
    allowed = sign_in(client, user.email, PASSWORD)

    assert "Try again in 3 minutes" in refused.content.decode()
    assert allowed.status_code == 302


def test_successful_sign_ins_do_not_use_up_the_allowance(client, user, clock):
    for _ in range(5):
        assert sign_in(client, user.email, PASSWORD).status_code == 302
        client.post("/sign-out/")

    assert sign_in(client, "guess@example.gov.uk", "wrong").status_code == 200


def test_showing_the_sign_in_page_is_never_limited(client, clock):
    for _ in range(3):
        sign_in(client, "guess@example.gov.uk", "wrong")

    assert client.get("/sign-in/", REMOTE_ADDR=OFFICE).status_code == 200


def test_set_up_requests_are_limited_per_address_and_send_nothing_more(client, clock):
    PersonFactory(user=None, name="Imported Person", email="imported@example.gov.uk")
    url = reverse("people:set_up")
    for n in range(2):
        client.post(url, {"email": f"probe{n}@example.gov.uk"}, REMOTE_ADDR=OFFICE)

    refused = client.post(url, {"email": "imported@example.gov.uk"}, REMOTE_ADDR=OFFICE)
    response = client.get(url, REMOTE_ADDR=OFFICE)

    assert refused.status_code == 429
    assert "too many requests to set up an account" in refused.content.decode()
    assert mail.outbox == []
    assert response.status_code == 200


def test_the_counts_live_in_the_shared_cache_not_in_the_process(client, user, clock):
    # Nothing is kept in process memory: with the cache emptied (as a new cache would be), the
    # address may try again; so every worker reading the same cache (Redis) sees the same counts.
    from django.core.cache import caches

    for _ in range(3):
        sign_in(client, "guess@example.gov.uk", "wrong")
    refused = sign_in(client, user.email, PASSWORD)
    caches["default"].clear()
    allowed = sign_in(client, user.email, PASSWORD)

    assert refused.status_code == 429
    assert allowed.status_code == 302
