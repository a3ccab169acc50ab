"""PASSWORD_SIGN_IN=false: single sign-on only; no password is accepted, set up or emailed."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.models import User
from tests.conftest import PASSWORD
from tests.factories import PersonFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def password_off(settings, sso):
    settings.PASSWORD_SIGN_IN = False


def test_the_sign_in_page_offers_only_the_departments(client, password_off):
    html = client.get("/sign-in/").content.decode()
    assert "Department A" in html
    assert 'name="password"' not in html
    assert "Set up your account" not in html


def test_a_right_password_is_not_accepted(client, password_off, user):
    response = client.post("/sign-in/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_the_same_password_signs_in_while_passwords_are_on(client, sso, user):
    response = client.post("/sign-in/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_account_set_up_sends_no_email_and_creates_nothing(client, password_off, mailoutbox, db):
    person = PersonFactory(user=None, email="new.starter@example.gov.uk", name="New Starter")
    response = client.post("/account/set-up/", {"email": person.email})
    assert response.status_code == 404
    assert "Sign in with your department" in response.content.decode()
    assert mailoutbox == []
    assert not User.objects.exists()


def test_a_set_up_link_sets_no_password(client, password_off, user):
    response = client.get("/account/set-up/MQ/choose-password/")
    assert response.status_code == 404
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def _settings_from(env):
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.PASSWORD_SIGN_IN, settings.OIDC_PROVIDERS, "
        "settings.ADMIN_SECOND_FACTOR]))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OIDC_", "PASSWORD_"))}
    return subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "careerpath.settings", "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_providers_are_read_from_the_environment():
    result = _settings_from(
        {
            "OIDC_PROVIDERS": "hmrc,dwp",
            "OIDC_HMRC_LABEL": "HM Revenue and Customs",
            "OIDC_HMRC_DISCOVERY_URL": "https://login.example/hmrc/.well-known/openid-configuration",
            "OIDC_HMRC_CLIENT_ID": "hmrc-id",
            "OIDC_HMRC_CLIENT_SECRET": "hmrc-secret",
            "OIDC_DWP_DISCOVERY_URL": "https://login.example/dwp/.well-known/openid-configuration",
            "OIDC_DWP_CLIENT_ID": "dwp-id",
            "OIDC_DWP_CLIENT_SECRET": "dwp-secret",
            "OIDC_DWP_SCOPES": "openid email",
            "OIDC_DWP_VERIFIED_CLAIM": "xms_edov",
            "PASSWORD_SIGN_IN": "false",
        }
    )
    assert result.returncode == 0, result.stderr
    password_sign_in, providers, _ = json.loads(result.stdout.strip().splitlines()[-1])
    assert password_sign_in is False
    assert list(providers) == ["hmrc", "dwp"]
    assert providers["hmrc"]["label"] == "HM Revenue and Customs"
    assert providers["hmrc"]["scopes"] == "openid email profile"
    assert providers["dwp"]["label"] == "dwp"
    assert providers["dwp"]["verified_claim"] == "xms_edov"


def test_passwords_off_without_a_provider_is_refused_at_start():
    result = _settings_from({"PASSWORD_SIGN_IN": "false"})
    assert result.returncode != 0
    assert "PASSWORD_SIGN_IN=false needs at least one OIDC provider" in result.stderr


@pytest.mark.parametrize(("debug", "expected"), [("false", True), ("true", False)])
def test_the_admin_asks_for_a_code_in_production_by_default(debug, expected):
    result = _settings_from({"DEBUG": debug, "SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])[2] is expected
