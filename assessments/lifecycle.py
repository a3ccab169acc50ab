"""The life of a self-assessment: every status change, and every edit, goes through `change`.

The table below is the whole lifecycle. Each row says, for an assessment in a status, which
action may be taken, by whom, the status it moves to, the events recorded on its timeline and
the email sent. Nothing else writes `SelfAssessment.status` (but the demo seeder, which bulk
inserts assessments as they would be after these steps).

| from      | action       | who          | to         | events                     | email      |
|-----------|--------------|--------------|------------|----------------------------|------------|
| draft     | submit       | author       | submitted  | submitted                  | submitted  |
| returned  | submit       | author       | submitted  | resubmitted                | resubmitted|
| submitted | withdraw     | author       | draft      | withdrawn                  | -          |
| submitted | start review | line manager | in review  | review started             | -          |
| submitted | sign off     | line manager | signed off | review started, signed off | signed off |
| in review | sign off     | line manager | signed off | signed off                 | signed off |
| submitted | return       | line manager | returned   | review started, returned   | returned   |
| in review | return       | line manager | returned   | returned                   | returned   |
| draft     | delete       | author       | (deleted)  | -                          | -          |

Starting an assessment creates it as a draft (assessments.services.assessment_start). Edits
that keep the status (the author's ratings, the manager's review) go through `change` with no
action: the author may edit a draft or returned assessment, the line manager a submitted or
in-review one, and the manager's first save takes "start review".

Every call runs in one transaction with the assessment's row locked; it checks who is asking,
then whether the status allows it, then the optimistic lock (`lock_version`, sent back by the
page the change was made on: a page drawn before another change gets `StaleEdit`), then runs
the caller's own writes and rules, then moves the status, records the events, adds one to
`lock_version` and saves; a sign-off is also counted into the capability summary
(assessments.outcomes) in the same transaction. Emails go after the commit, so a change rolled
back sends nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from people.models import Person

from .emails import Email, send_on_commit
from .models import AssessmentEvent, AssessmentStatus, EventKind, SelfAssessment
from .outcomes import outcome_count_signed_off

Status = AssessmentStatus


class Action(Enum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    START_REVIEW = "start review"
    SIGN_OFF = "sign off"
    RETURN = "return"
    DELETE = "delete"


class Who(Enum):
    AUTHOR = "author"
    LINE_MANAGER = "line manager"


@dataclass(frozen=True)
class Transition:
    from_status: str
    action: Action
    who: Who
    to_status: str | None  # None: the assessment is deleted
    events: tuple[str, ...]
    email: Email | None


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        Status.DRAFT, Action.SUBMIT, Who.AUTHOR, Status.SUBMITTED, (EventKind.SUBMITTED,),
        Email.SUBMITTED,
    ),
    Transition(
        Status.RETURNED, Action.SUBMIT, Who.AUTHOR, Status.SUBMITTED, (EventKind.RESUBMITTED,),
        Email.RESUBMITTED,
    ),
    Transition(
        Status.SUBMITTED, Action.WITHDRAW, Who.AUTHOR, Status.DRAFT, (EventKind.WITHDRAWN,),
        None,
    ),
    Transition(
        Status.SUBMITTED, Action.START_REVIEW, Who.LINE_MANAGER, Status.IN_REVIEW,
        (EventKind.REVIEW_STARTED,), None,
    ),
    Transition(
        Status.SUBMITTED, Action.SIGN_OFF, Who.LINE_MANAGER, Status.SIGNED_OFF,
        (EventKind.REVIEW_STARTED, EventKind.SIGNED_OFF), Email.SIGNED_OFF,
    ),
    Transition(
        Status.IN_REVIEW, Action.SIGN_OFF, Who.LINE_MANAGER, Status.SIGNED_OFF,
        (EventKind.SIGNED_OFF,), Email.SIGNED_OFF,
    ),
    Transition(
        Status.SUBMITTED, Action.RETURN, Who.LINE_MANAGER, Status.RETURNED,
        (EventKind.REVIEW_STARTED, EventKind.RETURNED), Email.RETURNED,
    ),
    Transition(
        Status.IN_REVIEW, Action.RETURN, Who.LINE_MANAGER, Status.RETURNED,
        (EventKind.RETURNED,), Email.RETURNED,
    ),
    # A draft the author no longer wants goes, with its ratings and timeline.
    Transition(Status.DRAFT, Action.DELETE, Who.AUTHOR, None, (), None),
)  # fmt: skip
_BY_KEY = {(t.from_status, t.action): t for t in TRANSITIONS}

# Statuses in which each side may edit without changing the status.
EDITABLE_BY = {
    Who.AUTHOR: (Status.DRAFT, Status.RETURNED),
    Who.LINE_MANAGER: (Status.SUBMITTED, Status.IN_REVIEW),
}

NOT_YOUR_ASSESSMENT = "You can only change your own assessment"
NOT_LINE_MANAGER = "Only their line manager can review this assessment"
NOT_EDITABLE = "This assessment has been submitted, so it cannot be changed now"
NOT_SUBMITTABLE = "Only a draft or returned assessment can be submitted"
CANNOT_WITHDRAW = "Only a submitted assessment can be withdrawn"
CANNOT_DELETE = "Only a draft can be deleted: this assessment has been submitted"
CANNOT_WITHDRAW_REVIEW_STARTED = (
    "Your line manager has started reviewing this assessment, so it can no longer be withdrawn"
)
SIGNED_OFF_NO_CHANGE = "This assessment has been signed off and can no longer change"
NOT_WAITING_FOR_REVIEW = "This assessment is not waiting for a review"
STALE_EDIT = (
    "This assessment changed since you opened it, for example in another tab. "
    "Nothing was saved: check the latest answers, then save again"
)


class StaleEdit(ValidationError):
    """A change made on a page drawn from an older lock_version than the one stored."""

    def __init__(self) -> None:
        super().__init__(STALE_EDIT, code="stale")


def allowed(*, status: str, action: Action, who: Who) -> bool:
    """Whether the table lets `who` take `action` on an assessment in `status`."""
    transition = _BY_KEY.get((status, action))
    return transition is not None and transition.who == who


def _is(who: Who, by: Person | None, assessment: SelfAssessment) -> bool:
    if by is None:
        return False
    if who == Who.AUTHOR:
        return assessment.person_id == by.pk
    return assessment.person.line_manager_id == by.pk


def _refusal(who: Who, action: Action | None, status: str) -> str:
    """Why the status does not allow what was asked, in the asker's terms."""
    if who == Who.LINE_MANAGER:
        return SIGNED_OFF_NO_CHANGE if status == Status.SIGNED_OFF else NOT_WAITING_FOR_REVIEW
    if action == Action.WITHDRAW:
        return CANNOT_WITHDRAW_REVIEW_STARTED if status == Status.IN_REVIEW else CANNOT_WITHDRAW
    if action == Action.SUBMIT:
        return NOT_SUBMITTABLE
    if action == Action.DELETE:
        return CANNOT_DELETE
    return NOT_EDITABLE


