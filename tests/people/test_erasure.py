"""Erasing a leaver's personal data (people.erasure.person_erase and the admin action)."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessLog
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.security_log import ERASURE
from assessments.models import (
    AssessmentEvent,
    OutcomeCount,
    PlanAction,
    PlanComment,
    Rating,
    SelfAssessment,
)
from assessments.outcomes import outcome_counts_rebuild
from people.erasure import ERASED_NAME, NOT_A_LEAVER, person_erase
from people.models import Person
from proposals.models import Proposal
from proposals.services import proposal_create_for_level
from tests.factories import (
    PersonFactory,
    UserFactory,
    level_slug,
    make_assessment_for_review,
    make_framework,
    make_head_of_profession,
    make_sign_in_records,
)

pytestmark = pytest.mark.django_db

NAME = "Zebediah Quillfeather"
EMAIL = "zebediah.quillfeather@example.gov.uk"
STAFF_NUMBER = "ZQ424242"
EVIDENCE = "Canary evidence: I led the Quillfeather migration"
PLAN_TITLE = "Canary plan: shadow the Quillfeather team"
WHY = "Canary why: the Quillfeather level reads badly"
CANARIES = [NAME, "Quillfeather", EMAIL, STAFF_NUMBER, EVIDENCE, PLAN_TITLE, WHY]


def _plan_action(person, skill, title):
    return PlanAction.objects.create(
        person=person,
        skill=skill,
        skill_name=skill.name,
        title=title,
        target_date=datetime.date(2030, 1, 1),
    )


@pytest.fixture
def world(client):
    """A leaver with everything the service can hold about someone, a colleague with theirs,
    and the anonymous counts built from both."""
    profession, version = make_framework(levels=2, skills=2)
    manager = PersonFactory(name="Mina Manager")
    user = UserFactory(email=EMAIL, first_name="Zebediah", last_name="Quillfeather")
    leaver = PersonFactory(
        user=user, name=NAME, email=EMAIL, staff_number=STAFF_NUMBER, line_manager=manager
    )
    report = PersonFactory(name="Rita Report", line_manager=leaver)
    own = make_assessment_for_review(
        person=leaver, version=version, status="signed_off", evidence=EVIDENCE, reviewer=manager
    )
    AssessmentEvent.objects.create(assessment=own, kind="started", at=timezone.now(), by=leaver)
    # What the leaver did to a colleague's records stays with the colleague.
    reviewed = make_assessment_for_review(
        person=report, version=version, status="signed_off", reviewer=leaver
    )
    AssessmentEvent.objects.create(
        assessment=reviewed, kind="signed_off", at=timezone.now(), by=leaver
    )
    skill = own.ratings.first().skill
    action = _plan_action(leaver, skill, PLAN_TITLE)
    PlanComment.objects.create(action=action, author=manager, text="Manager's comment")
    report_action = _plan_action(report, skill, "Report's own action")
    PlanComment.objects.create(action=report_action, author=leaver, text="A comment on Rita")
    proposal_create_for_level(
        by=user,
        version_id=version.pk,
        level_slug=level_slug(version, 1),
        proposed_text="New words",
        why=WHY,
    )
    make_head_of_profession(profession)  # someone else's role, untouched
    profession.heads.add(user)
    client.force_login(user)  # a session (signing in clears earlier attempts, so it is first)
    make_sign_in_records(EMAIL)
    leaver.is_active = False
    leaver.save(update_fields=["is_active"])
    outcome_counts_rebuild()
    return {"leaver": leaver, "user": user, "report": report, "manager": manager}


def _counts():
    return sorted(
        OutcomeCount.objects.values_list(
            "profession",
            "department",
            "role_level",
            "grade",
            "quarter",
            "skill",
            "below",
            "meeting",
            "above",
        )
    )


def _rows_containing(text):
    """(model, field) pairs where any row holds `text` in a text column, in every table."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                lookup = {f"{field.attname}__icontains": text}
                if model._default_manager.filter(**lookup).exists():
                    found.append((model.__name__, field.name))
    return found


def _sessions_of(user_id):
    return [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user_id)
    ]


def test_erasure_removes_every_trace_and_keeps_the_counts(world, caplog):
    leaver, user = world["leaver"], world["user"]
    counts = _counts()
    assert counts
    for canary in CANARIES:
        assert _rows_containing(canary), canary  # the fixture really holds each one
    assert _sessions_of(user.pk)
    others = {
        "assessments": SelfAssessment.objects.exclude(person=leaver).count(),
        "ratings": Rating.objects.exclude(assessment__person=leaver).count(),
        "plan": PlanAction.objects.exclude(person=leaver).count(),
        "comments": PlanComment.objects.exclude(action__person=leaver).count(),
        "people": Person.objects.count(),
    }

    with caplog.at_level("INFO", logger="careerpath.security"):
        person_erase(person_id=leaver.pk)

    for canary in CANARIES:
        assert _rows_containing(canary) == [], canary
    assert not SelfAssessment.objects.filter(person=leaver).exists()
    assert not Rating.objects.filter(assessment__person=leaver).exists()
    assert not AssessmentEvent.objects.filter(assessment__person=leaver).exists()
    assert not PlanAction.objects.filter(person=leaver).exists()
    assert not PlanComment.objects.filter(action__person=leaver).exists()
    assert not Proposal.objects.filter(proposed_by=user).exists()
    assert not AccessAttempt.objects.filter(username__iexact=EMAIL).exists()
    assert not AccessLog.objects.filter(username__iexact=EMAIL).exists()
    assert _sessions_of(user.pk) == []
    assert not user.headed_professions.exists()
    erased = Person.objects.get(pk=leaver.pk)
    assert erased.name == ERASED_NAME
    assert erased.user_id is None
    assert erased.erased_at
    account = type(user).objects.get(pk=user.pk)
    assert not account.is_active
    assert not account.has_usable_password()
    assert account.first_name == account.last_name == ""
    assert account.last_login is None
    # Everyone else's records are as they were, and the anonymous counts did not change.
    assert _counts() == counts
    assert SelfAssessment.objects.count() == others["assessments"]
    assert Rating.objects.count() == others["ratings"]
    assert PlanAction.objects.count() == others["plan"]
    assert PlanComment.objects.count() == others["comments"]
    assert Person.objects.count() == others["people"]
    assert SelfAssessment.objects.get(person=world["report"]).reviewer_id == leaver.pk
    lines = [r.getMessage() for r in caplog.records if ERASURE in r.getMessage()]
    assert len(lines) == 1
    assert str(leaver.pk) in lines[0]
    assert "Quillfeather" not in lines[0]


