import pytest

from tests.oidc_provider import provider_settings, running_provider


@pytest.fixture(scope="session")
def oidc_issuer():
    """A real OpenID provider on loopback for the whole session, for Django's test client."""
    with running_provider(base_url="http://testserver") as issuer:
        yield issuer


@pytest.fixture
def sso(settings, oidc_issuer):
    """careerpath configured with one department's provider, as the environment would."""
    settings.OIDC_PROVIDERS = provider_settings(oidc_issuer)
    return oidc_issuer
