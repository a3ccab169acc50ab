"""Fixtures shared by the roles tests: Product management and Operations, and a head of product.

Both professions are published as version 1 unless a test module overrides `published`.
"""

import pytest

from tests.factories import ProfessionFactory, make_framework, make_head_of_profession


@pytest.fixture
def published():
    """Whether `product` and `operations` start with a published version 1."""
    return True


@pytest.fixture
def product(db, published):
    profession, _ = make_framework(
        profession=ProfessionFactory(name="Product management", slug="product"),
        publish=published,
    )
    return profession


@pytest.fixture
def operations(db, published):
    profession, _ = make_framework(
        profession=ProfessionFactory(name="Operations", slug="operations"), publish=published
    )
    return profession


@pytest.fixture
def head_of_product(product):
    return make_head_of_profession(product, email="head.product@example.gov.uk")


@pytest.fixture
def head_client(client, head_of_product):
    client.force_login(head_of_product)
    return client


@pytest.fixture
def head_of_operations(operations):
    return make_head_of_profession(operations, email="head.operations@example.gov.uk")


# The roles of the access matrix that the admin's framework pages know, each with the status a
# page of Product management answers them with (302: to sign in; 404: not theirs to know).
ADMIN_ROLES = [
    ("anonymous", 302),
    ("staff", 404),
    ("head of this profession", 200),
    ("head of another profession", 404),
    ("service administrator", 200),
]


@pytest.fixture
def sign_in_as(client, head_of_product, head_of_operations):
    """sign_in_as(role): the test client signed in as one of ADMIN_ROLES (this profession is
    Product management)."""
    from tests.factories import UserFactory

    def sign_in(role):
        user = {
            "anonymous": None,
            "staff": UserFactory(is_staff=True),
            "head of this profession": head_of_product,
            "head of another profession": head_of_operations,
            "service administrator": UserFactory(is_staff=True, is_superuser=True),
        }[role]
        if user is not None:
            client.force_login(user)
        return client

    return sign_in
