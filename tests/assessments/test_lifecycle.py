"""assessments.lifecycle: every cell of the transition table, taken and refused."""

import itertools

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import emails, lifecycle
from assessments.lifecycle import TRANSITIONS, Action, Who
from assessments.models import AssessmentStatus, EventKind, Rating, SelfAssessment
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

EMAIL_SUBJECTS = {
    emails.Email.SIGNED_OFF: emails.SIGNED_OFF_SUBJECT,
    emails.Email.RETURNED: emails.RETURNED_SUBJECT,
}


@pytest.fixture
def people(author, manager):
    """Each side of the table, by the name the table gives it."""
    return {Who.AUTHOR: author, Who.LINE_MANAGER: manager}


def stored(assessment):
    row = SelfAssessment.objects.get(pk=assessment.pk)
    return row.status, row.lock_version, list(row.events.values_list("kind", flat=True))


MOVES = [t for t in TRANSITIONS if t.to_status is not None]


@pytest.mark.parametrize("transition", MOVES, ids=lambda t: f"{t.from_status}-{t.action}")
def test_each_transition_moves_the_status_records_its_events_and_sends_its_email(
    transition, people, assessment_in, django_capture_on_commit_callbacks
):
    assessment = assessment_in(transition.from_status)
    by = people[transition.who]

    with django_capture_on_commit_callbacks(execute=True):
        result = lifecycle.change(
            assessment=assessment,
            by=by,
            who=transition.who,
            action=transition.action,
            lock_version=1,
            note="Add an example from this year",
        )

    assert result.status == transition.to_status
    assert result.lock_version == 2
    events = list(result.events.order_by("pk").values_list("kind", "by"))
    assert events == [(kind, by.pk) for kind in transition.events]
    assert assessment.status == transition.to_status  # the caller's copy follows
    recipients = {
        emails.Email.SUBMITTED: people[Who.LINE_MANAGER].email,
        emails.Email.RESUBMITTED: people[Who.LINE_MANAGER].email,
        emails.Email.SIGNED_OFF: people[Who.AUTHOR].email,
        emails.Email.RETURNED: people[Who.AUTHOR].email,
    }
    if transition.email is None:
        assert mail.outbox == []
    else:
        assert [message.to for message in mail.outbox] == [[recipients[transition.email]]]
        if transition.email in EMAIL_SUBJECTS:
            assert mail.outbox[0].subject == EMAIL_SUBJECTS[transition.email]


ALL_CELLS = [
    (status, action, who)
    for status, action, who in itertools.product(AssessmentStatus.values, Action, Who)
    if not lifecycle.allowed(status=status, action=action, who=who)
]


@pytest.mark.parametrize(
    ("status", "action", "who"), ALL_CELLS, ids=lambda value: getattr(value, "name", value)
)
def test_every_cell_not_in_the_table_is_refused_and_changes_nothing(
    status, action, who, people, assessment_in
):
    assessment = assessment_in(status)
    before = stored(assessment)

    with pytest.raises(ValidationError) as refused:
        lifecycle.change(
            assessment=assessment, by=people[who], who=who, action=action, lock_version=1
        )

    assert refused.value.code == "status"
    assert stored(assessment) == before
    assert mail.outbox == []


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: f"{t.from_status}-{t.action}")
@pytest.mark.parametrize("who_asks", ["other side", "stranger", "nobody"])
def test_only_the_side_named_in_the_table_may_take_a_transition(
    transition, who_asks, people, assessment_in
):
    assessment = assessment_in(transition.from_status)
    other = Who.AUTHOR if transition.who == Who.LINE_MANAGER else Who.LINE_MANAGER
    by = {"other side": people[other], "stranger": PersonFactory(), "nobody": None}[who_asks]
    before = stored(assessment)

    with pytest.raises(PermissionDenied):
        lifecycle.change(
            assessment=assessment,
            by=by,
            who=transition.who,
            action=transition.action,
            lock_version=1,
        )

    assert stored(assessment) == before


@pytest.mark.parametrize("lock_version", [0, 2, None, "", "1 OR 1=1"])
def test_a_stale_or_mangled_lock_version_is_refused_and_writes_nothing(
    lock_version, people, assessment
):
    before = stored(assessment)

    with pytest.raises(lifecycle.StaleEdit) as stale:
        lifecycle.change(
            assessment=assessment,
            by=people[Who.AUTHOR],
            who=Who.AUTHOR,
            action=Action.WITHDRAW,
            lock_version=lock_version,
        )

    assert stale.value.messages == [lifecycle.STALE_EDIT]
    assert stored(assessment) == before


def test_a_refusal_from_the_callers_own_rules_rolls_everything_back(
    people, assessment, django_capture_on_commit_callbacks
):
    before = stored(assessment)

    def write(row):
        row.ratings.update(manager_proficiency="expert")
        raise ValidationError("No")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        lifecycle.change(
            assessment=assessment,
            by=people[Who.LINE_MANAGER],
            who=Who.LINE_MANAGER,
            action=Action.SIGN_OFF,
            lock_version=1,
            write=write,
        )

    assert stored(assessment) == before
    assert not assessment.ratings.exclude(manager_proficiency="").exists()
    assert mail.outbox == []


def test_a_line_managers_first_edit_starts_the_review(people, assessment):
    result = lifecycle.change(
        assessment=assessment, by=people[Who.LINE_MANAGER], who=Who.LINE_MANAGER, lock_version=1
    )

    assert result.status == AssessmentStatus.IN_REVIEW
    assert list(result.events.values_list("kind", flat=True)) == [EventKind.REVIEW_STARTED]


def test_the_table_reaches_every_status_and_leaves_signed_off_final():
    reached = {t.to_status for t in MOVES} | {AssessmentStatus.DRAFT}
    assert reached == set(AssessmentStatus.values)
    assert not [t for t in TRANSITIONS if t.from_status == AssessmentStatus.SIGNED_OFF]


def test_deleting_a_draft_removes_it_with_its_ratings_and_timeline(assessment_in, author):
    draft = assessment_in(AssessmentStatus.DRAFT)

    lifecycle.change(
        assessment=draft, by=author, who=Who.AUTHOR, action=Action.DELETE, lock_version=1
    )

    assert not SelfAssessment.objects.filter(pk=draft.pk).exists()
    assert not Rating.objects.filter(assessment_id=draft.pk).exists()
