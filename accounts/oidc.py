"""Single sign-on with OpenID Connect: the protocol side (docs/sign-in.md).

Each department's identity provider is one entry of settings.OIDC_PROVIDERS, read from the
environment. Authlib does the protocol: discovery, the authorisation redirect with state, nonce
and PKCE, the code exchange, and the ID token's signature, issuer, audience, expiry and nonce.
This module turns its outcome into either verified claims or a short refusal code for the
security log and the page that explains it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from joserfc.errors import ExpiredTokenError, InvalidClaimError, JoseError

# Refusal codes: short, fixed, logged as `reason` and used to choose the words on the page.
STATE_MISMATCH = "state_mismatch"
PROVIDER_ERROR = "provider_error"
CODE_REFUSED = "code_refused"
TOKEN_EXPIRED = "token_expired"  # noqa: S105 - a refusal code
WRONG_AUDIENCE = "wrong_audience"
TOKEN_INVALID = "token_invalid"  # noqa: S105 - a refusal code
NO_EMAIL = "no_email"
UNVERIFIED_EMAIL = "unverified_email"
UNKNOWN_PROVIDER = "unknown_provider"
PROVIDER_UNAVAILABLE = "provider_unavailable"

# Seconds to wait for a provider's discovery document, keys, token or userinfo endpoint.
PROVIDER_TIMEOUT_SECONDS = 10

# Where the provider's answer (state and provider name) waits in the session.
SESSION_PROVIDER = "oidc_provider"
# After sign-in: which provider and the ID token, to end the session there on sign-out.
SESSION_SIGNED_IN_WITH = "oidc_signed_in_with"
SESSION_ID_TOKEN = "oidc_id_token"  # noqa: S105 - a session key


class SignInRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Provider:
    key: str
    label: str


def providers() -> list[Provider]:
    """The configured providers, in the order the environment lists them."""
    return [Provider(key, conf["label"]) for key, conf in settings.OIDC_PROVIDERS.items()]


@functools.cache
def _registry(config: tuple) -> OAuth:
    # One registry per configuration, so that each client fetches and keeps the provider's
    # discovery document and keys once per process (and tests can change the settings).
    oauth = OAuth()
    for key, conf in config:
        conf = dict(conf)
        oauth.register(
            name=key,
            client_id=conf["client_id"],
            client_secret=conf["client_secret"],
            server_metadata_url=conf["discovery_url"],
            client_kwargs={
                "scope": conf["scopes"],
                "code_challenge_method": "S256",
                # Never hold a worker waiting on a provider that does not answer.
                "default_timeout": PROVIDER_TIMEOUT_SECONDS,
            },
        )
    return oauth


def client(key: str):
    """Authlib's client for one configured provider; SignInRefused if there is no such one."""
    if key not in settings.OIDC_PROVIDERS:
        raise SignInRefused(UNKNOWN_PROVIDER)
    config = tuple(
        (name, tuple(sorted(conf.items()))) for name, conf in settings.OIDC_PROVIDERS.items()
    )
    return _registry(config).create_client(key)


def start(request, *, key: str, redirect_uri: str):
    """The redirect to the provider's sign-in page; remembers which provider in the session."""
    try:
        response = client(key).authorize_redirect(request, redirect_uri)
    except (requests.RequestException, ValueError) as error:
        # Its discovery document could not be read (down, slow, or not JSON).
        raise SignInRefused(PROVIDER_UNAVAILABLE) from error
    request.session[SESSION_PROVIDER] = key
    return response


# How far apart this service's clock and the provider's may be.
CLOCK_LEEWAY_SECONDS = 60


def _id_token_rules(oidc) -> dict:
    """What an ID token must say, beyond its signature and nonce. Authlib checks the audience
    only when told to (tests/accounts/test_sso.py has a real token for another service)."""
    try:
        issuer = oidc.load_server_metadata()["issuer"]
    except (KeyError, requests.RequestException, ValueError) as error:
        raise SignInRefused(PROVIDER_ERROR) from error
    return {
        "iss": {"essential": True, "value": issuer},
        "aud": {"essential": True, "value": oidc.client_id},
        "sub": {"essential": True},
        "exp": {"essential": True},
        "iat": {"essential": True},
    }


def finish(request) -> tuple[str, dict, str]:
    """Check the provider's answer to the callback; returns (provider key, ID token claims,
    the ID token itself, kept to sign out at the provider later).

    Raises SignInRefused with a code when the answer is not one this service asked for (state),
    the provider refuses the code (for example one already used), or the ID token is not signed
    by the provider, not for this service (audience), expired, or for another sign-in (nonce).
    """
    key = request.session.pop(SESSION_PROVIDER, None)
    if key is None:
        raise SignInRefused(STATE_MISMATCH)
    oidc = client(key)
    try:
        token = oidc.authorize_access_token(
            request, claims_options=_id_token_rules(oidc), leeway=CLOCK_LEEWAY_SECONDS
        )
    except MismatchingStateError as error:
        raise SignInRefused(STATE_MISMATCH) from error
    except ExpiredTokenError as error:
        raise SignInRefused(TOKEN_EXPIRED) from error
    except InvalidClaimError as error:
        reason = WRONG_AUDIENCE if error.claim in {"aud", "azp"} else TOKEN_INVALID
        raise SignInRefused(reason) from error
    except OAuthError as error:
        # The provider said no: an error in the callback, or the code refused at its token
        # endpoint (already used, expired, or issued to another client).
        reason = PROVIDER_ERROR if request.GET.get("error") else CODE_REFUSED
        raise SignInRefused(reason) from error
    except (AuthlibBaseError, JoseError, ValueError) as error:
        raise SignInRefused(TOKEN_INVALID) from error
    except requests.RequestException as error:
        raise SignInRefused(PROVIDER_ERROR) from error
    claims = token.get("userinfo")
    if not claims:
        raise SignInRefused(TOKEN_INVALID)
    claims = dict(claims)
    if "email" not in claims:
        # Providers that keep to the standard strictly give the email claims from the userinfo
        # endpoint rather than in the ID token: ask it, and take its answer only for the same
        # person (sub) the signed ID token names.
        try:
            userinfo = oidc.userinfo(token=token)
        except (AuthlibBaseError, requests.RequestException, ValueError) as error:
            raise SignInRefused(PROVIDER_ERROR) from error
        if userinfo.get("sub") != claims.get("sub"):
            raise SignInRefused(TOKEN_INVALID)
        claims.update({k: v for k, v in userinfo.items() if k not in claims})
    return key, claims, token.get("id_token", "")


def verified_email(key: str, claims: dict) -> str:
    """The email address in the claims, in lower case, if the provider says it checked it."""
    email = (claims.get("email") or "").strip().lower()
    if not email:
        raise SignInRefused(NO_EMAIL)
    verified = claims.get(settings.OIDC_PROVIDERS[key]["verified_claim"])
    if verified is not True and verified != "true":
        raise SignInRefused(UNVERIFIED_EMAIL)
    return email


def end_session_url(key: str, *, id_token: str, post_logout_redirect_uri: str) -> str | None:
    """Where to send someone to sign out at the provider too, if it says how (discovery's
    end_session_endpoint); None if it does not or cannot be reached."""
    oidc = client(key)
    try:
        if not oidc.load_server_metadata().get("end_session_endpoint"):
            return None
    except (requests.RequestException, ValueError):
        return None
    result = oidc.create_logout_url(
        post_logout_redirect_uri=post_logout_redirect_uri,
        id_token_hint=id_token or None,
        client_id=oidc.client_id,
    )
    return result["url"]
