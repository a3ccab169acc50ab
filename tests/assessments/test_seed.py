"""A generated organisation with assessments, for demos and benchmarks (people.seed and
assessments.seed)."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import AssessmentEvent, AssessmentStatus, Rating, SelfAssessment
from assessments.seed import seed_organisation
from people.models import Department, Person
from people.seed import NO_FRAMEWORKS, export_hr_csv
from tests.factories import ProfessionFactory, make_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def frameworks():
    product = ProfessionFactory(name="Product management", slug="product-management")
    operations = ProfessionFactory(name="Operations", slug="operations")
    make_framework(profession=product, levels=5, skills=4)
    make_framework(profession=operations, levels=4, skills=3)
    return product, operations


def test_small_run_has_every_status_and_valid_records(frameworks, assert_paths_match_managers):
    result = seed_organisation(people=120, seed=7)
    assert result.people == 120
    assert Person.objects.count() == 120
    assert set(Department.objects.values_list("acronym", flat=True)) == {
        "DWP",
        "HMRC",
        "MoJ",
        "HO",
        "DfE",
        "CO",
    }
    statuses = set(SelfAssessment.objects.values_list("status", flat=True))
    assert statuses == set(AssessmentStatus.values)
    assert set(Person.objects.values_list("profession__slug", flat=True)) == {
        "product-management",
        "operations",
    }
    assert_paths_match_managers()
    for assessment in SelfAssessment.objects.prefetch_related("ratings", "events"):
        assessment.full_clean()
        ratings = list(assessment.ratings.all())
        level = assessment.role_level
        assert {r.skill_id for r in ratings} == set(
            level.expectations.values_list("skill_id", flat=True)
        )
        kinds = {e.kind for e in assessment.events.all()}
        assert "started" in kinds
        if assessment.status == AssessmentStatus.SIGNED_OFF:
            assert assessment.reviewer_id == assessment.person.line_manager_id
            assert "signed_off" in kinds
            assert all(r.manager_proficiency for r in ratings)
        if assessment.status == AssessmentStatus.RETURNED:
            assert assessment.return_reason
        assert assessment.created_at <= assessment.updated_at
    assert Rating.objects.exists()
    assert AssessmentEvent.objects.exists()


def test_deterministic_with_seed(frameworks):
    seed_organisation(people=40, seed=3, prefix="A")
    seed_organisation(people=40, seed=3, prefix="B")
    seed_organisation(people=40, seed=4, prefix="C")

    def generated(prefix):
        rows = Person.objects.filter(staff_number__startswith=prefix).order_by("staff_number")
        return list(rows.values_list("name", "grade", "role_level", "department"))

    assert generated("A") == generated("B")
    assert generated("A") != generated("C")


def test_tree_depth_and_span_are_sensible(frameworks):
    seed_organisation(people=2000, seed=1)
    depths = [p.count("/") - 1 for p in Person.objects.values_list("management_path", flat=True)]
    assert 3 <= max(depths) <= 6
    managers = Person.objects.filter(direct_reports__isnull=False).distinct()
    for manager in managers[:50]:
        assert 1 <= manager.direct_reports.count() <= 10


def test_refuses_without_frameworks(db, monkeypatch):
    # As if the roles demo content published nothing.
    monkeypatch.setattr("roles.demo.load", lambda **kwargs: [])
    with pytest.raises(CommandError, match=re.escape(NO_FRAMEWORKS)):
        call_command("seed_demo", "--people", "10", stdout=io.StringIO(), stderr=io.StringIO())
    assert Person.objects.count() == 0


def test_loads_roles_demo_when_nothing_is_published(db):
    from roles.models import FrameworkVersion

    result = seed_organisation(people=20, seed=2)
    assert FrameworkVersion.objects.exists()
    assert result.people == 20


def test_command_and_export(frameworks, tmp_path):
    out = io.StringIO()
    target = tmp_path / "hr.csv"
    call_command(
        "seed_demo", "--people", "30", "--export-csv", str(target), stdout=out, stderr=io.StringIO()
    )
    assert "Seeded 30 people" in out.getvalue()
    lines = target.read_text().splitlines()
    assert lines[0].startswith("staff_number,name,email")
    assert len(lines) == 31
    buffer = io.StringIO()
    assert export_hr_csv(buffer) == 30


def test_demo_people_load_twice(db, assert_paths_match_managers):
    from assessments import demo as assessments_demo
    from people import demo
    from roles import demo as roles_demo

    out = io.StringIO()
    roles_demo.load(password="careerpath-demo", stdout=out)  # load_demo's order: roles first
    first = demo.load(password="careerpath-demo", stdout=out)
    assessments_demo.load(password="careerpath-demo", stdout=out)
    second = demo.load(password="careerpath-demo", stdout=out)
    assessments_demo.load(password="careerpath-demo", stdout=out)
    assert first == second
    emails = [email for email, _ in first]
    assert emails == [
        "director@example.gov.uk",
        "manager@example.gov.uk",
        "staff@example.gov.uk",
        "ops.staff@example.gov.uk",
        "head.operations.dwp@example.gov.uk",
    ]
    staff = Person.objects.get(email="staff@example.gov.uk")
    manager = Person.objects.get(email="manager@example.gov.uk")
    director = Person.objects.get(email="director@example.gov.uk")
    ops = Person.objects.get(email="ops.staff@example.gov.uk")
    assert staff.line_manager == manager
    assert manager.line_manager == director
    assert staff.management_path == f"/{director.pk}/{manager.pk}/{staff.pk}/"
    assert staff.role_level.slug == "product-manager"
    assert manager.role_level.slug in ("lead-product-manager", "senior-product-manager")
    assert director.role_level.slug == "head-of-product"
    assert ops.role_level.slug == "team-leader"
    assert staff.user.check_password("careerpath-demo")
    generated = Person.objects.filter(staff_number__startswith=assessments_demo.GENERATED_PREFIX)
    assert generated.count() == assessments_demo.GENERATED
    statuses = set(SelfAssessment.objects.values_list("status", flat=True))
    assert statuses == set(AssessmentStatus.values)
    assert SelfAssessment.objects.filter(person__line_manager=manager, status="submitted").exists()
    assert_paths_match_managers()
