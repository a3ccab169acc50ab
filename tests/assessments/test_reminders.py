"""send_reminders: overdue reviews remind the line manager weekly, and the manager above after
20 working days; idempotent, and held to once a week by a database constraint."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments import emails, reminders
from assessments.models import AssessmentStatus, ReviewReminder
from tests.factories import PersonFactory, make_assessment_for_review

BASE = "https://careerpath.example"
# A Monday; ten working days later is Monday 16 March, so the review is overdue from Tuesday 17.
SUBMITTED = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def day(month, number):
    return dt.date(2026, month, number)


def run_on(date, capture):
    """Run the command as cron would at 6am on `date`; the emails it sent that run."""
    before = len(mail.outbox)
    moment = timezone.make_aware(dt.datetime.combine(date, dt.time(6, 0)))
    with time_machine.travel(moment, tick=False), capture(execute=True):
        out = StringIO()
        call_command("send_reminders", base_url=BASE, stdout=out)
    return mail.outbox[before:]


@pytest.fixture
def waiting(author, version):
    return make_assessment_for_review(person=author, version=version, submitted_at=SUBMITTED)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (day(3, 2), day(3, 2), 0),
        (day(3, 6), day(3, 9), 1),  # Friday to Monday
        (day(3, 7), day(3, 8), 0),  # Saturday to Sunday
        (day(3, 2), day(3, 16), 10),
        (day(3, 2), day(3, 31), 21),
        (day(3, 9), day(3, 2), 0),
    ],
)
def test_working_days_leave_out_weekends(start, end, expected):
    assert reminders.working_days_between(start, end) == expected


def test_nothing_is_sent_until_more_than_ten_working_days(
    waiting, django_capture_on_commit_callbacks
):
    for date in [day(3, 3), day(3, 9), day(3, 13), day(3, 16)]:
        assert run_on(date, django_capture_on_commit_callbacks) == []

    assert not ReviewReminder.objects.exists()


def test_the_manager_is_reminded_weekly_and_the_one_above_after_twenty_days(
    waiting, manager, director, django_capture_on_commit_callbacks
):
    sent = {}
    date = day(3, 2)
    while date <= day(4, 8):
        messages = run_on(date, django_capture_on_commit_callbacks)
        if messages:
            sent[date] = sorted(message.to[0] for message in messages)
        date += dt.timedelta(days=1)

    assert sent == {
        day(3, 17): [manager.email],
        day(3, 24): [manager.email],
        day(3, 31): sorted([manager.email, director.email]),
        day(4, 7): sorted([manager.email, director.email]),
    }
    rows = list(ReviewReminder.objects.order_by("week").values_list("week", "working_days"))
    assert rows == [(0, 11), (1, 16), (2, 21), (3, 26)]


def test_each_email_links_to_the_page_it_is_about(
    waiting, manager, director, django_capture_on_commit_callbacks
):
    messages = run_on(day(3, 31), django_capture_on_commit_callbacks)

    by_recipient = {message.to[0]: message for message in messages}
    to_manager = by_recipient[manager.email]
    to_above = by_recipient[director.email]
    review = BASE + reverse("assessments:review", args=[waiting.pk])
    read = BASE + reverse("assessments:team_assessment", args=[waiting.pk])
    assert review in to_manager.body
    assert read in to_above.body
    assert to_manager.subject == emails.REMINDER_SUBJECT.format(author="Sam Staff", days=21)
    assert "2 March 2026" in to_manager.body
    assert "Mo Manager" in to_above.body


def test_running_twice_a_day_sends_once(waiting, django_capture_on_commit_callbacks):
    first = run_on(day(3, 17), django_capture_on_commit_callbacks)
    second = run_on(day(3, 17), django_capture_on_commit_callbacks)
    later_that_week = run_on(day(3, 20), django_capture_on_commit_callbacks)

    assert len(first) == 1
    assert second == []
    assert later_that_week == []
    assert ReviewReminder.objects.count() == 1


def test_the_database_refuses_a_second_reminder_for_the_same_week(waiting):
    fields = {
        "assessment": waiting,
        "submitted_at": waiting.submitted_at,
        "week": 0,
        "sent_at": timezone.now(),
        "working_days": 11,
    }
    ReviewReminder.objects.create(**fields)

    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewReminder.objects.create(**fields)

    assert ReviewReminder.objects.count() == 1


def test_a_run_that_loses_the_race_sends_nothing(waiting, django_capture_on_commit_callbacks):
    """Two runs at once: the second finds the row the first wrote only at its insert."""
    today = day(3, 17)
    ReviewReminder.objects.create(
        assessment=waiting,
        submitted_at=waiting.submitted_at,
        week=0,
        sent_at=timezone.now(),
        working_days=11,
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = reminders.reminder_send(assessment=waiting, today=today, base_url=BASE)

    assert result is None
    assert callbacks == []
    assert mail.outbox == []
    assert ReviewReminder.objects.count() == 1


@pytest.mark.parametrize(
    "status", [AssessmentStatus.SIGNED_OFF, AssessmentStatus.RETURNED, AssessmentStatus.DRAFT]
)
def test_only_reviews_still_waiting_are_reminded(
    assessment_in, status, django_capture_on_commit_callbacks
):
    fields = {} if status == AssessmentStatus.DRAFT else {"submitted_at": SUBMITTED}
    assessment_in(status, **fields)

    assert run_on(day(3, 17), django_capture_on_commit_callbacks) == []


def test_in_review_is_still_waiting(assessment_in, manager, django_capture_on_commit_callbacks):
    assessment_in(AssessmentStatus.IN_REVIEW, submitted_at=SUBMITTED)

    messages = run_on(day(3, 17), django_capture_on_commit_callbacks)

    assert [message.to for message in messages] == [[manager.email]]


def test_a_resubmission_starts_waiting_again(waiting, django_capture_on_commit_callbacks):
    run_on(day(3, 17), django_capture_on_commit_callbacks)
    waiting.submitted_at = dt.datetime(2026, 3, 18, 9, 0, tzinfo=dt.UTC)
    waiting.save()

    assert run_on(day(3, 24), django_capture_on_commit_callbacks) == []
    assert len(run_on(day(4, 2), django_capture_on_commit_callbacks)) == 1
    assert ReviewReminder.objects.count() == 2


def test_a_manager_who_has_left_is_not_emailed_but_the_one_above_is_after_twenty_days(
    waiting, manager, director, django_capture_on_commit_callbacks
):
    manager.is_active = False
    manager.save()

    assert run_on(day(3, 17), django_capture_on_commit_callbacks) == []
    messages = run_on(day(3, 31), django_capture_on_commit_callbacks)

    assert [message.to for message in messages] == [[director.email]]
    assert "Their line manager has left" in messages[0].body


def test_nobody_to_tell_records_nothing(version, django_capture_on_commit_callbacks):
    make_assessment_for_review(
        person=PersonFactory(line_manager=None), version=version, submitted_at=SUBMITTED
    )

    assert run_on(day(3, 31), django_capture_on_commit_callbacks) == []
    assert not ReviewReminder.objects.exists()


def test_the_command_needs_the_service_address():
    with pytest.raises(Exception, match="base-url"):
        call_command("send_reminders")
