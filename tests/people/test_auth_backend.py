"""The sign-in backend loads the account with its staff record and whether they line manage
anyone, in one query (people/auth.py), and the navigation uses that answer."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people.auth import StaffRecordBackend
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("active_report", "expected"), [(True, True), (False, False), (None, False)]
)
def test_the_user_comes_with_their_staff_record_and_whether_they_have_reports(
    active_report, expected
):
    manager = PersonFactory()
    if active_report is not None:
        PersonFactory(line_manager=manager, is_active=active_report)

    with CaptureQueriesContext(connection) as queries:
        user = StaffRecordBackend().get_user(manager.user.pk)
        person = user.person

    assert len(queries) == 1
    assert person == manager
    assert user.has_reports is expected


def test_the_account_and_staff_record_are_exactly_what_the_orm_loads():
    manager = PersonFactory()
    person = PersonFactory(line_manager=manager)
    user_model = get_user_model()

    loaded = StaffRecordBackend().get_user(person.user.pk)
    expected = user_model.objects.select_related("person").get(pk=person.user.pk)

    for field in user_model._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(expected, field.attname), field.name
    for field in type(person)._meta.concrete_fields:
        mine, theirs = (
            getattr(loaded.person, field.attname),
            getattr(expected.person, field.attname),
        )
        assert mine == theirs, field.name
        assert type(mine) is type(theirs), field.name
    assert loaded.person.user is loaded
    assert not loaded._state.adding
    assert loaded.has_reports is False


def test_an_account_without_a_staff_record_has_none():
    user = get_user_model().objects.create_user(email="no.record@example.gov.uk", password="x")

    loaded = StaffRecordBackend().get_user(str(user.pk))  # as the session holds it

    with pytest.raises(type(user).person.RelatedObjectDoesNotExist):
        loaded.person  # noqa: B018 (no query, and no staff record)
    assert loaded.has_reports is False


@pytest.mark.parametrize("user_id", ["999999", "not a number", None])
def test_a_session_naming_no_account_loads_nobody(user_id):
    assert StaffRecordBackend().get_user(user_id) is None


def test_an_inactive_account_is_not_loaded():
    person = PersonFactory()
    get_user_model().objects.filter(pk=person.user.pk).update(is_active=False)

    assert StaffRecordBackend().get_user(person.user.pk) is None


@pytest.mark.parametrize("has_reports", [True, False])
def test_reviews_are_in_the_navigation_only_for_line_managers(client, has_reports):
    manager = PersonFactory()
    if has_reports:
        PersonFactory(line_manager=manager)
    client.force_login(manager.user, backend="people.auth.StaffRecordBackend")

    html = client.get(reverse("assessments:assessment_list")).content.decode()

    assert (f'href="{reverse("assessments:review_queue")}"' in html) is has_reports
