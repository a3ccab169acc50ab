"""A new assessment can start from the last signed-off one (copied, to be checked), and a draft
can be deleted: services and pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assessments import lifecycle, services
from assessments.models import AssessmentStatus, Rating, SelfAssessment
from assessments.views import DELETED, START_FROM_REQUIRED
from tests.factories import level_slug, rate_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def last(assessment_in):
    """Last year's assessment against the first level, signed off."""
    return assessment_in(
        AssessmentStatus.SIGNED_OFF, self_proficiency="practitioner", evidence="Led the pilot."
    )


def start(author, version, **kwargs):
    assessment, _created = services.assessment_start(
        person=author,
        profession_slug=version.content["profession"]["slug"],
        level_slug=level_slug(version, 2),
        **kwargs,
    )
    return assessment


def test_starting_from_the_last_copies_ratings_and_evidence_to_be_checked(last, author, version):
    new = start(author, version, from_last=True)

    ratings = list(new.ratings.order_by("position"))
    assert [(r.self_proficiency, r.evidence, r.copied) for r in ratings] == [
        ("practitioner", "Led the pilot.", True)
    ] * 3
    assert all(r.manager_proficiency == "" for r in ratings)
    assert new.level_slug == level_slug(version, 2)


def test_a_blank_start_copies_nothing(last, author, version):
    new = start(author, version)

    assert set(new.ratings.values_list("self_proficiency", "evidence", "copied")) == {
        ("", "", False)
    }


def test_starting_from_the_last_needs_a_signed_off_one(assessment_in, author, version):
    assessment_in(AssessmentStatus.RETURNED)  # not signed off

    with pytest.raises(ValidationError) as refused:
        start(author, version, from_last=True)

    assert refused.value.messages == [services.NO_EARLIER_ASSESSMENT]
    assert SelfAssessment.objects.filter(status=AssessmentStatus.DRAFT).count() == 0


def test_copied_skills_must_be_checked_before_submitting(last, author, version):
    new = start(author, version, from_last=True)
    first = new.ratings.order_by("position").first()
    services.rating_save(
        assessment=new,
        rating_id=first.pk,
        self_proficiency="expert",
        evidence="Led the pilot, then the rollout.",
        lock_version=new.lock_version,
        by=author,
    )

    with pytest.raises(ValidationError) as refused:
        services.assessment_submit(
            assessment=new, by=author, declaration=True, lock_version=new.lock_version
        )

    assert refused.value.messages == [services.COPIED_NOT_CONFIRMED.format(count=2)]
    assert Rating.objects.get(pk=first.pk).copied is False
    rate_all(new, "working")
    services.assessment_submit(
        assessment=new, by=author, declaration=True, lock_version=new.lock_version
    )
    assert SelfAssessment.objects.get(pk=new.pk).status == AssessmentStatus.SUBMITTED


def test_a_draft_is_deleted_by_its_author_only(assessment_in, author, manager):
    draft = assessment_in(AssessmentStatus.DRAFT)

    with pytest.raises(PermissionDenied):
        services.assessment_delete(assessment=draft, by=manager, lock_version=1)
    with pytest.raises(lifecycle.StaleEdit):
        services.assessment_delete(assessment=draft, by=author, lock_version=2)
    assert SelfAssessment.objects.filter(pk=draft.pk).exists()

    services.assessment_delete(assessment=draft, by=author, lock_version=1)

    assert not SelfAssessment.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("status", [AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED])
def test_only_a_draft_can_be_deleted(assessment_in, author, status):
    assessment = assessment_in(status)

    with pytest.raises(ValidationError) as refused:
        services.assessment_delete(assessment=assessment, by=author, lock_version=1)

    assert refused.value.messages == [lifecycle.CANNOT_DELETE]
    assert SelfAssessment.objects.filter(pk=assessment.pk).exists()


# --- pages ---------------------------------------------------------------------------------
def start_url(version):
    return reverse("assessments:assessment_start") + "?profession={}&level={}".format(
        version.content["profession"]["slug"], level_slug(version, 2)
    )


def test_the_start_page_offers_the_last_assessment_and_asks_which(author_client, last, version):
    page = author_client.get(start_url(version))
    refused = author_client.post(
        reverse("assessments:assessment_start"),
        {"profession": version.content["profession"]["slug"], "level": level_slug(version, 2)},
    )
    started = author_client.post(
        reverse("assessments:assessment_start"),
        {
            "profession": version.content["profession"]["slug"],
            "level": level_slug(version, 2),
            "start_from": "last",
        },
    )

    assert "From your last assessment" in page.content.decode()
    assert START_FROM_REQUIRED in refused.content.decode()
    assert refused.content.decode().count("<title>Error: ") == 1
    new = SelfAssessment.objects.get(status=AssessmentStatus.DRAFT)
    assert started["Location"] == reverse("assessments:assessment_task_list", args=[new.pk])
    task_list = author_client.get(started["Location"]).content.decode()
    assert task_list.count('govuk-tag--yellow">Copied: check it<') == 3


def test_without_a_signed_off_assessment_there_is_no_choice_to_make(author_client, version):
    page = author_client.get(start_url(version))

    assert "From your last assessment" not in page.content.decode()


def test_the_delete_page_asks_then_deletes(author_client, assessment_in):
    draft = assessment_in(AssessmentStatus.DRAFT)
    url = reverse("assessments:assessment_delete", args=[draft.pk])

    page = author_client.get(url)
    response = author_client.post(url, {"lock_version": 1}, follow=True)

    assert page.status_code == 200
    assert "Delete your draft assessment" in page.content.decode()
    assert DELETED in response.content.decode()
    assert not SelfAssessment.objects.filter(pk=draft.pk).exists()


def test_nobody_else_can_reach_the_delete_page(manager_client, assessment_in):
    draft = assessment_in(AssessmentStatus.DRAFT)
    url = reverse("assessments:assessment_delete", args=[draft.pk])

    assert manager_client.get(url).status_code == 404
    assert manager_client.post(url, {"lock_version": 1}).status_code == 404
    assert SelfAssessment.objects.filter(pk=draft.pk).exists()
