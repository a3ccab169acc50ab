"""people.services: starting, saving, submitting and withdrawing a self-assessment."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from assessments import lifecycle, services
from assessments.models import AssessmentEvent, AssessmentStatus, EventKind, Rating, SelfAssessment
from roles.services import framework_publish
from tests.factories import PersonFactory, make_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    return make_framework(levels=3, skills=4)


@pytest.fixture
def manager():
    return PersonFactory(name="Morgan Manager")


@pytest.fixture
def person(manager):
    return PersonFactory(line_manager=manager)


def level_slug(version, rank):
    return next(lvl["slug"] for lvl in version.content["levels"] if lvl["rank"] == rank)


def start(person, version, rank=1):
    assessment, _created = services.assessment_start(
        person=person,
        profession_slug=version.content["profession"]["slug"],
        level_slug=level_slug(version, rank),
    )
    return assessment


def rate_all(assessment, person, proficiency="working"):
    for rating in assessment.ratings.order_by("position"):
        services.rating_save(
            assessment=assessment,
            rating_id=rating.pk,
            self_proficiency=proficiency,
            evidence=f"Evidence for {rating.skill_name}",
            lock_version=assessment.lock_version,
            by=person,
        )


def test_start_pins_the_latest_version_and_copies_the_level(framework, person):
    profession, first = framework
    latest = framework_publish(profession=profession, by=None, change_note="Second")

    assessment, created = services.assessment_start(
        person=person, profession_slug=profession.slug, level_slug=level_slug(first, 2)
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


def test_start_again_returns_the_open_assessment(framework, person):
    _profession, version = framework
    first = start(person, version)

    again, created = services.assessment_start(
        person=person,
        profession_slug=version.content["profession"]["slug"],
        level_slug=level_slug(version, 1),
    )

    assert created is False
    assert again.pk == first.pk
    assert SelfAssessment.objects.filter(person=person).count() == 1


def test_the_database_allows_one_open_assessment_per_level(framework, person):
    _profession, version = framework
    first = start(person, version)

    with pytest.raises(IntegrityError), transaction.atomic():
        SelfAssessment.objects.create(
            person=person,
            framework_version=version,
            role_level=first.role_level,
            level_name=first.level_name,
        )


def test_a_race_to_start_the_same_level_returns_the_winner(framework, person, monkeypatch):
    """Two tabs start at once: both miss the other's assessment, the constraint stops one."""
    _profession, version = framework
    winner = start(person, version)
    real = services._open_assessment
    calls = []

    def miss_the_first_time(*args):
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(services, "_open_assessment", miss_the_first_time)

    again, created = services.assessment_start(
        person=person,
        profession_slug=version.content["profession"]["slug"],
        level_slug=level_slug(version, 1),
    )

    assert (again.pk, created) == (winner.pk, False)
    assert len(calls) == 2
    assert SelfAssessment.objects.filter(person=person).count() == 1
    assert Rating.objects.filter(assessment__person=person).count() == 4


def test_a_signed_off_assessment_lets_a_new_one_start(framework, person, manager):
    _profession, version = framework
    first = start(person, version)
    SelfAssessment.objects.filter(pk=first.pk).update(
        status=AssessmentStatus.SIGNED_OFF,
        submitted_at=first.created_at,
        signed_off_at=first.created_at,
        reviewer=manager,
    )

    second, created = services.assessment_start(
        person=person,
        profession_slug=version.content["profession"]["slug"],
        level_slug=level_slug(version, 1),
    )

    assert created is True
    assert second.pk != first.pk


def test_start_refuses_unknown_levels_and_unpublished_professions(framework, person):
    profession, _version = framework
    unpublished, _none = make_framework(publish=False)

    with pytest.raises(ValidationError) as no_level:
        services.assessment_start(
            person=person, profession_slug=profession.slug, level_slug="no-such-level"
        )
    with pytest.raises(ValidationError) as no_version:
        services.assessment_start(
            person=person, profession_slug=unpublished.slug, level_slug="anything"
        )

    assert no_level.value.messages == [services.NO_SUCH_LEVEL]
    assert no_version.value.messages == [services.NO_PUBLISHED_FRAMEWORK]
    assert not SelfAssessment.objects.exists()


def test_rating_save_stores_the_answer_and_bumps_the_lock(framework, person):
    _profession, version = framework
    assessment = start(person, version)
    rating = assessment.ratings.first()

    services.rating_save(
        assessment=assessment,
        rating_id=rating.pk,
        self_proficiency="practitioner",
        evidence="I led the <b>discovery</b>",
        lock_version=1,
        by=person,
    )

    rating.refresh_from_db()
    assert rating.self_proficiency == "practitioner"
    assert rating.evidence == "I led the <b>discovery</b>"
    assert assessment.lock_version == 2
    assert SelfAssessment.objects.get(pk=assessment.pk).lock_version == 2


