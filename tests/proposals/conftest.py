"""Product management and Operations, each published as version 1 (three levels, four skills
each, every skill with a descriptor at every proficiency), their heads, and a person of every
role in the access matrix."""

import pytest

from people.models import DepartmentalHead
from tests.conftest import PASSWORD
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    ProfessionFactory,
    UserFactory,
    make_framework,
    make_head_of_profession,
)


@pytest.fixture
def product(db):
    profession, _ = make_framework(
        profession=ProfessionFactory(name="Product management", slug="product")
    )
    return profession


@pytest.fixture
def operations(db):
    profession, _ = make_framework(
        profession=ProfessionFactory(name="Operations", slug="operations")
    )
    return profession


@pytest.fixture
def product_version(product):
    return product.versions.get()


@pytest.fixture
def product_level(product):
    return product.levels.order_by("rank").first()


@pytest.fixture
def product_skill(product_level):
    """A skill only Product management uses (its owner)."""
    return product_level.expectations.order_by("skill__name").first().skill


@pytest.fixture
def operations_level(operations):
    return operations.levels.order_by("rank").first()


@pytest.fixture
def head_of_product(product):
    return make_head_of_profession(
        product, email="head.product@example.gov.uk", first_name="Hana", last_name="Head"
    )


@pytest.fixture
def head_of_operations(operations):
    return make_head_of_profession(operations, email="head.operations@example.gov.uk")


@pytest.fixture
def staff(db):
    return PersonFactory(
        user=UserFactory(first_name="Sam", last_name="Staff", password=PASSWORD)
    ).user


@pytest.fixture
def line_manager(db):
    manager = PersonFactory()
    PersonFactory(line_manager=manager)
    return manager.user


@pytest.fixture
def departmental_head(product):
    user = UserFactory()
    DepartmentalHead.objects.create(user=user, profession=product, department=DepartmentFactory())
    return user


@pytest.fixture
def service_admin(admin_user):
    return admin_user


@pytest.fixture
def proposal_for_level(staff, product_version, product_level):
    from proposals.services import proposal_create_for_level

    return proposal_create_for_level(
        by=staff,
        version_id=product_version.pk,
        level_slug=product_level.slug,
        proposed_text="Learns product tactics, then product strategy.",
        why="The current text does not say how the job grows.",
    )


@pytest.fixture
def proposal_for_descriptor(staff, product_version, product_skill):
    from proposals.services import proposal_create_for_descriptor

    return proposal_create_for_descriptor(
        by=staff,
        version_id=product_version.pk,
        skill_slug=product_skill.slug,
        proficiency="practitioner",
        proposed_text="Leads the work on their own and coaches others.",
        why="Practitioners here coach others.",
    )


@pytest.fixture
def propose_many(staff, product_version, product_level):
    """Make `count` proposals by staff for the first Product management level."""
    from proposals.services import proposal_create_for_level

    def make(count):
        for number in range(count):
            proposal_create_for_level(
                by=staff,
                version_id=product_version.pk,
                level_slug=product_level.slug,
                proposed_text=f"Text {number}",
                why="Because.",
            )

    return make
