"""Who heads which profession (roles/permissions.py): every rule, for every kind of user.

Product management and Operations come from tests/roles/conftest.py. Heads of product head
product only; a service administrator (an active superuser) heads both; an inactive user, even
an appointed head or a superuser, heads nothing; nor does an anonymous visitor.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory

from roles import admin as roles_admin
from roles.permissions import (
    can_edit_profession,
    headed_profession_ids,
    profession_for_head_or_404,
    professions_headed_by,
)
from tests.factories import ProfessionFactory, UserFactory, make_head_of_profession

pytestmark = pytest.mark.django_db

# role -> the slugs of the professions that role heads
HEADS = {
    "anonymous": set(),
    "staff": set(),
    "head": {"product"},
    "head_of_another": {"operations"},
    "inactive_head": set(),
    "superuser": {"product", "operations"},
    "inactive_superuser": set(),
}
ROLES = list(HEADS)


@pytest.fixture
def users(product, operations, head_of_product):
    # Appointed while active, as a real head is, then left: still named in Profession.heads.
    leaver = make_head_of_profession(product)
    leaver.is_active = False
    leaver.save(update_fields=["is_active"])
    return {
        "anonymous": AnonymousUser(),
        "staff": UserFactory(is_staff=True),
        "head": head_of_product,
        "head_of_another": make_head_of_profession(operations),
        "inactive_head": leaver,
        "superuser": UserFactory(is_staff=True, is_superuser=True),
        "inactive_superuser": UserFactory(is_staff=True, is_superuser=True, is_active=False),
    }


@pytest.fixture
def professions(product, operations):
    return {"product": product, "operations": operations}


@pytest.mark.parametrize("role", ROLES)
def test_professions_headed_by(users, role):
    headed = professions_headed_by(users[role])

    assert {profession.slug for profession in headed} == HEADS[role]


@pytest.mark.parametrize("role", ROLES)
def test_headed_profession_ids_are_none_only_for_a_service_administrator(users, professions, role):
    ids = headed_profession_ids(users[role])

    if role == "superuser":
        assert ids is None
    else:
        assert ids == {professions[slug].pk for slug in HEADS[role]}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("slug", ["product", "operations"])
def test_can_edit_profession(users, professions, role, slug):
    assert can_edit_profession(users[role], professions[slug]) is (slug in HEADS[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("slug", ["product", "operations"])
def test_profession_for_head_or_404(users, professions, role, slug):
    if slug in HEADS[role]:
        assert profession_for_head_or_404(users[role], slug) == professions[slug]
    else:
        with pytest.raises(Http404):
            profession_for_head_or_404(users[role], slug)


def test_a_profession_that_does_not_exist_is_404_even_for_a_service_administrator(users):
    with pytest.raises(Http404):
        profession_for_head_or_404(users["superuser"], "no-such-profession")


def test_a_profession_created_later_is_headed_by_a_service_administrator_only(users):
    new = ProfessionFactory(slug="new-profession")

    assert can_edit_profession(users["superuser"], new)
    assert not can_edit_profession(users["head"], new)
    assert new not in professions_headed_by(users["head"])


def test_a_head_removed_from_the_heads_heads_nothing(users, product):
    product.heads.remove(users["head"])

    assert not can_edit_profession(users["head"], product)
    assert headed_profession_ids(users["head"]) == set()


def test_a_head_of_two_professions_heads_both(users, professions):
    head = users["head"]
    professions["operations"].heads.add(head)

    assert headed_profession_ids(head) == {p.pk for p in professions.values()}
    assert can_edit_profession(head, professions["operations"])


# --- queries -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "queries"),
    [("anonymous", 0), ("inactive_head", 0), ("superuser", 0), ("head", 1)],
)
def test_headed_profession_ids_asks_the_database_only_for_a_head(
    users, role, queries, django_assert_num_queries
):
    with django_assert_num_queries(queries):
        headed_profession_ids(users[role])


@pytest.mark.parametrize(("role", "queries"), [("anonymous", 0), ("superuser", 1), ("head", 1)])
def test_profession_for_head_or_404_is_at_most_one_query(
    users, role, queries, django_assert_num_queries
):
    with django_assert_num_queries(queries), pytest.raises(Http404):
        profession_for_head_or_404(users[role], "no-such-profession")


def test_the_admin_works_out_the_headed_professions_once_per_request(
    users, professions, django_assert_num_queries
):
    request = RequestFactory().get("/admin/")
    request.user = users["head"]

    with django_assert_num_queries(1):
        first = roles_admin.headed_ids(request)
        second = roles_admin.headed_ids(request)

    assert first == second == {professions["product"].pk}