def test_a_stale_save_is_refused_and_writes_nothing(framework, person):
    _profession, version = framework
    assessment = start(person, version)
    rating = assessment.ratings.first()
    services.rating_save(
        assessment=assessment,
        rating_id=rating.pk,
        self_proficiency="working",
        evidence="First tab",
        lock_version=1,
        by=person,
    )

    with pytest.raises(lifecycle.StaleEdit) as stale:
        services.rating_save(
            assessment=SelfAssessment.objects.get(pk=assessment.pk),
            rating_id=rating.pk,
            self_proficiency="expert",
            evidence="Second tab",
            lock_version=1,
            by=person,
        )

    assert stale.value.messages == [lifecycle.STALE_EDIT]
    rating.refresh_from_db()
    assert (rating.self_proficiency, rating.evidence) == ("working", "First tab")
    assert SelfAssessment.objects.get(pk=assessment.pk).lock_version == 2


def test_rating_save_refuses_another_persons_rating_id(framework, person):
    _profession, version = framework
    mine = start(person, version)
    other = PersonFactory()
    theirs = start(other, version)
    their_rating = theirs.ratings.first()

    with pytest.raises(ValidationError) as refused:
        services.rating_save(
            assessment=mine,
            rating_id=their_rating.pk,
            self_proficiency="expert",
            evidence="Forged",
            lock_version=1,
            by=person,
        )

    assert refused.value.messages == [services.NO_SUCH_RATING]
    their_rating.refresh_from_db()
    assert their_rating.self_proficiency == ""
    assert SelfAssessment.objects.get(pk=mine.pk).lock_version == 1


def test_rating_save_refuses_anyone_but_the_author(framework, person, manager):
    _profession, version = framework
    assessment = start(person, version)
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
    framework, person, proficiency, evidence
):
    """The form refuses these with a message (test_forms.py); sent straight to the service, the
    database's constraints refuse them and nothing is written."""
    _profession, version = framework
    assessment = start(person, version)
    rating = assessment.ratings.first()

    with pytest.raises(IntegrityError):
        services.rating_save(
            assessment=assessment,
            rating_id=rating.pk,
            self_proficiency=proficiency,
            evidence=evidence,
            lock_version=1,
            by=person,
        )

    rating.refresh_from_db()
    assert (rating.self_proficiency, rating.evidence) == ("", "")
    assert SelfAssessment.objects.get(pk=assessment.pk).lock_version == 1


def test_submit_needs_every_skill_rated_and_the_declaration(framework, person):
    _profession, version = framework
    assessment = start(person, version)
    first = assessment.ratings.order_by("position").first()
    services.rating_save(
        assessment=assessment,
        rating_id=first.pk,
        self_proficiency="working",
        evidence="",
        lock_version=1,
        by=person,
    )

    with pytest.raises(ValidationError) as refused:
        services.assessment_submit(
            assessment=assessment, by=person, declaration=False, lock_version=2
        )

    assert refused.value.messages == [
        services.DECLARATION_REQUIRED,
        services.SKILLS_NOT_RATED.format(count=3),
    ]
    assert SelfAssessment.objects.get(pk=assessment.pk).status == AssessmentStatus.DRAFT
    assert not mail.outbox


