"""The people and frameworks the career tests share.

One reporting line, director > manager > author, with a colleague of the author's; a published
framework of three levels of three skills (Awareness, Working, Practitioner by level, grades HEO
and SEO); the author is at its first level, grade HEO. A second profession, `other`, shares one
skill with the first and has a level at HEO (a sideways move for the author) and one at G7.
A service administrator is tests/conftest.py's `admin_user` (no staff record).
"""

import pytest
from django.utils import timezone

from assessments.models import Rating
from roles.models import RoleLevel
from roles.services import framework_publish
from tests.factories import (
    ExpectationFactory,
    LearningResourceFactory,
    PersonFactory,
    ProfessionFactory,
    RoleLevelFactory,
    SkillFactory,
    make_assessment_for_review,
    make_framework,
    make_person_at_level,
)


@pytest.fixture
def framework(db):
    """(profession, version): three levels, each expecting the same three skills."""
    return make_framework(levels=3, skills=3)


@pytest.fixture
def profession(framework):
    return framework[0]


@pytest.fixture
def version(framework):
    return framework[1]


@pytest.fixture
def levels(profession):
    return list(RoleLevel.objects.filter(profession=profession).order_by("rank"))


@pytest.fixture
def skills(levels):
    """The framework's three skills, in the order its levels list them."""
    return [e.skill for e in levels[0].expectations.select_related("skill").order_by("skill__name")]


@pytest.fixture
def other(skills):
    """(profession, version): "Operations for tests", whose first level (HEO) expects the first
    skill at Awareness and a skill of its own at Working, and second level (G7) both at
    Practitioner."""
    profession = ProfessionFactory(name="Operations for tests", slug="operations-for-tests")
    own_skill = SkillFactory(name="Casework", slug="casework")
    LearningResourceFactory(skill=own_skill, title="Casework basics", proficiency="")
    first = RoleLevelFactory(
        profession=profession, rank=1, name="Case officer", slug="case-officer", grades=["HEO"]
    )
    second = RoleLevelFactory(
        profession=profession, rank=2, name="Case manager", slug="case-manager", grades=["G7"]
    )
    ExpectationFactory(role_level=first, skill=skills[0], proficiency="awareness")
    ExpectationFactory(role_level=first, skill=own_skill, proficiency="working")
    ExpectationFactory(role_level=second, skill=skills[0], proficiency="practitioner")
    ExpectationFactory(role_level=second, skill=own_skill, proficiency="practitioner")
    version = framework_publish(profession=profession, by=None, change_note="First")
    return profession, version


@pytest.fixture
def director(db):
    return PersonFactory(name="Dana Director")


@pytest.fixture
def manager(director):
    return PersonFactory(name="Mo Manager", line_manager=director)


@pytest.fixture
def author(profession, manager):
    """A member of staff at the first level of the framework's profession, grade HEO."""
    return make_person_at_level(
        profession, rank=1, name="Sam Staff", line_manager=manager, grade="HEO"
    )


@pytest.fixture
def colleague(manager):
    return PersonFactory(name="Cam Colleague", line_manager=manager)


def sign_off(person, version, *, rank=1, agreed, own=None, when=None, **fields):
    """`person`'s assessment against the level of this rank, signed off by their line manager
    `when` (now by default), with the agreed proficiency of each skill given in the level's
    order (and their own rating, the same unless `own` is given)."""
    assessment = make_assessment_for_review(
        person=person,
        version=version,
        level_rank=rank,
        status="signed_off",
        signed_off_at=when or timezone.now(),
        **fields,
    )
    ratings = list(assessment.ratings.order_by("position"))
    assert len(ratings) == len(agreed)
    for index, rating in enumerate(ratings):
        rating.manager_proficiency = agreed[index]
        rating.self_proficiency = (own or agreed)[index]
    Rating.objects.bulk_update(ratings, ["manager_proficiency", "self_proficiency"])
    return assessment


@pytest.fixture
def signed_off(author, version):
    """The author's assessment against their level (every skill expected at Awareness),
    signed off: the first skill agreed at Awareness though the author said Working, the second
    at Working (above), the third at Awareness."""
    return sign_off(
        author,
        version,
        agreed=["awareness", "working", "awareness"],
        own=["working", "working", "awareness"],
    )


@pytest.fixture
def author_client(client, author):
    client.force_login(author.user)
    return client
