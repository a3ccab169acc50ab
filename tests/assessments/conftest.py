"""The people and the framework the assessment tests share.

One reporting line, director > manager > author, with a colleague of the author's in the same
team, and a published framework of three levels of three skills; the author's current job is
its first level. A service administrator is tests/conftest.py's `admin_user` (no staff record).
A test file that needs other data overrides a fixture by name and says why.
"""

import pytest

from assessments.models import AssessmentStatus
from tests.factories import (
    PersonFactory,
    make_assessment_for_review,
    make_framework,
    make_person_at_level,
)


@pytest.fixture
def framework(db):
    """(profession, version): three levels, each expecting the same three skills."""
    return make_framework(levels=3, skills=3)


@pytest.fixture
def version(framework):
    return framework[1]


@pytest.fixture
def director(db):
    return PersonFactory(name="Dana Director")


@pytest.fixture
def manager(director):
    """The author's line manager."""
    return PersonFactory(name="Mo Manager", line_manager=director)


@pytest.fixture
def author(framework, manager):
    """A member of staff at the first level of the framework's profession."""
    profession, _version = framework
    return make_person_at_level(profession, rank=1, name="Sam Staff", line_manager=manager)


@pytest.fixture
def colleague(manager):
    """In the author's team: same line manager, but no one the author manages or reports to."""
    return PersonFactory(line_manager=manager)


@pytest.fixture
def assessment_in(author, version):
    """make(status, **fields): the author's assessment against the first level, in `status`,
    with the fields that status needs (tests.factories.make_assessment_for_review)."""

    def make(status, **fields):
        return make_assessment_for_review(person=author, version=version, status=status, **fields)

    return make


@pytest.fixture
def assessment(assessment_in):
    """The author's assessment, submitted and waiting for their line manager's review."""
    return assessment_in(AssessmentStatus.SUBMITTED)


@pytest.fixture
def author_client(client, author):
    """The test client signed in as the author (the same client as manager_client)."""
    client.force_login(author.user)
    return client


@pytest.fixture
def manager_client(client, manager):
    """The test client signed in as the line manager (the same client as author_client)."""
    client.force_login(manager.user)
    return client
