"""Passwords are stored with Argon2id at the measured cost; older PBKDF2 hashes upgrade."""

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password

from accounts.hashers import Argon2idHasher

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_hashers(settings):
    # tests/conftest.py swaps in a fast hasher; these tests need the configured list.
    from careerpath import settings as configured

    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS
    return settings


def test_new_passwords_are_argon2id_at_the_chosen_cost(production_hashers):
    encoded = make_password("a-long-test-password-123")

    assert encoded.startswith("argon2$argon2id$")
    assert "m=19456,t=2,p=1" in encoded
    assert isinstance(identify_hasher(encoded), Argon2idHasher)


def test_an_old_pbkdf2_hash_still_signs_in_and_is_rewritten(production_hashers, client):
    from tests.factories import UserFactory

    user = UserFactory()
    old = make_password("a-long-test-password-123", hasher="pbkdf2_sha256")
    type(user).objects.filter(pk=user.pk).update(password=old)

    response = client.post(
        "/sign-in/", {"username": user.email, "password": "a-long-test-password-123"}
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.password.startswith("argon2$argon2id$")
    assert check_password("a-long-test-password-123", user.password)
