"""Demo: the member of staff's history, so that their career home, skill profile, readiness and
moves show something real on first sign-in.

staff@ gets one assessment against their own level, signed off by their line manager about a
year ago: most skills agreed where the level expects them, a few below and one above, and
nothing in progress, so they can start this year's; and a development plan for the skills
below, one action overdue. It is written straight through the ORM
as assessments.seed writes its generated history (the lifecycle cannot date a sign-off in the
past), with its timeline events, and counted into the capability summary as a sign-off is.
Idempotent: nothing is added if staff@ has any assessment already. Runs after people.demo and
assessments.demo (INSTALLED_APPS order).
"""

from datetime import timedelta

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from assessments.models import (
    AssessmentEvent,
    AssessmentStatus,
    EventKind,
    PlanAction,
    PlanStatus,
    Rating,
    SelfAssessment,
)
from assessments.outcomes import outcome_count_signed_off
from people.models import Person
from roles.models import PROFICIENCY_RANK, Skill
from roles.selectors import latest_framework_or_404

STAFF_EMAIL = "staff@example.gov.uk"
DAYS_AGO = 380  # started a little over a year ago, signed off about a year ago
BELOW = 3  # how many skills are agreed one step below what the level expects
PROFICIENCIES = list(PROFICIENCY_RANK)  # lowest first
EVIDENCE = (
    "Ran the discovery for the new service, kept the team to its roadmap and reported "
    "progress to the board each month."
)
MANAGER_SUMMARY = (
    "A fair assessment, agreed in our one-to-one. We will pick the skills below the level to "
    "work on this year."
)
SELF_COMMENT = "Agreed one step lower for now: let us find you a chance to show this."


def _plan(expectations):
    """{skill slug: (own, agreed)}: every skill agreed as expected, except the first BELOW
    that can fall a step (agreed one below, though the person rated one of them as expected)
    and the first of the rest that can rise one (agreed one above)."""
    plan = {}
    below = above = 0
    for expectation in expectations:
        want = PROFICIENCIES.index(expectation.proficiency)
        if below < BELOW and want > 0:
            agreed = PROFICIENCIES[want - 1]
            own = expectation.proficiency if below == 0 else agreed
            below += 1
        elif above < 1 and want < len(PROFICIENCIES) - 1:
            agreed = own = PROFICIENCIES[want + 1]
            above += 1
        else:
            agreed = own = expectation.proficiency
        plan[expectation.skill.slug] = (own, agreed)
    return plan


def load(*, password, stdout):
    person = (
        Person.objects.select_related("role_level__profession", "line_manager")
        .filter(email=STAFF_EMAIL)
        .first()
    )
    if person is None or person.role_level is None or person.line_manager is None:
        return []
    if SelfAssessment.objects.filter(person=person).exists():
        return []
    try:
        framework = latest_framework_or_404(person.role_level.profession.slug)
    except Http404:
        return []
    level = framework.find_level(person.role_level.slug)
    if level is None or not level.expectations:
        return []

    manager = person.line_manager
    started = timezone.now().replace(microsecond=0) - timedelta(days=DAYS_AGO)
    submitted = started + timedelta(days=8)
    review_started = submitted + timedelta(days=3)
    signed_off = review_started + timedelta(days=2)
    plan = _plan(level.expectations)
    skill_ids = dict(Skill.objects.filter(slug__in=plan).values_list("slug", "pk"))
    with transaction.atomic():
        assessment = SelfAssessment.objects.create(
            person=person,
            framework_version_id=framework.version_id,
            role_level=person.role_level,
            level_slug=level.slug,
            level_name=level.name,
            status=AssessmentStatus.SIGNED_OFF,
            submitted_at=submitted,
            review_started_at=review_started,
            signed_off_at=signed_off,
            reviewer=manager,
            manager_summary=MANAGER_SUMMARY,
        )
        # created_at and updated_at are set on insert: give them the timeline's times.
        SelfAssessment.objects.filter(pk=assessment.pk).update(
            created_at=started, updated_at=signed_off
        )
        Rating.objects.bulk_create(
            Rating(
                assessment=assessment,
                skill_id=skill_ids[expectation.skill.slug],
                skill_name=expectation.skill.name,
                position=position,
                expected_proficiency=expectation.proficiency,
                self_proficiency=plan[expectation.skill.slug][0],
                evidence=EVIDENCE,
                manager_proficiency=plan[expectation.skill.slug][1],
                manager_comment=(
                    SELF_COMMENT
                    if plan[expectation.skill.slug][0] != plan[expectation.skill.slug][1]
                    else ""
                ),
            )
            for position, expectation in enumerate(level.expectations, start=1)
        )
        AssessmentEvent.objects.bulk_create(
            [
                AssessmentEvent(
                    assessment=assessment, kind=EventKind.STARTED, at=started, by=person
                ),
                AssessmentEvent(
                    assessment=assessment, kind=EventKind.SUBMITTED, at=submitted, by=person
                ),
                AssessmentEvent(
                    assessment=assessment,
                    kind=EventKind.REVIEW_STARTED,
                    at=review_started,
                    by=manager,
                ),
                AssessmentEvent(
                    assessment=assessment, kind=EventKind.SIGNED_OFF, at=signed_off, by=manager
                ),
            ]
        )
        outcome_count_signed_off(assessment)
        _plan_actions(person, level, framework, plan, skill_ids)
    stdout.write(f"Gave {STAFF_EMAIL} an assessment against {level.name}, signed off a year ago")
    return []


def _plan_actions(person, level, framework, plan, skill_ids):
    """A development plan for the skills agreed below the level: one action overdue, one in
    progress, one not started (written as they would be after a few months of use)."""
    today = timezone.localdate()
    gaps = [slug for slug, (_own, agreed) in plan.items() if agreed != _expected(level, slug)]
    shapes = [
        (PlanStatus.IN_PROGRESS, -20, "Shadow a senior colleague through a planning cycle"),
        (PlanStatus.NOT_STARTED, 90, "Take the course and try it on this quarter's work"),
        (PlanStatus.NOT_STARTED, 150, "Lead one piece of this work and ask for feedback"),
    ]
    for slug, (status, days, title) in zip(gaps, shapes, strict=False):
        skill = framework.skills.get(slug)
        resource = skill.resources_between("", _expected(level, slug))[:1] if skill else []
        PlanAction.objects.create(
            person=person,
            skill_id=skill_ids[slug],
            skill_name=skill.name if skill else slug,
            title=title,
            resource_title=resource[0]["title"] if resource else "",
            resource_url=resource[0]["url"] if resource else "",
            target_date=today + timedelta(days=days),
            status=status,
        )


def _expected(level, slug):
    return next(e.proficiency for e in level.expectations if e.skill.slug == slug)
