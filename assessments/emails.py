"""Plain-text emails about self-assessments, sent only once the change they report is committed.

assessments.lifecycle names the email of each transition; this module knows who receives it,
its subject, its template and the page it links to.
"""

from dataclasses import dataclass
from enum import Enum

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from people.models import Person

from .models import SelfAssessment

SIGNED_OFF_SUBJECT = "Your line manager has signed off your self-assessment"
RETURNED_SUBJECT = "Your line manager has returned your self-assessment"
SUBMITTED_SUBJECT = "{author} has submitted a self-assessment for you to review"
RESUBMITTED_SUBJECT = "{author} has changed and resubmitted their self-assessment for you to review"
REMINDER_SUBJECT = "{author}'s self-assessment has waited {days} working days for a review"


class Email(Enum):
    SUBMITTED = "submitted"
    RESUBMITTED = "resubmitted"
    SIGNED_OFF = "signed_off"
    RETURNED = "returned"


# Emails to the line manager, linking to the review; the others go to the author.
TO_LINE_MANAGER = (Email.SUBMITTED, Email.RESUBMITTED)


@dataclass(frozen=True)
class Message:
    subject: str
    to: str
    body: str


def _recipient(kind: Email, assessment: SelfAssessment) -> Person | None:
    """The line manager for a submission, the author otherwise; None when nobody can be told."""
    author = assessment.person
    if kind not in TO_LINE_MANAGER:
        return author
    if author.line_manager_id is None:
        return None
    manager = author.line_manager
    return manager if manager.is_active and manager.email else None


def _link(kind: Email, assessment: SelfAssessment) -> str:
    if kind in TO_LINE_MANAGER:
        return reverse("assessments:review", args=[assessment.pk])
    if kind == Email.RETURNED:
        return reverse("assessments:assessment_task_list", args=[assessment.pk])
    return reverse("assessments:assessment_detail", args=[assessment.pk])


def message_for(
    kind: Email, *, assessment: SelfAssessment, by: Person | None, base_url: str = ""
) -> Message | None:
    """The email to send about `assessment`, or None when it has nobody to go to."""
    recipient = _recipient(kind, assessment)
    if recipient is None:
        return None
    author = assessment.person
    if kind == Email.SUBMITTED:
        subject = SUBMITTED_SUBJECT.format(author=author.name)
    elif kind == Email.RESUBMITTED:
        subject = RESUBMITTED_SUBJECT.format(author=author.name)
    elif kind == Email.SIGNED_OFF:
        subject = SIGNED_OFF_SUBJECT
    else:
        subject = RETURNED_SUBJECT
    body = render_to_string(
        f"assessments/email/{kind.value}.txt",
        {
            "assessment": assessment,
            "person": author,
            "recipient": recipient,
            "by": by,
            "link": f"{base_url}{_link(kind, assessment)}",
        },
    )
    return Message(subject=subject, to=recipient.email, body=body)


def send_on_commit(
    kind: Email, *, assessment: SelfAssessment, by: Person | None, base_url: str = ""
) -> None:
    """Send the email once the current transaction commits (never for a rolled-back change)."""
    message = message_for(kind, assessment=assessment, by=by, base_url=base_url)
    if message is None:
        return
    transaction.on_commit(
        lambda: send_mail(message.subject, message.body, None, [message.to]), robust=True
    )


def base_url_of(request) -> str:
    """The scheme and host the request came to, for links in emails ("https://host")."""
    return request.build_absolute_uri("/").rstrip("/")
