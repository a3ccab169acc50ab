"""Generate self-assessments for a generated organisation (manage.py seed_demo).

people.seed makes the staff; this adds assessments in every status with their ratings (from the
pinned version's snapshot) and timeline events, written in bulk with no per-row queries.
Deterministic for a given seed.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Max, Min, OuterRef, Subquery
from django.utils import timezone

from careerpath.db import planner_statistics_refresh, statement_timeout_lift
from people.models import Person
from people.seed import BATCH, seed_people
from roles.models import Proficiency

from .models import (
    AssessmentEvent,
    AssessmentStatus,
    EventKind,
    OutcomeCount,
    Rating,
    SelfAssessment,
)
from .outcomes import outcome_counts_rebuild

STATUS_WEIGHTS = [
    (AssessmentStatus.DRAFT, 25),
    (AssessmentStatus.SUBMITTED, 20),
    (AssessmentStatus.IN_REVIEW, 10),
    (AssessmentStatus.RETURNED, 10),
    (AssessmentStatus.SIGNED_OFF, 35),
]
RETURN_REASONS = [
    "Please add an example from this year for the skills where you rated yourself highest.",
    "We agreed to talk about the leadership evidence first; please expand it and resubmit.",
    "Some of the evidence describes the team's work rather than yours. Say what you did.",
]
EVIDENCE = [
    "Led the weekly planning session and changed the order of work after user research.",
    "Wrote the case for the new service and presented it to the board, which approved it.",
    "Coached two new colleagues through their first quarter; both now run work alone.",
    "Cut the backlog of cases by a third by changing how the team triaged them.",
    "Worked with finance to bring the project back within its budget after a delay.",
]
COMMENTS = [
    "Agreed: good, specific evidence.",
    "I would put this one level lower for now; we will look at it at mid-year.",
    "Strong example; share it with the wider team.",
]
PROFICIENCIES = list(Proficiency.values)  # lowest first
# How agreed proficiencies fall against what a level expects, per skill: (share below two years
# ago, share below now, share above). Shaped on what departments found when they assessed their
# operations staff (../shared/domain.md): leadership through change is the biggest gap
# everywhere, customer service is strong, and the capability plan's digital and commercial
# priorities are gaps that close. Skills not named here use DEFAULT_TENDENCY.
SKILL_TENDENCIES = {
    "leadership through change": (0.6, 0.55, 0.03),
    "customer service": (0.08, 0.06, 0.3),
    "digital service delivery": (0.45, 0.15, 0.1),
    "commercial awareness": (0.4, 0.18, 0.08),
    "using data to make decisions": (0.35, 0.2, 0.1),
}
DEFAULT_TENDENCY = (0.2, 0.18, 0.15)
HISTORY_DAYS = 730  # about eight quarters


@dataclass
class SeedResult:
    people: int = 0
    assessments: int = 0
    ratings: int = 0
    events: int = 0
    statuses: dict[str, int] = field(
        default_factory=lambda: {status: 0 for status, _ in STATUS_WEIGHTS}
    )


@transaction.atomic
def seed_organisation(
    *,
    people: int,
    seed: int = 1,
    stdout=None,
    prefix: str = "G",
    email_domain: str = "example.gov.uk",
    progress=None,
) -> SeedResult:
    """Add `people` generated staff and their assessments. Returns a SeedResult."""
    statement_timeout_lift()
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    now = timezone.now().replace(microsecond=0)
    person_info = seed_people(
        people=people,
        rng=rng,
        stdout=stdout,
        prefix=prefix,
        email_domain=email_domain,
        progress=progress,
    )
    result = SeedResult(people=len(person_info))
    _seed_assessments(rng, person_info, now, result, progress)
    planner_statistics_refresh(Person, SelfAssessment, Rating, AssessmentEvent)
    outcome_counts_rebuild()
    planner_statistics_refresh(OutcomeCount)
    return result


def _agreed_rank(rng, skill_name, expected, days_ago):
    """The proficiency a manager agrees for a skill, as an index into PROFICIENCIES: below,
    at or above what the level expects, with the odds of SKILL_TENDENCIES (a gap that closes
    moves from its first odds to its last over HISTORY_DAYS)."""
    tendency = SKILL_TENDENCIES.get(skill_name.lower(), DEFAULT_TENDENCY)
    then_below, now_below, above = tendency
    recent = 1 - min(days_ago, HISTORY_DAYS) / HISTORY_DAYS
    below = then_below + (now_below - then_below) * recent
    roll = rng.random()
    want = PROFICIENCIES.index(expected)
    if roll < below:
        return max(0, want - 1)
    if roll < below + above:
        return min(3, want + 1)
    return want


def _pick_status(rng):
    roll = rng.uniform(0, 100)
    for status, weight in STATUS_WEIGHTS:
        roll -= weight
        if roll <= 0:
            return status
    return AssessmentStatus.SIGNED_OFF


def _seed_assessments(rng, person_info, now, result, progress):
    """About a third of staff have a current assessment; some have an older signed-off one."""
    pending = []  # (SelfAssessment, framework level, status, person pk, manager pk, days ago)
    first_id = None
    seen_statuses = set()
    for index, seeded in enumerate(person_info):
        pk, manager_pk, framework, level = (
            seeded.pk,
            seeded.manager_pk,
            seeded.framework,
            seeded.level,
        )
        # Make sure even a small run has every status: the first few with managers cycle them.
        wanted = None
        if manager_pk is not None and len(seen_statuses) < len(STATUS_WEIGHTS):
            wanted = next(s for s, _ in STATUS_WEIGHTS if s not in seen_statuses)
        elif rng.random() > 0.33:
            continue
        status = wanted or _pick_status(rng)
        if manager_pk is None:
            status = AssessmentStatus.DRAFT
        seen_statuses.add(status)
        days_ago = rng.randint(1, 300)
        pending.append((framework, level, status, pk, manager_pk, days_ago))
        levels = framework["levels"]
        position = levels.index(level)
        if manager_pk is not None and rng.random() < 0.25:
            # Last year's, signed off: against the level below, or this one for the first level.
            earlier = levels[max(position - 1, 0)]
            pending.append(
                (framework, earlier, AssessmentStatus.SIGNED_OFF, pk, manager_pk, days_ago + 400)
            )
        if len(pending) >= BATCH:
            first_id = _write_batch(rng, pending, now, result, first_id)
            pending = []
            if progress:
                progress(f"Assessments: {result.assessments} for {index + 1} people")
    if pending:
        first_id = _write_batch(rng, pending, now, result, first_id)
    if first_id is not None:
        # created_at/updated_at are set by Django on insert; give them the timeline's times.
        events = AssessmentEvent.objects.filter(assessment=OuterRef("pk")).order_by()
        SelfAssessment.objects.filter(pk__gte=first_id).update(
            created_at=Subquery(
                events.values("assessment").annotate(first=Min("at")).values("first")[:1]
            ),
            updated_at=Subquery(
                events.values("assessment").annotate(last=Max("at")).values("last")[:1]
            ),
        )


def _write_batch(rng, pending, now, result, first_id):
    assessments = []
    for framework, level, status, pk, manager_pk, days_ago in pending:
        started = now - timedelta(days=days_ago, hours=rng.randint(0, 8))
        submitted = started + timedelta(days=rng.randint(1, 20))
        assessment = SelfAssessment(
            person_id=pk,
            framework_version_id=framework["version_id"],
            role_level_id=level["pk"],
            level_slug=level["slug"],
            level_name=level["name"],
            status=status,
        )
        if status != AssessmentStatus.DRAFT:
            assessment.submitted_at = submitted
        if status in (AssessmentStatus.IN_REVIEW, AssessmentStatus.RETURNED):
            assessment.review_started_at = submitted + timedelta(days=2)
        if status == AssessmentStatus.RETURNED:
            assessment.returned_at = submitted + timedelta(days=3)
            assessment.return_reason = rng.choice(RETURN_REASONS)
            assessment.reviewer_id = manager_pk
        if status == AssessmentStatus.SIGNED_OFF:
            assessment.review_started_at = submitted + timedelta(days=2)
            assessment.signed_off_at = submitted + timedelta(days=5)
            assessment.reviewer_id = manager_pk
            assessment.manager_summary = "A fair assessment, agreed in our one-to-one."
        assessment._seed = (level, status, started, submitted, pk, manager_pk, days_ago)
        assessments.append(assessment)
    SelfAssessment.objects.bulk_create(assessments)
    if first_id is None:
        first_id = min(a.pk for a in assessments)

    ratings = []
    events = []
    for assessment in assessments:
        level, status, started, submitted, pk, manager_pk, days_ago = assessment._seed
        result.statuses[status] += 1
        expectations = level["expectations"]
        filled = len(expectations)
        if status == AssessmentStatus.DRAFT:
            filled = rng.randint(0, len(expectations))
        reviewed = status in (AssessmentStatus.SIGNED_OFF, AssessmentStatus.IN_REVIEW)
        for position, skill_id, skill_name, expected in expectations:
            rating = Rating(
                assessment_id=assessment.pk,
                skill_id=skill_id,
                skill_name=skill_name,
                position=position,
                expected_proficiency=expected,
            )
            if position <= filled:
                agreed = _agreed_rank(rng, skill_name, expected, days_ago)
                # People rate themselves a little higher than their managers now and then.
                own = min(3, agreed + (rng.random() < 0.2))
                rating.self_proficiency = PROFICIENCIES[own]
                rating.evidence = rng.choice(EVIDENCE)
                if reviewed and (status == AssessmentStatus.SIGNED_OFF or rng.random() < 0.5):
                    rating.manager_proficiency = PROFICIENCIES[agreed]
                    rating.manager_comment = rng.choice(COMMENTS)
            ratings.append(rating)
        events.append(
            AssessmentEvent(
                assessment_id=assessment.pk, kind=EventKind.STARTED, at=started, by_id=pk
            )
        )
        if status != AssessmentStatus.DRAFT:
            events.append(
                AssessmentEvent(
                    assessment_id=assessment.pk, kind=EventKind.SUBMITTED, at=submitted, by_id=pk
                )
            )
        if assessment.review_started_at:
            events.append(
                AssessmentEvent(
                    assessment_id=assessment.pk,
                    kind=EventKind.REVIEW_STARTED,
                    at=assessment.review_started_at,
                    by_id=manager_pk,
                )
            )
        if status == AssessmentStatus.RETURNED:
            events.append(
                AssessmentEvent(
                    assessment_id=assessment.pk,
                    kind=EventKind.RETURNED,
                    at=assessment.returned_at,
                    by_id=manager_pk,
                    note=assessment.return_reason,
                )
            )
        if status == AssessmentStatus.SIGNED_OFF:
            events.append(
                AssessmentEvent(
                    assessment_id=assessment.pk,
                    kind=EventKind.SIGNED_OFF,
                    at=assessment.signed_off_at,
                    by_id=manager_pk,
                )
            )
    Rating.objects.bulk_create(ratings, batch_size=BATCH)
    AssessmentEvent.objects.bulk_create(events, batch_size=BATCH)
    result.assessments += len(assessments)
    result.ratings += len(ratings)
    result.events += len(events)
    return first_id
