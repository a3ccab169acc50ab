"""The service administrators' second factor at admin sign-in, with real time-based codes."""

import base64
import hmac
import re
import struct
import time

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import ALREADY_SET_UP, CODE_WRONG, totp_device_add
from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PAGE = "/account/two-factor/"


def code_for(secret_b32: str, at: float | None = None) -> str:
    """A TOTP code (RFC 6238: HMAC-SHA1, 30 seconds, 6 digits), worked out here on its own."""
    key = base64.b32decode(secret_b32)
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), "sha1").digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def a_wrong_code(secret):
    right = {code_for(secret, time.time() + step * 30) for step in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


@pytest.fixture
def second_factor_on(settings):
    settings.ADMIN_SECOND_FACTOR = True


def admin_sign_in(client, user):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": user.email, "password": PASSWORD, "next": "/admin/"},
    )


def secret_on(response):
    text = response.content.decode()
    match = re.search(r'id="secret-key">(.*?)</p>', text, re.S)
    return re.sub(r"<[^>]+>|\s", "", match.group(1))


def test_after_the_password_an_administrator_sets_up_an_app(client, admin_user, second_factor_on):
    response = admin_sign_in(client, admin_user)
    assert response["Location"] == "/admin/"
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?next=%2Fadmin%2F"

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html
    assert "Set up an authenticator app" in html
    secret = secret_on(page)
    assert len(secret) == 32

    wrong = client.post(PAGE, {"code": a_wrong_code(secret), "next": "/admin/"})
    assert wrong.status_code == 200
    assert CODE_WRONG in wrong.content.decode()
    assert "govuk-error-summary" in wrong.content.decode()
    assert not TOTPDevice.objects.exists()
    assert client.get("/admin/").status_code == 302

    right = client.post(PAGE, {"code": code_for(secret), "next": "/admin/"})
    assert right.status_code == 302
    assert right["Location"] == "/admin/"
    device = TOTPDevice.objects.get(user=admin_user)
    assert device.confirmed
    assert base64.b32encode(device.bin_key).decode() == secret
    assert client.get("/admin/").status_code == 200


def test_next_time_the_code_is_asked_for_and_a_used_code_is_refused(
    client, admin_user, second_factor_on
):
    device = totp_device_add(
        user=admin_user,
        key="3132333435363738393031323334353637383930",
        code=code_for(base64.b32encode(bytes.fromhex("3132333435363738393031323334353637383930"))),
    )
    secret = base64.b32encode(device.bin_key).decode()
    admin_sign_in(client, admin_user)
    page = client.get(f"{PAGE}?next=/admin/")
    assert "Enter the code from your authenticator app" in page.content.decode()
    assert "<svg" not in page.content.decode()
    # The code that set the app up has been used: it does not open the admin again.
    used = client.post(PAGE, {"code": code_for(secret), "next": "/admin/"})
    assert used.status_code == 200
    assert CODE_WRONG in used.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_current_code_opens_the_admin(client, admin_user, second_factor_on):
    key = "00112233445566778899aabbccddeeff00112233"
    secret = base64.b32encode(bytes.fromhex(key)).decode()
    totp_device_add(user=admin_user, key=key, code=code_for(secret, time.time() - 30))
    admin_sign_in(client, admin_user)
    response = client.post(PAGE, {"code": code_for(secret), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_for_set_up_writes_nothing(admin_user):
    key = "00112233445566778899aabbccddeeff00112233"
    secret = base64.b32encode(bytes.fromhex(key)).decode()
    with pytest.raises(Exception, match=CODE_WRONG):
        totp_device_add(user=admin_user, key=key, code=a_wrong_code(secret))
    assert not TOTPDevice.objects.exists()


def test_a_second_app_is_not_added(admin_user):
    key = "00112233445566778899aabbccddeeff00112233"
    secret = base64.b32encode(bytes.fromhex(key)).decode()
    totp_device_add(user=admin_user, key=key, code=code_for(secret))
    with pytest.raises(Exception, match=ALREADY_SET_UP):
        totp_device_add(user=admin_user, key=key, code=code_for(secret))
    assert TOTPDevice.objects.count() == 1


def test_a_forged_next_goes_to_the_admin_instead(client, admin_user, second_factor_on):
    admin_sign_in(client, admin_user)
    secret = secret_on(client.get(PAGE))
    response = client.post(PAGE, {"code": code_for(secret), "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


def test_after_single_sign_on_no_code_is_asked(client, admin_user, second_factor_on):
    client.force_login(admin_user)
    session = client.session
    session["oidc_signed_in_with"] = "dept-a"
    session.save()
    assert client.get("/admin/").status_code == 200


def test_with_the_setting_off_the_admin_opens_after_the_password(client, admin_user, settings):
    settings.ADMIN_SECOND_FACTOR = False
    admin_sign_in(client, admin_user)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("who", ["staff", "head_of_profession_like"])
def test_the_page_is_not_for_other_accounts(client, second_factor_on, who):
    user = UserFactory(is_staff=(who != "staff"))
    client.force_login(user)
    assert client.get(PAGE).status_code == 404


def test_staff_who_are_not_administrators_need_no_code_for_the_admin(client, second_factor_on):
    user = UserFactory(is_staff=True, password=PASSWORD)
    admin_sign_in(client, user)
    assert client.get("/admin/").status_code == 200


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_an_administrator_already_verified_goes_on(client, admin_user, second_factor_on):
    client.force_login(admin_user)
    secret = secret_on(client.get(PAGE))
    client.post(PAGE, {"code": code_for(secret)})
    assert client.get(f"{PAGE}?next=/admin/")["Location"] == "/admin/"


@pytest.mark.parametrize("others", [1, 20])
def test_the_page_reads_a_bounded_number_of_rows(
    client, admin_user, second_factor_on, django_assert_max_num_queries, others
):
    for index in range(others):
        user = UserFactory(is_superuser=True)
        key = f"{index:040x}"
        totp_device_add(
            user=user, key=key, code=code_for(base64.b32encode(bytes.fromhex(key)).decode())
        )
    client.force_login(admin_user)
    with django_assert_max_num_queries(8):
        assert client.get(PAGE).status_code == 200