def test_refused_for_an_active_person(world):
    report = world["report"]
    before = (Person.objects.get(pk=report.pk).name, SelfAssessment.objects.count())
    with pytest.raises(ValidationError) as error:
        person_erase(person_id=report.pk)
    assert error.value.messages == [NOT_A_LEAVER]
    assert (Person.objects.get(pk=report.pk).name, SelfAssessment.objects.count()) == before


def test_erasing_twice_is_refused_and_changes_nothing(world):
    person_erase(person_id=world["leaver"].pk)
    with pytest.raises(ValidationError):
        person_erase(person_id=world["leaver"].pk)


def test_a_person_without_an_account(world):
    leaver = PersonFactory(
        user=None, name="No Account", email="no.account@example.gov.uk", is_active=False
    )
    person_erase(person_id=leaver.pk)
    assert Person.objects.get(pk=leaver.pk).name == ERASED_NAME


# --- the admin action ---------------------------------------------------------------------
def _action(client, ids, *, confirm):
    data = {"action": "erase_personal_data", "_selected_action": [str(i) for i in ids]}
    if confirm:
        data["confirm"] = "yes"
    return client.post(reverse("admin:people_person_changelist"), data)


def test_admin_asks_then_erases(world, admin_client):
    leaver = world["leaver"]
    response = _action(admin_client, [leaver.pk, world["report"].pk], confirm=False)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Yes, erase their personal data" in page
    assert NAME in page
    assert escape(NOT_A_LEAVER) in page
    assert "Rita Report" in page
    assert Person.objects.get(pk=leaver.pk).name == NAME  # nothing yet

    response = _action(admin_client, [leaver.pk, world["report"].pk], confirm=True)
    assert response.status_code == 302
    assert Person.objects.get(pk=leaver.pk).name == ERASED_NAME
    assert Person.objects.get(pk=world["report"].pk).name == "Rita Report"


def test_admin_forged_ids_change_nothing(world, admin_client):
    before = (_counts(), SelfAssessment.objects.count(), list(Person.objects.values()))
    response = _action(admin_client, [999999, world["report"].pk, "x"], confirm=True)
    assert response.status_code in (200, 302)
    assert (_counts(), SelfAssessment.objects.count(), list(Person.objects.values())) == before


@pytest.mark.parametrize("role", ["anonymous", "staff", "line_manager", "head", "departmental"])
def test_admin_action_refused_for_everyone_else(world, client, role):
    from people.models import DepartmentalHead

    leaver = world["leaver"]
    if role == "staff":
        client.force_login(world["report"].user)
    elif role == "line_manager":
        client.force_login(world["manager"].user)
    elif role == "head":
        client.force_login(make_head_of_profession(make_framework(levels=1, skills=1)[0]))
    elif role == "departmental":
        head = UserFactory(is_staff=True)
        profession = make_framework(levels=1, skills=1)[0]
        DepartmentalHead.objects.create(
            user=head, profession=profession, department=leaver.department
        )
        client.force_login(head)
    else:
        client.logout()
    response = _action(client, [leaver.pk], confirm=True)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith(("/sign-in/", "/admin/login/"))
    assert Person.objects.get(pk=leaver.pk).name == NAME
    assert SelfAssessment.objects.filter(person=leaver).exists()


def test_an_erased_record_cannot_be_edited_back_to_life(world, admin_client):
    leaver = world["leaver"]
    person_erase(person_id=leaver.pk)
    url = reverse("admin:people_person_change", args=[leaver.pk])

    response = admin_client.post(url, {"name": NAME, "is_active": "on"})

    assert response.status_code == 403
    erased = Person.objects.get(pk=leaver.pk)
    assert erased.name == ERASED_NAME
    assert not erased.is_active
    assert admin_client.get(url).status_code == 200  # still readable, as a placeholder


def test_the_confirmation_page_query_count_does_not_grow(
    world, admin_client, django_assert_max_num_queries
):
    few = [world["leaver"].pk]
    many = few + [PersonFactory(is_active=False).pk for _ in range(5)]
    with django_assert_max_num_queries(20) as small:
        _action(admin_client, few, confirm=False)
    with django_assert_max_num_queries(20) as large:
        _action(admin_client, many, confirm=False)
    assert len(large.captured_queries) == len(small.captured_queries)