def _check_lock(stored: SelfAssessment, lock_version: object) -> None:
    try:
        given = int(lock_version)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise StaleEdit from None
    if given != stored.lock_version:
        raise StaleEdit


def _stamp(assessment: SelfAssessment, kind: str, by: Person, now, note: str) -> None:
    """The assessment's own record of an event (the timeline row is written beside it)."""
    if kind in (EventKind.SUBMITTED, EventKind.RESUBMITTED):
        assessment.submitted_at = now
    elif kind == EventKind.WITHDRAWN:
        assessment.submitted_at = None
    elif kind == EventKind.REVIEW_STARTED:
        assessment.review_started_at = now
    elif kind == EventKind.SIGNED_OFF:
        assessment.signed_off_at = now
        assessment.reviewer = by
    elif kind == EventKind.RETURNED:
        assessment.returned_at = now
        assessment.return_reason = note
        assessment.reviewer = by


def change(
    *,
    assessment: SelfAssessment,
    by: Person | None,
    who: Who,
    lock_version: object,
    action: Action | None = None,
    note: str = "",
    write: Callable[[SelfAssessment], None] | None = None,
    base_url: str = "",
) -> SelfAssessment:
    """Take `action` (or, with none, edit) on `assessment` as `by`, acting as `who`.

    `write(stored)` is called with the locked row once who, status and lock are checked: it
    makes the caller's own writes (ratings, summary) and may raise ValidationError to refuse,
    in which case nothing at all is written. A line manager's edit of a submitted assessment
    starts the review. Returns the saved row; the caller's `assessment` is updated to match
    (for a deletion, the row as it was).
    """
    with transaction.atomic():
        stored = (
            SelfAssessment.objects.select_for_update()
            .select_related("person")
            .get(pk=assessment.pk)
        )
        if not _is(who, by, stored):
            raise PermissionDenied(NOT_YOUR_ASSESSMENT if who == Who.AUTHOR else NOT_LINE_MANAGER)
        if action is None and who == Who.LINE_MANAGER and stored.status == Status.SUBMITTED:
            action = Action.START_REVIEW
        if action is None:
            transition = None
            if stored.status not in EDITABLE_BY[who]:
                raise ValidationError(_refusal(who, None, stored.status), code="status")
        else:
            transition = _BY_KEY.get((stored.status, action))
            if transition is None or transition.who != who:
                raise ValidationError(_refusal(who, action, stored.status), code="status")
        _check_lock(stored, lock_version)
        if write is not None:
            write(stored)
        if transition is not None and transition.to_status is None:
            stored.delete()
            return stored
        now = timezone.now()
        if transition is not None:
            stored.status = transition.to_status
            for kind in transition.events:
                event_note = note if kind == EventKind.RETURNED else ""
                _stamp(stored, kind, by, now, event_note)
                AssessmentEvent.objects.create(
                    assessment=stored, kind=kind, at=now, by=by, note=event_note
                )
            if transition.email is not None:
                send_on_commit(transition.email, assessment=stored, by=by, base_url=base_url)
        stored.lock_version += 1
        stored.save()
        if transition is not None and transition.to_status == Status.SIGNED_OFF:
            # Capability reports read a summary that must never lag the sign-offs it counts.
            outcome_count_signed_off(stored)
    for field in SelfAssessment._meta.concrete_fields:
        setattr(assessment, field.attname, getattr(stored, field.attname))
    return stored
