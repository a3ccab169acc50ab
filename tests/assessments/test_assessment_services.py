"""assessments.services: starting, saving, submitting and withdrawing a self-assessment."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from assessments import emails, lifecycle, services
from assessments.models import AssessmentEvent, AssessmentStatus, EventKind, Rating, SelfAssessment
from roles.services import framework_publish
from tests.factories import (
    PersonFactory,
    level_slug,
    make_framework,
    rate_all,
    start_assessment,
    submit_assessment,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(db):
    # Four skills, not the shared three: the counts below (positions, skills left to rate, lock
    # versions after rating every skill) are worked out for four.
    return make_framework(levels=3, skills=4)


def test_start_pins_the_latest_version_and_copies_the_level(framework, author):
    profession, first = framework
    latest = framework_publish(profession=profession, by=None, change_note="Second")

    assessment, created = services.assessment_start(
        person=author, profession_slug=profession.slug, level_slug=level_slug(first, 2)
    )

    assert created is True
    assert assessment.framework_version_id == latest.pk
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.lock_version == 1
    level = next(lvl for lvl in latest.content["levels"] if lvl["rank"] == 2)
    assert assessment.level_name == level["name"]
    ratings = list(assessment.ratings.order_by("position"))
    names = {s["slug"]: s["name"] for s in latest.content["skills"]}
    assert [(r.skill.slug, r.skill_name, r.expected_proficiency) for r in ratings] == [
        (e["skill"], names[e["skill"]], e["proficiency"]) for e in level["expectations"]
    ]
    assert [r.position for r in ratings] == [1, 2, 3, 4]
    assert all(r.self_proficiency == "" for r in ratings)
    assert list(assessment.events.values_list("kind", flat=True)) == [EventKind.STARTED]


def test_start_again_returns_the_open_assessment(version, author):
    first = start_assessment(author, version)

    again, created = services.assessment_start(
        person=author,
        profession_slug=version.content["profession"]["slug"],
        level_slug=level_slug(version, 1),
    )

    assert created is False
    assert again.pk == first.pk
    assert SelfAssessment.objects.filter(person=author).count() == 1


def test_the_database_allows_one_open_assessment_per_level(version, author):
    first = start_assessment(author, version)

    with pytest.raises(IntegrityError), transaction.atomic():
        SelfAssessment.objects.create(
            person=author,
            framework_version=version,
            role_level=first.role_level,
            level_name=first.level_name,
        )


def test_a_race_to_start_the_same_level_returns_the_winner(version, author, monkeypatch):
    """Two tabs start at once: both miss the other's assessment, the constraint stops one."""
    winner = start_assessment(author, version)
    real = services._open_assessment
    calls = []

    def miss_the_first_time(*args):
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(services, "_open_assessment", miss_the_first_time)

    again, created = services.assessment_start(
        person=author,
        profession_slug=version.content["profession"]["slug"],
        level_slug=level_slug(version, 1),
    )

    assert (again.pk, created) == (winner.pk, False)
    assert len(calls) == 2
    assert SelfAssessment.objects.filter(person=author).count() == 1
    assert Rating.objects.filter(assessment__person=author).count() == 4


def test_a_signed_off_assessment_lets_a_new_one_start(version, author, manager):
    first = start_assessment(author, version)
    SelfAssessment.objects.filter(pk=first.pk).update(
        status=AssessmentStatus.SIGNED_OFF,
        submitted_at=first.created_at,
        signed_off_at=first.created_at,
        reviewer=manager,
    )

    second, created = services.assessment_start(
        person=author,
        profession_slug=version.content["profession"]["slug"],
        level_slug=level_slug(version, 1),
    )

    assert created is True
    assert second.pk != first.pk


