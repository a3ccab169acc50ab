"""The Django admin's read-only list of assessments, and the read-only review page."""

import pytest
from django.urls import reverse

from assessments.models import AssessmentStatus

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [AssessmentStatus.DRAFT, AssessmentStatus.RETURNED])
def test_administrators_cannot_open_drafts_or_returned_assessments_in_the_admin(
    client, admin_user, assessment_in, status
):
    private = assessment_in(status)
    client.force_login(admin_user)

    listing = client.get(reverse("admin:assessments_selfassessment_changelist"))
    page = client.get(reverse("admin:assessments_selfassessment_change", args=[private.pk]))

    assert listing.status_code == 200
    assert f"/{private.pk}/change/" not in listing.content.decode()
    assert page.status_code == 302  # the admin's "does not exist" redirect to its index


def test_administrators_still_read_submitted_assessments_in_the_admin(
    client, admin_user, assessment
):
    client.force_login(admin_user)

    page = client.get(reverse("admin:assessments_selfassessment_change", args=[assessment.pk]))

    assert page.status_code == 200


def test_the_read_only_review_page_refuses_a_post(manager_client, assessment):
    url = reverse("assessments:team_assessment", args=[assessment.pk])

    assert manager_client.get(url).status_code == 200
    assert manager_client.post(url, {"lock_version": 1}).status_code == 405
