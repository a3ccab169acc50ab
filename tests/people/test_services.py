import random

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from people.models import Person
from people.services import (
    ACCOUNT_EMAIL_MISMATCH,
    ACCOUNT_LINKED_ELSEWHERE,
    MANAGER_IS_SELF,
    MANAGER_LOOP,
    line_manager_check,
    paths_for,
    person_link_account,
    person_save,
    person_set_line_manager,
)
from tests.factories import DepartmentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def new_person(**fields):
    """A person not saved yet, as the admin's add page makes them."""
    defaults = {
        "staff_number": "N1",
        "name": "New Person",
        "email": "new.person@example.gov.uk",
        "department": DepartmentFactory(),
        "grade": "EO",
    }
    return Person(**{**defaults, **fields})


@pytest.fixture
def tree():
    top = PersonFactory()
    a = PersonFactory(line_manager=top)
    b = PersonFactory(line_manager=top)
    a1 = PersonFactory(line_manager=a)
    a2 = PersonFactory(line_manager=a)
    a11 = PersonFactory(line_manager=a1)
    return top, a, b, a1, a2, a11


def test_moving_a_manager_moves_everyone_below(tree, assert_paths_match_managers):
    top, _a, b, a1, _a2, a11 = tree
    person_set_line_manager(person=a1, manager=b)
    a11.refresh_from_db()
    a1.refresh_from_db()
    assert a1.line_manager == b
    assert a1.management_path == f"/{top.pk}/{b.pk}/{a1.pk}/"
    assert a11.management_path == f"/{top.pk}/{b.pk}/{a1.pk}/{a11.pk}/"
    assert_paths_match_managers()


def test_removing_a_manager_makes_a_new_top(tree, assert_paths_match_managers):
    _top, a, *_ = tree
    person_set_line_manager(person=a, manager=None)
    a.refresh_from_db()
    assert a.management_path == f"/{a.pk}/"
    assert_paths_match_managers()


def test_loop_refused_and_nothing_changes(tree):
    top, a, *_, a11 = tree
    before = dict(Person.objects.values_list("pk", "management_path"))
    with pytest.raises(ValidationError) as error:
        person_set_line_manager(person=a, manager=a11)
    assert MANAGER_LOOP in str(error.value)
    with pytest.raises(ValidationError) as error:
        person_set_line_manager(person=a, manager=a)
    assert MANAGER_IS_SELF in str(error.value)
    assert dict(Person.objects.values_list("pk", "management_path")) == before
    assert Person.objects.get(pk=a.pk).line_manager_id == top.pk


def test_random_moves_keep_every_path_right(assert_paths_match_managers):
    rng = random.Random(42)
    people = [PersonFactory()]
    for _ in range(40):
        people.append(PersonFactory(line_manager=rng.choice(people)))
    for _ in range(150):
        person = Person.objects.get(pk=rng.choice(people).pk)
        manager = rng.choice([*people, None])
        manager = Person.objects.get(pk=manager.pk) if manager else None
        would_loop = manager is not None and manager.management_path.startswith(
            person.subtree_prefix
        )
        if would_loop:
            with pytest.raises(ValidationError):
                person_set_line_manager(person=person, manager=manager)
        else:
            person_set_line_manager(person=person, manager=manager)
    assert_paths_match_managers()


def test_paths_for_finds_loops_and_everyone_below_them():
    paths, looped = paths_for({1: None, 2: 1, 3: 4, 4: 3, 5: 4, 6: 6})
    assert paths == {1: "/1/", 2: "/1/2/"}
    assert looped == {3, 4, 5, 6}


def test_person_save_new_and_changed_manager(tree, assert_paths_match_managers):
    _top, a, b, a1, *_ = tree
    person = new_person(email="New.Person@Example.gov.uk", line_manager=a1)
    person_save(person=person)
    person.refresh_from_db()
    assert person.email == "new.person@example.gov.uk"
    assert person.management_path == f"{a1.management_path}{person.pk}/"
    person.line_manager = b
    person.name = "Renamed"
    person_save(person=person, line_manager_changed=True)
    person.refresh_from_db()
    assert person.name == "Renamed"
    assert person.management_path == f"{b.management_path}{person.pk}/"
    a.line_manager = a1
    with pytest.raises(ValidationError):
        person_save(person=a, line_manager_changed=True)
    assert_paths_match_managers()


def test_person_save_refuses_a_loop_and_keeps_the_rest_unsaved(tree):
    top, a, *_, a11 = tree
    a.name = "Not Saved"
    a.line_manager = a11
    with pytest.raises(ValidationError) as error:
        person_save(person=a, line_manager_changed=True)
    assert error.value.message_dict == {"line_manager": [MANAGER_LOOP]}
    stored = Person.objects.get(pk=a.pk)
    assert stored.name != "Not Saved"
    assert stored.line_manager_id == top.pk


def test_person_save_places_a_new_person_under_the_manager_as_stored(tree):
    top, _a, b, a1, *_ = tree
    manager = Person.objects.get(pk=a1.pk)
    person_set_line_manager(person=a1, manager=b)  # moved after `manager` was read
    person = new_person(line_manager=manager)
    person_save(person=person)
    stored = Person.objects.get(pk=person.pk)
    assert stored.management_path == f"/{top.pk}/{b.pk}/{a1.pk}/{person.pk}/"
    assert person.management_path == stored.management_path


def test_line_manager_check(tree):
    _top, a, b, a1, *_ = tree
    line_manager_check(person=a1, manager=b)
    line_manager_check(person=a1, manager=None)
    line_manager_check(person=Person(), manager=a)  # nobody is below a new person
    with pytest.raises(ValidationError) as error:
        line_manager_check(person=a, manager=a1)
    assert error.value.message_dict == {"line_manager": [MANAGER_LOOP]}
    with pytest.raises(ValidationError) as error:
        line_manager_check(person=a, manager=a)
    assert error.value.message_dict == {"line_manager": [MANAGER_IS_SELF]}


def test_link_account_creates_one_without_a_password():
    person = PersonFactory(user=None, name="Sam Jones", email="no.account@example.gov.uk")
    user = person_link_account(person=person)
    person.refresh_from_db()
    assert person.user == user
    assert user.email == "no.account@example.gov.uk"
    assert not user.has_usable_password()
    assert person_link_account(person=person) == user
    assert User.objects.filter(email=user.email).count() == 1


def test_link_account_refuses_mismatch_and_double_link():
    person = PersonFactory(user=None, name="Sam Jones", email="one@example.gov.uk")
    other = UserFactory(email="two@example.gov.uk")
    with pytest.raises(ValidationError) as error:
        person_link_account(person=person, user=other)
    assert ACCOUNT_EMAIL_MISMATCH in str(error.value)
    holder = PersonFactory()
    # The account's email changed after it was linked; a new record now has that email.
    User.objects.filter(pk=holder.user.pk).update(email="spare@example.gov.uk")
    clash = PersonFactory(user=None, name="Sam Jones", email="spare@example.gov.uk")
    with pytest.raises(ValidationError) as error:
        person_link_account(person=clash)
    assert ACCOUNT_LINKED_ELSEWHERE in str(error.value)
    clash.refresh_from_db()
    assert clash.user is None