def test_start_refuses_unknown_levels_and_unpublished_professions(framework, author):
    profession, _version = framework
    unpublished, _none = make_framework(publish=False)

    with pytest.raises(ValidationError) as no_level:
        services.assessment_start(
            person=author, profession_slug=profession.slug, level_slug="no-such-level"
        )
    with pytest.raises(ValidationError) as no_version:
        services.assessment_start(
            person=author, profession_slug=unpublished.slug, level_slug="anything"
        )

    assert no_level.value.messages == [services.NO_SUCH_LEVEL]
    assert no_version.value.messages == [services.NO_PUBLISHED_FRAMEWORK]
    assert not SelfAssessment.objects.exists()


def test_rating_save_stores_the_answer_and_bumps_the_lock(version, author):
    assessment = start_assessment(author, version)
    rating = assessment.ratings.first()

    services.rating_save(
        assessment=assessment,
        rating_id=rating.pk,
        self_proficiency="practitioner",
        evidence="I led the <b>discovery</b>",
        lock_version=1,
        by=author,
    )

    rating.refresh_from_db()
    assert rating.self_proficiency == "practitioner"
    assert rating.evidence == "I led the <b>discovery</b>"
    assert assessment.lock_version == 2
    assert SelfAssessment.objects.get(pk=assessment.pk).lock_version == 2


def test_a_stale_save_is_refused_and_writes_nothing(version, author):
    assessment = start_assessment(author, version)
    rating = assessment.ratings.first()
    services.rating_save(
        assessment=assessment,
        rating_id=rating.pk,
        self_proficiency="working",
        evidence="First tab",
        lock_version=1,
        by=author,
    )

    with pytest.raises(lifecycle.StaleEdit) as stale:
        services.rating_save(
            assessment=SelfAssessment.objects.get(pk=assessment.pk),
            rating_id=rating.pk,
            self_proficiency="expert",
            evidence="Second tab",
            lock_version=1,
            by=author,
        )

    assert stale.value.messages == [lifecycle.STALE_EDIT]
    rating.refresh_from_db()
    assert (rating.self_proficiency, rating.evidence) == ("working", "First tab")
    assert SelfAssessment.objects.get(pk=assessment.pk).lock_version == 2


def test_rating_save_refuses_another_persons_rating_id(version, author):
    mine = start_assessment(author, version)
    other = PersonFactory()
    theirs = start_assessment(other, version)
    their_rating = theirs.ratings.first()

    with pytest.raises(ValidationError) as refused:
        services.rating_save(
            assessment=mine,
            rating_id=their_rating.pk,
            self_proficiency="expert",
            evidence="Forged",
            lock_version=1,
            by=author,
        )

    assert refused.value.messages == [services.NO_SUCH_RATING]
    their_rating.refresh_from_db()
    assert their_rating.self_proficiency == ""
    assert SelfAssessment.objects.get(pk=mine.pk).lock_version == 1


def test_rating_save_refuses_anyone_but_the_author(version, author, manager):
    assessment = start_assessment(author, version)
    rating = assessment.ratings.first()

    with pytest.raises(PermissionDenied) as refused:
        services.rating_save(
            assessment=assessment,
            rating_id=rating.pk,
            self_proficiency="expert",
            evidence="By the manager",
            lock_version=1,
            by=manager,
        )

    assert str(refused.value) == lifecycle.NOT_YOUR_ASSESSMENT
    rating.refresh_from_db()
    assert rating.self_proficiency == ""


@pytest.mark.parametrize(
    ("proficiency", "evidence"),
    [("superb", ""), ("working", "x" * 3001)],
)
def test_rating_save_of_forged_values_is_refused_by_the_database(
    version, author, proficiency, evidence
):
    """The form refuses these with a message (test_forms.py); sent straight to the service, the
    database's constraints refuse them and nothing is written."""
    assessment = start_assessment(author, version)
    rating = assessment.ratings.first()

    with pytest.raises(IntegrityError):
        services.rating_save(
            assessment=assessment,
            rating_id=rating.pk,
            self_proficiency=proficiency,
            evidence=evidence,
            lock_version=1,
            by=author,
        )

    rating.refresh_from_db()
    assert (rating.self_proficiency, rating.evidence) == ("", "")
    assert SelfAssessment.objects.get(pk=assessment.pk).lock_version == 1


