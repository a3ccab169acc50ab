"""A real OpenID provider for tests: tests/oidc_provider/server.mjs (the `oidc-provider` npm
package) run under Node.js on a free loopback port, and a helper that signs in on its pages the
way a browser would."""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import requests

SERVER = Path(__file__).with_name("server.mjs")
ROOT = Path(__file__).resolve().parents[2]
CALLBACK_PATH = "/sign-in/single-sign-on/callback/"
SIGNED_OUT_PATH = "/sign-out/done/"
CLIENT_ID = "careerpath"
CLIENT_SECRET = "careerpath-test-secret"
# Another service registered at the same provider: its ID tokens are not for careerpath.
OTHER_CLIENT_ID = "another-service"
OTHER_CLIENT_SECRET = "another-service-secret"

# The provider's people, by the name typed on its sign-in page.
ACCOUNTS = {
    "ada": {"email": "ada.lovelace@dept-a.example.gov.uk", "email_verified": True},
    "unchecked": {"email": "unchecked@dept-a.example.gov.uk", "email_verified": False},
    "stranger": {"email": "stranger@dept-a.example.gov.uk", "email_verified": True},
    "leaver": {"email": "leaver@dept-a.example.gov.uk", "email_verified": True},
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _client(client_id, secret, base_url):
    return {
        "client_id": client_id,
        "client_secret": secret,
        "redirect_uris": [base_url + CALLBACK_PATH],
        "post_logout_redirect_uris": [base_url + SIGNED_OUT_PATH],
    }


@contextlib.contextmanager
def running_provider(*, base_url: str):
    """Start the provider for a careerpath at `base_url`; yields its issuer URL."""
    port = _free_port()
    config = {
        "port": port,
        "clients": [
            _client(CLIENT_ID, CLIENT_SECRET, base_url),
            _client(OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, base_url),
        ],
        "accounts": ACCOUNTS,
    }
    env = {**os.environ, "OIDC_TEST_CONFIG": json.dumps(config)}
    process = subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
        ["node", str(SERVER)],  # noqa: S607 - node from PATH, as `make test` installs it
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=None if os.environ.get("OIDC_TEST_DEBUG") else subprocess.DEVNULL,
        text=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        line = process.stdout.readline()
        if not line.startswith("listening"):
            raise RuntimeError(f"The test OpenID provider did not start: {line!r}")
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


def provider_settings(issuer: str, *, client_id=CLIENT_ID, client_secret=CLIENT_SECRET):
    """settings.OIDC_PROVIDERS as the environment would give it, for department "dept-a"."""
    return {
        "dept-a": {
            "label": "Department A",
            "discovery_url": f"{issuer}/.well-known/openid-configuration",
            "client_id": client_id,
            "client_secret": client_secret,
            "scopes": "openid email profile",
            "verified_claim": "email_verified",
        }
    }


_FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def sign_in_at_provider(authorize_url: str, *, login: str, stop_at: str) -> str:
    """Follow the provider's pages from the authorisation URL as a browser would: its sign-in
    form, then its consent form. Returns the URL it sends the browser back to (starting with
    `stop_at`), without opening it."""
    browser = requests.Session()
    url = authorize_url
    for _ in range(12):
        if url.startswith(stop_at):
            return url
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            continue
        action = urljoin(url, _FORM_ACTION.search(response.text).group(1))
        data = dict(_HIDDEN.findall(response.text))
        if 'name="login"' in response.text:
            data.update(login=login, password="any")
        response = browser.post(action, data=data, allow_redirects=False, timeout=10)
        url = urljoin(url, response.headers["Location"])
    raise AssertionError(f"The provider never sent the browser back (last at {url})")


def wait_until_answers(url: str, seconds: float = 10) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=2).ok:
                return
        time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")