def test_submit_sends_it_to_the_line_manager(
    framework, person, manager, django_capture_on_commit_callbacks
):
    _profession, version = framework
    assessment = start(person, version)
    rate_all(assessment, person)

    with django_capture_on_commit_callbacks(execute=True):
        result = services.assessment_submit(
            assessment=assessment,
            by=person,
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
    assert person.name in message.subject
    assert f"https://careerpath.example/reviews/{assessment.pk}/" in message.body
    assert stored.level_name in message.body
    assert message.alternatives == []  # plain text only


def test_submit_without_a_line_manager_still_submits(framework, django_capture_on_commit_callbacks):
    _profession, version = framework
    loner = PersonFactory(line_manager=None)
    assessment = start(loner, version)
    rate_all(assessment, loner)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.assessment_submit(
            assessment=assessment, by=loner, declaration=True, lock_version=assessment.lock_version
        )

    assert callbacks == []
    assert SelfAssessment.objects.get(pk=assessment.pk).status == AssessmentStatus.SUBMITTED
    assert not mail.outbox


def test_submit_with_a_stale_lock_is_refused(framework, person):
    _profession, version = framework
    assessment = start(person, version)
    rate_all(assessment, person)

    with pytest.raises(lifecycle.StaleEdit):
        services.assessment_submit(
            assessment=assessment, by=person, declaration=True, lock_version=1
        )

    assert SelfAssessment.objects.get(pk=assessment.pk).status == AssessmentStatus.DRAFT
    assert not mail.outbox


def test_a_submitted_assessment_cannot_be_edited_or_submitted_again(framework, person):
    _profession, version = framework
    assessment = start(person, version)
    rate_all(assessment, person)
    services.assessment_submit(
        assessment=assessment, by=person, declaration=True, lock_version=assessment.lock_version
    )
    rating = assessment.ratings.first()

    with pytest.raises(ValidationError) as edit:
        services.rating_save(
            assessment=assessment,
            rating_id=rating.pk,
            self_proficiency="expert",
            evidence="Later",
            lock_version=assessment.lock_version,
            by=person,
        )
    with pytest.raises(ValidationError) as submit:
        services.assessment_submit(
            assessment=assessment, by=person, declaration=True, lock_version=assessment.lock_version
        )

    assert edit.value.messages == [lifecycle.NOT_EDITABLE]
    assert submit.value.messages == [lifecycle.NOT_SUBMITTABLE]
    rating.refresh_from_db()
    assert rating.self_proficiency == "working"


def test_withdraw_takes_a_submission_back_to_draft(framework, person):
    _profession, version = framework
    assessment = start(person, version)
    rate_all(assessment, person)
    services.assessment_submit(
        assessment=assessment, by=person, declaration=True, lock_version=assessment.lock_version
    )
    before = assessment.lock_version

    services.assessment_withdraw(
        assessment=assessment, by=person, lock_version=assessment.lock_version
    )

    stored = SelfAssessment.objects.get(pk=assessment.pk)
    assert stored.status == AssessmentStatus.DRAFT
    assert stored.submitted_at is None
    assert stored.lock_version == before + 1
    assert stored.events.first().kind == EventKind.WITHDRAWN


def test_withdraw_is_refused_once_the_review_has_started(framework, person):
    _profession, version = framework
    assessment = start(person, version)
    rate_all(assessment, person)
    services.assessment_submit(
        assessment=assessment, by=person, declaration=True, lock_version=assessment.lock_version
    )
    SelfAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.IN_REVIEW)

    with pytest.raises(ValidationError) as refused:
        services.assessment_withdraw(
            assessment=assessment, by=person, lock_version=assessment.lock_version
        )

    assert refused.value.messages == [lifecycle.CANNOT_WITHDRAW_REVIEW_STARTED]
    assert SelfAssessment.objects.get(pk=assessment.pk).status == AssessmentStatus.IN_REVIEW


def test_withdraw_refuses_a_draft_and_other_people(framework, person, manager):
    _profession, version = framework
    assessment = start(person, version)

    with pytest.raises(ValidationError) as draft:
        services.assessment_withdraw(
            assessment=assessment, by=person, lock_version=assessment.lock_version
        )
    with pytest.raises(PermissionDenied):
        services.assessment_withdraw(
            assessment=assessment, by=manager, lock_version=assessment.lock_version
        )

    assert draft.value.messages == [lifecycle.CANNOT_WITHDRAW]
    assert not AssessmentEvent.objects.filter(kind=EventKind.WITHDRAWN).exists()


def test_a_returned_assessment_can_be_changed_and_resubmitted(
    framework, person, manager, django_capture_on_commit_callbacks
):
    _profession, version = framework
    assessment = start(person, version)
    rate_all(assessment, person)
    services.assessment_submit(
        assessment=assessment, by=person, declaration=True, lock_version=assessment.lock_version
    )
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
        by=person,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_submit(
            assessment=assessment, by=person, declaration=True, lock_version=51
        )

    stored = SelfAssessment.objects.get(pk=assessment.pk)
    assert stored.status == AssessmentStatus.SUBMITTED
    assert stored.lock_version == 52
    assert stored.events.first().kind == EventKind.RESUBMITTED
    assert len(mail.outbox) == 1


def test_forged_fields_cannot_reach_the_services(framework, person):
    """The services take no status, owner or manager proficiency: only what the author may set."""
    _profession, version = framework
    assessment = start(person, version)
    rating = assessment.ratings.first()

    with pytest.raises(TypeError):
        services.rating_save(
            assessment=assessment,
            rating_id=rating.pk,
            self_proficiency="working",
            evidence="",
            lock_version=1,
            by=person,
            manager_proficiency="expert",
        )

    rating.refresh_from_db()
    assert rating.manager_proficiency == ""
    assert Rating.objects.filter(assessment=assessment).exclude(self_proficiency="").count() == 0
