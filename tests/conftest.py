import pytest

from tests.factories import UserFactory

PASSWORD = "a-long-test-password-123"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Hashed (manifest) names exist only after collectstatic; tests read static files as built.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def user(db):
    return UserFactory(password=PASSWORD)


@pytest.fixture
def admin_user(db):
    return UserFactory(password=PASSWORD, is_staff=True, is_superuser=True)


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client
