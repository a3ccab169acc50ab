import json

import pytest
from django.urls import reverse

from assessments.models import AssessmentEvent, Rating, SelfAssessment
from assessments.seed import seed_organisation
from people.subject_access import person_subject_access
from tests.factories import PersonFactory, UserFactory, make_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    make_framework(levels=3, skills=3)
    seed_organisation(people=60, seed=5)
    # Someone with assessments in several states, and one with a history.
    assessment = SelfAssessment.objects.filter(status="signed_off").first()
    return assessment.person


def url(person):
    return reverse("admin:people_person_subject_access", args=[person.pk])


def test_export_holds_record_account_and_every_assessment(admin_client, seeded):
    person = seeded
    user = UserFactory(email=person.email)
    person.user = user
    person.save(update_fields=["user"])
    Rating.objects.filter(assessment__person=person).update(evidence="<b>my evidence</b>")
    response = admin_client.get(url(person))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["person"]["staff_number"] == person.staff_number
    assert data["person"]["email"] == person.email
    assert data["account"]["email"] == user.email
    assert "last_login" in data["account"]
    assert "password" not in json.dumps(data["account"]).replace("has_password", "")
    assert user.password not in response.content.decode()
    assessments = SelfAssessment.objects.filter(person=person)
    assert len(data["assessments"]) == assessments.count()
    exported = data["assessments"][0]
    assert exported["ratings"]
    assert exported["ratings"][0]["evidence"] == "<b>my evidence</b>"
    assert {e["kind"] for e in exported["events"]} >= {"started"}
    total_events = AssessmentEvent.objects.filter(assessment__person=person).count()
    assert sum(len(a["events"]) for a in data["assessments"]) == total_events


def test_only_superusers(client, seeded):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(url(seeded)).status_code in (403, 404)
    client.force_login(seeded.user or UserFactory())
    assert client.get(url(seeded)).status_code == 302
    client.logout()
    assert client.get(url(seeded)).status_code == 302


def test_unknown_person_is_404(admin_client, db):
    response = admin_client.get(reverse("admin:people_person_subject_access", args=[999999]))
    assert response.status_code == 404


def test_person_without_account_or_assessments(db):
    person = PersonFactory(user=None, name="No Account", email="none@example.gov.uk")
    data = person_subject_access(person)
    assert data["account"] is None
    assert data["assessments"] == []


def test_query_count_does_not_grow_with_history(seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        person_subject_access(seeded)