def test_submit_needs_every_skill_rated_and_the_declaration(version, author):
    assessment = start_assessment(author, version)
    first = assessment.ratings.order_by("position").first()
    services.rating_save(
        assessment=assessment,
        rating_id=first.pk,
        self_proficiency="working",
        evidence="",
        lock_version=1,
        by=author,
    )

    with pytest.raises(ValidationError) as refused:
        services.assessment_submit(
            assessment=assessment, by=author, declaration=False, lock_version=2
        )

    assert refused.value.messages == [
        services.DECLARATION_REQUIRED,
        services.SKILLS_NOT_RATED.format(count=3),
    ]
    assert SelfAssessment.objects.get(pk=assessment.pk).status == AssessmentStatus.DRAFT
    assert not mail.outbox


def test_submit_sends_it_to_the_line_manager(
    version, author, manager, django_capture_on_commit_callbacks
):
    assessment = start_assessment(author, version)
    rate_all(assessment)

    with django_capture_on_commit_callbacks(execute=True):
        result = services.assessment_submit(
            assessment=assessment,
            by=author,
            declaration=True,
            lock_version=assessment.lock_version,
            base_url="https://careerpath.example",
        )

    stored = SelfAssessment.objects.get(pk=assessment.pk)
    assert stored.status == AssessmentStatus.SUBMITTED
    assert stored.submitted_at is not None
    assert stored.lock_version == 6  # started at 1, four ratings saved, then submitted
    assert result.lock_version == 6
    assert stored.events.first().kind == EventKind.SUBMITTED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [manager.email]
    assert author.name in message.subject
    assert f"https://careerpath.example/reviews/{assessment.pk}/" in message.body
    assert stored.level_name in message.body
    assert message.alternatives == []  # plain text only


@pytest.mark.parametrize("manager_state", ["none", "left"])
def test_submit_without_an_active_line_manager_is_refused(
    version, manager_state, django_capture_on_commit_callbacks
):
    manager = PersonFactory(is_active=manager_state != "left") if manager_state == "left" else None
    loner = PersonFactory(line_manager=manager)
    assessment = start_assessment(loner, version)
    rate_all(assessment)
    lock_version = assessment.lock_version

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError) as raised,
    ):
        services.assessment_submit(
            assessment=assessment, by=loner, declaration=True, lock_version=lock_version
        )

    assert services.NO_LINE_MANAGER in raised.value.messages
    assert callbacks == []
    stored = SelfAssessment.objects.get(pk=assessment.pk)
    assert (stored.status, stored.lock_version) == (AssessmentStatus.DRAFT, lock_version)
    assert not stored.events.filter(kind=EventKind.SUBMITTED).exists()
    assert not mail.outbox


def test_submit_with_a_stale_lock_is_refused(version, author):
    assessment = start_assessment(author, version)
    rate_all(assessment)

    with pytest.raises(lifecycle.StaleEdit):
        services.assessment_submit(
            assessment=assessment, by=author, declaration=True, lock_version=1
        )

    assert SelfAssessment.objects.get(pk=assessment.pk).status == AssessmentStatus.DRAFT
    assert not mail.outbox


def test_a_submitted_assessment_cannot_be_edited_or_submitted_again(version, author):
    assessment = start_assessment(author, version)
    rate_all(assessment)
    submit_assessment(assessment)
    rating = assessment.ratings.first()

    with pytest.raises(ValidationError) as edit:
        services.rating_save(
            assessment=assessment,
            rating_id=rating.pk,
            self_proficiency="expert",
            evidence="Later",
            lock_version=assessment.lock_version,
            by=author,
        )
    with pytest.raises(ValidationError) as submit:
        services.assessment_submit(
            assessment=assessment, by=author, declaration=True, lock_version=assessment.lock_version
        )

    assert edit.value.messages == [lifecycle.NOT_EDITABLE]
    assert submit.value.messages == [lifecycle.NOT_SUBMITTABLE]
    rating.refresh_from_db()
    assert rating.self_proficiency == "working"


