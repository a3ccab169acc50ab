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
