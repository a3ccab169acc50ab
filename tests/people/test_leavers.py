"""A leaver (an inactive staff record) has no powers at all: no review, no reading, no sign-in."""

import pytest
from django.urls import reverse

from assessments.models import AssessmentStatus, SelfAssessment
from people.permissions import person_for
from people.services import person_save
from tests.factories import PersonFactory, make_assessment_for_review, make_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def line():
    _profession, version = make_framework(levels=1, skills=2)
    director = PersonFactory()
    manager = PersonFactory(line_manager=director)
    author = PersonFactory(line_manager=manager)
    return {
        "director": director,
        "manager": manager,
        "assessment": make_assessment_for_review(person=author, version=version),
    }


def leave(person):
    person.is_active = False
    person_save(person=person, line_manager_changed=False)


def test_a_leaver_is_nobody_to_the_access_rules(line):
    manager = line["manager"]
    leave(manager)
    manager.refresh_from_db()

    assert person_for(manager.user) is None


@pytest.mark.parametrize("name", ["review", "review_decision", "team_assessment"])
def test_a_leaver_cannot_open_a_review_they_could_before(client, line, name):
    manager = line["manager"]
    url = reverse(f"assessments:{name}", args=[line["assessment"].pk])
    client.force_login(manager.user)
    assert client.get(url).status_code == 200

    leave(manager)
    manager.user.refresh_from_db()
    manager.user.is_active = True  # even were the account left open, the record decides
    manager.user.save()

    assert client.get(url).status_code == 404


def test_a_leaver_cannot_save_a_review(client, line):
    manager, assessment = line["manager"], line["assessment"]
    client.force_login(manager.user)
    leave(manager)
    manager.user.is_active = True
    manager.user.save()

    step = reverse("assessments:review_step", args=[assessment.pk, 1])
    response = client.post(step, {"lock_version": 1, "next": "continue"})
    agree_all = client.post(
        reverse("assessments:review_agree_remaining", args=[assessment.pk]), {"lock_version": 1}
    )

    assert response.status_code == 404
    assert agree_all.status_code == 404
    assert SelfAssessment.objects.get(pk=assessment.pk).status == AssessmentStatus.SUBMITTED


def test_marking_someone_a_leaver_in_the_admin_closes_their_account(line):
    manager = line["manager"]

    leave(manager)

    manager.user.refresh_from_db()
    assert manager.user.is_active is False