def test_withdraw_takes_a_submission_back_to_draft(version, author):
    assessment = start_assessment(author, version)
    rate_all(assessment)
    submit_assessment(assessment)
    before = assessment.lock_version

    services.assessment_withdraw(
        assessment=assessment, by=author, lock_version=assessment.lock_version
    )

    stored = SelfAssessment.objects.get(pk=assessment.pk)
    assert stored.status == AssessmentStatus.DRAFT
    assert stored.submitted_at is None
    assert stored.lock_version == before + 1
    assert stored.events.first().kind == EventKind.WITHDRAWN


def test_withdraw_is_refused_once_the_review_has_started(version, author):
    assessment = start_assessment(author, version)
    rate_all(assessment)
    submit_assessment(assessment)
    SelfAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.IN_REVIEW)

    with pytest.raises(ValidationError) as refused:
        services.assessment_withdraw(
            assessment=assessment, by=author, lock_version=assessment.lock_version
        )

    assert refused.value.messages == [lifecycle.CANNOT_WITHDRAW_REVIEW_STARTED]
    assert SelfAssessment.objects.get(pk=assessment.pk).status == AssessmentStatus.IN_REVIEW


def test_withdraw_refuses_a_draft_and_other_people(version, author, manager):
    assessment = start_assessment(author, version)

    with pytest.raises(ValidationError) as draft:
        services.assessment_withdraw(
            assessment=assessment, by=author, lock_version=assessment.lock_version
        )
    with pytest.raises(PermissionDenied):
        services.assessment_withdraw(
            assessment=assessment, by=manager, lock_version=assessment.lock_version
        )

    assert draft.value.messages == [lifecycle.CANNOT_WITHDRAW]
    assert not AssessmentEvent.objects.filter(kind=EventKind.WITHDRAWN).exists()


def test_a_returned_assessment_can_be_changed_and_resubmitted(
    version, author, manager, django_capture_on_commit_callbacks
):
    assessment = start_assessment(author, version)
    rate_all(assessment)
    submit_assessment(assessment)
    SelfAssessment.objects.filter(pk=assessment.pk).update(
        status=AssessmentStatus.RETURNED, return_reason="Add evidence", lock_version=50
    )
    assessment.refresh_from_db()
    rating = assessment.ratings.first()
    mail.outbox.clear()

    services.rating_save(
        assessment=assessment,
        rating_id=rating.pk,
        self_proficiency="practitioner",
        evidence="More evidence",
        lock_version=50,
        by=author,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_submit(
            assessment=assessment, by=author, declaration=True, lock_version=51
        )

    stored = SelfAssessment.objects.get(pk=assessment.pk)
    assert stored.status == AssessmentStatus.SUBMITTED
    assert stored.lock_version == 52
    assert stored.events.first().kind == EventKind.RESUBMITTED
    assert [message.subject for message in mail.outbox] == [
        emails.RESUBMITTED_SUBJECT.format(author=author.name)
    ]


def test_forged_fields_cannot_reach_the_services(version, author):
    """The services take no status, owner or manager proficiency: only what the author may set."""
    assessment = start_assessment(author, version)
    rating = assessment.ratings.first()

    with pytest.raises(TypeError):
        services.rating_save(
            assessment=assessment,
            rating_id=rating.pk,
            self_proficiency="working",
            evidence="",
            lock_version=1,
            by=author,
            manager_proficiency="expert",
        )

    rating.refresh_from_db()
    assert rating.manager_proficiency == ""
    assert Rating.objects.filter(assessment=assessment).exclude(self_proficiency="").count() == 0
