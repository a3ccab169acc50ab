"""Every email about an assessment links, in full, to the page it is about, and says what
happened in the reader's terms (a resubmission says so)."""

import pytest
from django.core import mail
from django.urls import reverse

from assessments import emails
from assessments.emails import Email, message_for
from assessments.models import AssessmentStatus

BASE = "https://careerpath.example"

PAGES = {
    Email.SUBMITTED: ("assessments:review", "manager"),
    Email.RESUBMITTED: ("assessments:review", "manager"),
    Email.SIGNED_OFF: ("assessments:assessment_detail", "author"),
    Email.RETURNED: ("assessments:assessment_task_list", "author"),
}


@pytest.mark.parametrize("kind", list(Email))
def test_every_email_links_to_its_page_in_full(kind, assessment_in, author, manager):
    status = {
        Email.SUBMITTED: AssessmentStatus.SUBMITTED,
        Email.RESUBMITTED: AssessmentStatus.SUBMITTED,
        Email.SIGNED_OFF: AssessmentStatus.SIGNED_OFF,
        Email.RETURNED: AssessmentStatus.RETURNED,
    }[kind]
    assessment = assessment_in(status)
    name, recipient = PAGES[kind]

    message = message_for(kind, assessment=assessment, by=manager, base_url=BASE)

    assert message.to == {"manager": manager.email, "author": author.email}[recipient]
    assert f"{BASE}{reverse(name, args=[assessment.pk])}\n" in message.body


def test_every_kind_of_email_is_tested():
    assert set(PAGES) == set(Email)


def test_a_resubmission_says_it_is_one(assessment_in, author, manager):
    assessment = assessment_in(AssessmentStatus.SUBMITTED, return_reason="Add an example")

    message = message_for(Email.RESUBMITTED, assessment=assessment, by=author, base_url=BASE)

    assert message.subject == emails.RESUBMITTED_SUBJECT.format(author=author.name)
    assert "submitted it again" in message.body
    assert "Add an example" in message.body
    assert "resubmitted" in message.subject
    assert mail.outbox == []
