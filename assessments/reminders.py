"""Reminders about reviews left waiting: what `manage.py send_reminders` does, once a day.

A review is overdue when an assessment has waited more than REMIND_AFTER working days since it
was submitted (or resubmitted) and is still submitted or in review. Its line manager is then
reminded once a week; after more than ESCALATE_AFTER working days the manager's own line
manager is told too. Working days are Monday to Friday: bank holidays are not left out, so a
reminder may come a day or two early around them (docs/reviews.md says why that is enough).

Each reminder is a ReviewReminder row for (assessment, waiting period, week), written in its
own transaction with its emails queued for after the commit. The table's unique constraint
makes the command idempotent: run it twice on a day, or two at once, and the second finds the
row and sends nothing.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from people.models import Person

from .emails import REMINDER_SUBJECT
from .models import AssessmentStatus, ReviewReminder, SelfAssessment

REMIND_AFTER = 10  # working days
ESCALATE_AFTER = 20  # working days
WAITING = [AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW]


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Weekdays after `start` up to and including `end` (0 when end is not after start)."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + dt.timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def overdue_from(submitted: dt.date) -> dt.date:
    """The first day on which a review submitted on `submitted` has waited more than
    REMIND_AFTER working days."""
    day = submitted
    while working_days_between(submitted, day) <= REMIND_AFTER:
        day += dt.timedelta(days=1)
    return day


@dataclass(frozen=True)
class Sent:
    """What one reminder did: for the command's output and the tests."""

    assessment_id: int
    week: int
    working_days: int
    to: tuple[str, ...]


def _active(person: Person | None) -> Person | None:
    return person if person is not None and person.is_active and person.email else None


def _emails(assessment, manager, above, working_days, base_url):
    author = assessment.person
    subject = REMINDER_SUBJECT.format(author=author.name, days=working_days)
    context = {
        "assessment": assessment,
        "person": author,
        "manager": manager,
        "working_days": working_days,
        "submitted_on": timezone.localdate(assessment.submitted_at),
    }
    messages = []
    if manager is not None:
        link = base_url + reverse("assessments:review", args=[assessment.pk])
        body = render_to_string(
            "assessments/email/reminder.txt", {**context, "recipient": manager, "link": link}
        )
        messages.append((subject, body, manager.email))
    if above is not None:
        link = base_url + reverse("assessments:team_assessment", args=[assessment.pk])
        body = render_to_string(
            "assessments/email/reminder_above.txt", {**context, "recipient": above, "link": link}
        )
        messages.append((subject, body, above.email))
    return messages


def reminder_send(*, assessment: SelfAssessment, today: dt.date, base_url: str = "") -> Sent | None:
    """Remind about `assessment` if it is overdue and nobody has been reminded this week.
    Returns what was sent, or None. One transaction: the row and its emails, or neither."""
    submitted = timezone.localdate(assessment.submitted_at)
    working_days = working_days_between(submitted, today)
    if working_days <= REMIND_AFTER:
        return None
    week = (today - overdue_from(submitted)).days // 7
    manager = _active(assessment.person.line_manager)
    above = None
    if working_days > ESCALATE_AFTER and manager is not None:
        above = _active(manager.line_manager)
    elif working_days > ESCALATE_AFTER and assessment.person.line_manager is not None:
        # The line manager has left: the one above them is the only one who can act.
        above = _active(assessment.person.line_manager.line_manager)
    if manager is None and above is None:
        return None
    messages = _emails(assessment, manager, above, working_days, base_url)
    try:
        with transaction.atomic():
            ReviewReminder.objects.create(
                assessment=assessment,
                submitted_at=assessment.submitted_at,
                week=week,
                sent_at=timezone.now(),
                working_days=working_days,
                manager=manager,
                manager_above=above,
            )
            for subject, body, to in messages:
                transaction.on_commit(
                    lambda subject=subject, body=body, to=to: send_mail(subject, body, None, [to]),
                    robust=True,
                )
    except IntegrityError:
        return None  # already reminded this week (another run got there first)
    return Sent(assessment.pk, week, working_days, tuple(to for _s, _b, to in messages))


def reminders_send(*, today: dt.date | None = None, base_url: str = "") -> list[Sent]:
    """Send every reminder due `today` (the local date by default)."""
    today = today or timezone.localdate()
    # Ten working days are at least twelve calendar days: nothing newer can be overdue.
    latest = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=12), dt.time.max))
    waiting = SelfAssessment.objects.filter(status__in=WAITING, submitted_at__lte=latest)
    # Reminders already sent, read once so that a day's second run writes nothing at all; the
    # constraint still decides when two runs overlap.
    done = set(
        ReviewReminder.objects.filter(assessment__in=waiting).values_list(
            "assessment_id", "submitted_at", "week"
        )
    )
    sent = []
    rows = waiting.select_related("person__line_manager__line_manager").order_by(
        "submitted_at", "pk"
    )
    for assessment in rows.iterator(chunk_size=500):
        submitted = timezone.localdate(assessment.submitted_at)
        week = (today - overdue_from(submitted)).days // 7
        if (assessment.pk, assessment.submitted_at, week) in done:
            continue
        result = reminder_send(assessment=assessment, today=today, base_url=base_url)
        if result is not None:
            sent.append(result)
    return sent
