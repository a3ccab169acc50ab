"""`manage.py apply_retention` (people.retention) with frozen time."""

import datetime
import io

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command

from assessments.models import OutcomeCount, SelfAssessment
from assessments.outcomes import outcome_counts_rebuild
from people.erasure import ERASED_NAME
from people.models import Person
from roles.models import Skill
from tests.factories import (
    PersonFactory,
    make_assessment_for_review,
    make_framework,
    make_sign_in_records,
)

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 1, 1, 9, 0, tzinfo=datetime.UTC)


def run(settings, at, **days):
    settings.RETENTION_LEAVERS_DAYS = days.get("leavers", 30)
    settings.RETENTION_HISTORY_DAYS = days.get("history", 60)
    settings.RETENTION_SIGN_IN_LOG_DAYS = days.get("sign_in", 10)
    out = io.StringIO()
    with time_machine.travel(at, tick=False):
        call_command("apply_retention", stdout=out)
    return out.getvalue()


@pytest.fixture
def leaver_with_assessment():
    with time_machine.travel(START, tick=False):
        _profession, version = make_framework(levels=1, skills=2)
        leaver = PersonFactory(name="Lena Leaver")
        make_assessment_for_review(person=leaver, version=version, status="signed_off")
        outcome_counts_rebuild()
        leaver.is_active = False
        leaver.save(update_fields=["is_active"])
    return leaver


def test_a_leaver_is_erased_only_after_the_period(settings, leaver_with_assessment):
    leaver = leaver_with_assessment
    counts = list(OutcomeCount.objects.values_list("below", "meeting", "above"))

    out = run(settings, START)
    assert "Leavers first seen inactive: 1" in out
    assert Person.objects.get(pk=leaver.pk).left_at == START

    out = run(settings, START + datetime.timedelta(days=29))
    assert "Leavers erased (over 30 days): 0" in out
    assert Person.objects.get(pk=leaver.pk).name == "Lena Leaver"

    out = run(settings, START + datetime.timedelta(days=30))
    assert "Leavers erased (over 30 days): 1" in out
    assert Person.objects.get(pk=leaver.pk).name == ERASED_NAME
    assert not SelfAssessment.objects.filter(person=leaver).exists()
    assert list(OutcomeCount.objects.values_list("below", "meeting", "above")) == counts

    # Idempotent: the next day's run finds nothing more to do.
    out = run(settings, START + datetime.timedelta(days=31))
    assert "Leavers erased (over 30 days): 0" in out
    assert "Leavers not erased (refused): 0" in out


def test_someone_who_comes_back_is_not_erased(settings, leaver_with_assessment):
    leaver = leaver_with_assessment
    run(settings, START)
    Person.objects.filter(pk=leaver.pk).update(is_active=True)
    out = run(settings, START + datetime.timedelta(days=40))
    assert "Leavers back in post (period cleared): 1" in out
    person = Person.objects.get(pk=leaver.pk)
    assert person.name == "Lena Leaver"
    assert person.left_at is None


def test_active_staff_are_never_erased(settings):
    with time_machine.travel(START, tick=False):
        person = PersonFactory(name="Stella Staying")
    run(settings, START + datetime.timedelta(days=5000))
    assert Person.objects.get(pk=person.pk).name == "Stella Staying"


def test_old_history_rows_go_and_recent_ones_stay(settings):
    with time_machine.travel(START, tick=False):
        make_framework(levels=1, skills=1, publish=False)
    with time_machine.travel(START + datetime.timedelta(days=50), tick=False):
        skill = Skill.objects.get()
        skill.description = "Changed later"
        skill.save()
    assert skill.history.count() == 2

    out = run(settings, START + datetime.timedelta(days=61))
    assert "History rows deleted (over 60 days): " in out
    assert skill.history.count() == 1
    assert skill.history.get().description == "Changed later"
    assert "History rows deleted (over 60 days): 0" in run(
        settings, START + datetime.timedelta(days=62)
    )


def test_old_sign_in_records_and_expired_sessions_go(settings):
    with time_machine.travel(START, tick=False):
        old, _log = make_sign_in_records("old@example.gov.uk")
        expired = SessionStore()
        expired["n"] = 1
        expired.set_expiry(60)
        expired.save()
    with time_machine.travel(START + datetime.timedelta(days=9), tick=False):
        recent, _log = make_sign_in_records("recent@example.gov.uk")
        live = SessionStore()
        live["n"] = 2
        live.set_expiry(7 * 24 * 3600)
        live.save()

    out = run(settings, START + datetime.timedelta(days=11))
    assert "Sign-in records deleted (over 10 days): 2" in out
    assert "Expired sessions deleted: 1" in out
    assert not AccessAttempt.objects.filter(pk=old.pk).exists()
    assert AccessAttempt.objects.filter(pk=recent.pk).exists()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    out = run(settings, START + datetime.timedelta(days=11))
    assert "Sign-in records deleted (over 10 days): 0" in out
    assert "Expired sessions deleted: 0" in out
