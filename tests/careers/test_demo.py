"""careers.demo: the demo member of staff has last year's signed-off assessment against their
level (some skills below, one above), counted in the capability summary, and nothing in
progress."""

import io
from datetime import timedelta

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentEvent, AssessmentStatus, OutcomeCount, SelfAssessment
from assessments.outcomes import compare
from careers import demo as careers_demo
from people import demo as people_demo
from people.models import Person
from roles import demo as roles_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    out = io.StringIO()
    for module in (roles_demo, people_demo, careers_demo):
        assert module.load(password="careerpath-demo", stdout=out) is not None
    return out.getvalue()


def test_staff_has_last_year_s_signed_off_assessment_against_their_level(loaded):
    staff = Person.objects.get(email=careers_demo.STAFF_EMAIL)

    assessment = SelfAssessment.objects.get(person=staff)

    assert assessment.status == AssessmentStatus.SIGNED_OFF
    assert assessment.role_level_id == staff.role_level_id
    assert assessment.reviewer == staff.line_manager
    age = timezone.now() - assessment.signed_off_at
    assert timedelta(days=330) < age < timedelta(days=400)
    assert assessment.created_at < assessment.submitted_at < assessment.signed_off_at
    outcomes = [
        compare(r.manager_proficiency, r.expected_proficiency) for r in assessment.ratings.all()
    ]
    assert outcomes.count("below") == careers_demo.BELOW
    assert outcomes.count("above") == 1
    assert outcomes.count("meeting") == len(outcomes) - careers_demo.BELOW - 1
    assert list(
        AssessmentEvent.objects.filter(assessment=assessment)
        .order_by("at")
        .values_list("kind", flat=True)
    ) == ["started", "submitted", "review_started", "signed_off"]
    assert not SelfAssessment.objects.open().filter(person=staff).exists()
    assert "signed off a year ago" in loaded


def test_it_is_counted_in_the_capability_summary(loaded):
    staff = Person.objects.get(email=careers_demo.STAFF_EMAIL)
    assessment = SelfAssessment.objects.get(person=staff)

    totals = OutcomeCount.objects.filter(
        role_level_id=assessment.role_level_id, department_id=staff.department_id
    ).aggregate(below=Sum("below"), meeting=Sum("meeting"), above=Sum("above"))

    assert totals == {"below": careers_demo.BELOW, "meeting": totals["meeting"], "above": 1}
    assert sum(totals.values()) == assessment.ratings.count()


def test_loading_again_adds_nothing(loaded):
    before = (SelfAssessment.objects.count(), OutcomeCount.objects.aggregate(n=Sum("below")))

    assert careers_demo.load(password="careerpath-demo", stdout=io.StringIO()) == []

    after = (SelfAssessment.objects.count(), OutcomeCount.objects.aggregate(n=Sum("below")))
    assert before == after


def test_the_demo_member_of_staff_s_pages_show_it(client, loaded):
    staff = Person.objects.get(email=careers_demo.STAFF_EMAIL)
    client.force_login(staff.user)

    home = client.get(reverse("careers:home")).content.decode()
    profile = client.get(reverse("careers:profile")).content.decode()

    assert "Your last signed-off assessment" in home
    assert f"{careers_demo.BELOW} below, 1 above what the level expects" in home
    assert "app-chart--dot" in profile


def test_without_the_demo_people_it_does_nothing(db):
    assert careers_demo.load(password="careerpath-demo", stdout=io.StringIO()) == []
    assert not SelfAssessment.objects.exists()
