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
