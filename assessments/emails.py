"""Plain-text emails about self-assessments (sent with django.core.mail)."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

# The manager's review page is built by the review code; the first of these names that
# resolves is used, so the email still links somewhere useful while that code lands.
REVIEW_URL_NAMES = [
    "assessments:review",
    "assessments:review_detail",
    "assessments:assessment_review",
]


def review_path(assessment):
    for name in REVIEW_URL_NAMES:
        try:
            return reverse(name, args=[assessment.pk])
        except NoReverseMatch:
            continue
    try:
        return reverse("assessments:review_queue")
    except NoReverseMatch:
        return "/"


def send_assessment_submitted(*, assessment, author, manager, review_url=""):
    """Tell the line manager that a report has submitted an assessment for review."""
    context = {
        "assessment": assessment,
        "author": author,
        "manager": manager,
        "review_url": review_url or review_path(assessment),
    }
    subject = f"{author.name} has submitted a self-assessment for you to review"
    body = render_to_string("assessments/email/assessment_submitted.txt", context)
    send_mail(subject, body, None, [manager.email])
