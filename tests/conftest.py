import os

import pytest
from django.conf import settings
from django.test import override_settings

from people.models import Person
from tests.factories import UserFactory

PASSWORD = "a-long-test-password-123"


@pytest.fixture(scope="session", autouse=True)
def _a_redis_database_per_test_process():
    """With a shared cache (CI runs on Redis), each test process uses a Redis database of its
    own: tests clear the cache, and clearing one process's must not clear another's."""
    if not settings.SHARED_CACHE:
        yield
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")  # set by pytest-xdist
    number = int(worker.removeprefix("gw"))
    base, _, _db = settings.CACHES["default"]["LOCATION"].rpartition("/")
    caches = {"default": {**settings.CACHES["default"], "LOCATION": f"{base}/{number % 15 + 1}"}}
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Hashed (manifest) names exist only after collectstatic; tests read static files as built.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests sign in thousands of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_framework_cache():
    # Parsed frameworks and page fragments are cached by version id; test databases reuse ids.
    from django.core.cache import cache

    from roles import selectors

    selectors._FRAMEWORKS.clear()
    cache.clear()
    yield
    selectors._FRAMEWORKS.clear()
    cache.clear()


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


@pytest.fixture
def assert_paths_match_managers(db):
    """A check that every stored management path is the chain of line managers above the
    person, from the top of the tree down."""

    def check():
        people = {p.pk: p for p in Person.objects.all()}
        for person in people.values():
            chain = [person.pk]
            node = person
            while node.line_manager_id is not None:
                node = people[node.line_manager_id]
                chain.append(node.pk)
            expected = "/" + "/".join(str(pk) for pk in reversed(chain)) + "/"
            assert person.management_path == expected, person

    return check
