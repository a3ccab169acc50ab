"""What "Your career" shows, worked out from the person's staff record, their latest signed-off
self-assessment and the published frameworks (read through roles.selectors).

The reads are the functions at the top, each a fixed number of queries whatever the size of the
organisation; everything after them is plain Python over what they return, so the views and
the tests can reason about it without a database.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q

from assessments.models import AssessmentStatus, SelfAssessment
from assessments.outcomes import compare
from people.models import Person
from roles.models import Proficiency
from roles.selectors import ExpectationView, Framework, LevelView, SkillView

WAITING_FOR_REVIEW = [AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW]

# Where a skill stands against what a level expects.
MEETS = "meeting"
BELOW = "below"
ABOVE = "above"
NOT_ASSESSED = "not_assessed"
STATUS_LABELS = {
    MEETS: "Meets",
    BELOW: "Below",
    ABOVE: "Above",
    NOT_ASSESSED: "Not assessed",
}


# --- reads --------------------------------------------------------------------------------
def staff_record(user) -> Person | None:
    """The signed-in user's current staff record with what the pages show of it, in one query;
    None for anyone without one, or whose record is no longer active (a leaver)."""
    if not user.is_authenticated:
        return None
    return (
        Person.objects.select_related("profession", "role_level", "department", "line_manager")
        .filter(user=user, is_active=True)
        .first()
    )


@dataclass(frozen=True)
class RatedSkill:
    """One skill of a signed-off assessment: the person's own proficiency and the agreed one."""

    slug: str
    name: str
    own: str
    agreed: str
    expected: str  # what the assessed level expected when it was assessed


@dataclass(frozen=True)
class Profile:
    """The agreed proficiencies of a person's latest signed-off assessment, by skill slug."""

    assessment: SelfAssessment
    skills: dict[str, RatedSkill]

    def counts(self) -> dict[str, int]:
        """How many skills of the assessed level were below, met and above, as agreed."""
        counts = {MEETS: 0, BELOW: 0, ABOVE: 0}
        for rated in self.skills.values():
            if rated.agreed:
                counts[compare(rated.agreed, rated.expected)] += 1
        return counts


def latest_signed_off(person: Person) -> SelfAssessment | None:
    """The person's most recently signed-off assessment (a newer draft or submission never
    hides it), with its reviewer: one query."""
    return (
        SelfAssessment.objects.filter(person=person, status=AssessmentStatus.SIGNED_OFF)
        .select_related("reviewer")
        .order_by("-signed_off_at", "-pk")
        .first()
    )


def profile_for(person: Person) -> Profile | None:
    """The person's Profile, or None when nothing of theirs has been signed off: two queries."""
    assessment = latest_signed_off(person)
    if assessment is None:
        return None
    ratings = assessment.ratings.order_by("position").values_list(
        "skill__slug",
        "skill_name",
        "self_proficiency",
        "manager_proficiency",
        "expected_proficiency",
    )
    skills = {}
    for slug, name, own, manager, expected in ratings:
        agreed = manager or own  # as assessments.outcomes counts it for capability reports
        skills[slug] = RatedSkill(slug=slug, name=name, own=own, agreed=agreed, expected=expected)
    return Profile(assessment=assessment, skills=skills)


def open_assessments(person: Person) -> list[SelfAssessment]:
    """The person's assessments in progress (any status but signed off), newest first."""
    return list(SelfAssessment.objects.open().filter(person=person).order_by("-created_at", "-pk"))


@dataclass(frozen=True)
class Line:
    """What a manager sees of the people below them: their direct reports and everyone further
    down, and the assessments waiting for review among them."""

    direct_reports: int
    everyone_below: int
    waiting_for_me: int
    oldest_waiting_since: datetime | None
    waiting_in_line: int

    @property
    def is_line_manager(self) -> bool:
        return self.direct_reports > 0

    @property
    def manages_managers(self) -> bool:
        return self.everyone_below > self.direct_reports


def line_for(person: Person) -> Line:
    """Two aggregate queries on indexed columns, whatever the size of the line."""
    people = (
        Person.objects.below(person)
        .filter(is_active=True)
        .aggregate(
            everyone=Count("pk"),
            direct=Count("pk", filter=Q(line_manager=person)),
        )
    )
    waiting = (
        SelfAssessment.objects.filter(
            person__management_path__startswith=person.subtree_prefix,
            status__in=WAITING_FOR_REVIEW,
        )
        .exclude(person=person)
        .aggregate(
            in_line=Count("pk"),
            mine=Count("pk", filter=Q(person__line_manager=person)),
            oldest=Min("submitted_at", filter=Q(person__line_manager=person)),
        )
    )
    return Line(
        direct_reports=people["direct"],
        everyone_below=people["everyone"],
        waiting_for_me=waiting["mine"],
        oldest_waiting_since=waiting["oldest"],
        waiting_in_line=waiting["in_line"],
    )


# --- levels to compare against --------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """A published level to set a profile against."""

    framework: Framework
    level: LevelView

    @property
    def value(self) -> str:
        """As the `level` GET parameter names it: "<profession slug>/<level slug>"."""
        return f"{self.framework.profession_slug}/{self.level.slug}"

    @property
    def next(self) -> "Target | None":
        following = self.framework.next_level(self.level)
        return Target(self.framework, following) if following else None


def find_target(frameworks: list[Framework], value: str) -> Target | None:
    """The level named by "<profession slug>/<level slug>", or None."""
    profession_slug, _, level_slug = value.partition("/")
    for framework in frameworks:
        if framework.profession_slug == profession_slug:
            level = framework.find_level(level_slug)
            return Target(framework, level) if level else None
    return None


def current_target(frameworks: list[Framework], person: Person) -> Target | None:
    """The person's own level as published, or None when they have none or it is not
    published (yet, or any more)."""
    if person.profession_id is None or person.role_level_id is None:
        return None
    return find_target(frameworks, f"{person.profession.slug}/{person.role_level.slug}")


# --- a profile against a level --------------------------------------------------------------
def resources_between(skill: SkillView | None, have: str, want: str) -> list[dict]:
    """The skill's learning resources that help from the proficiency `have` ("" for none) up
    to `want`: those for a proficiency above `have` and no higher than `want`, and those for
    any proficiency. Labelled for display."""
    return skill.resources_between(have, want) if skill is not None else []


@dataclass(frozen=True)
class SkillRow:
    """One skill of a target level, with what the person's profile says of it."""

    expectation: ExpectationView
    rated: RatedSkill | None

    @property
    def skill(self) -> SkillView:
        return self.expectation.skill

    @property
    def expected(self) -> str:
        return self.expectation.proficiency

    @property
    def own(self) -> str:
        return self.rated.own if self.rated else ""

    @property
    def agreed(self) -> str:
        return self.rated.agreed if self.rated else ""

    @property
    def status(self) -> str:
        if not self.agreed:
            return NOT_ASSESSED
        return compare(self.agreed, self.expected)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def met(self) -> bool:
        return self.status in (MEETS, ABOVE)

    @property
    def expected_label(self) -> str:
        return Proficiency(self.expected).label

    @property
    def own_label(self) -> str:
        return Proficiency(self.own).label if self.own else ""

    @property
    def agreed_label(self) -> str:
        return Proficiency(self.agreed).label if self.agreed else ""

    @property
    def resources(self) -> list[dict]:
        """What helps close the gap, from the agreed proficiency up to the expected one (every
        resource up to it for a skill that was not assessed)."""
        return resources_between(self.skill, self.agreed, self.expected)


def skill_rows(level: LevelView, profile: Profile | None) -> list[SkillRow]:
    """Every skill the level expects, in the level's order, with the profile's ratings."""
    skills = profile.skills if profile else {}
    return [
        SkillRow(expectation, skills.get(expectation.skill.slug))
        for expectation in level.expectations
    ]


@dataclass(frozen=True)
class Tally:
    met: int
    below: int
    not_assessed: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.met / self.total) if self.total else 0


def tally(rows: list[SkillRow]) -> Tally:
    return Tally(
        met=sum(1 for row in rows if row.met),
        below=sum(1 for row in rows if row.status == BELOW),
        not_assessed=sum(1 for row in rows if row.status == NOT_ASSESSED),
        total=len(rows),
    )


# --- where you could move -------------------------------------------------------------------
@dataclass(frozen=True)
class Move:
    """A level of any profession, with how much of it the person's agreed profile meets."""

    target: Target
    tally: Tally
    sideways: bool  # another profession, at a level whose typical grades include yours
    current: bool  # the person's own level

    @property
    def share(self) -> float:
        return self.tally.met / self.tally.total


def rank_moves(
    frameworks: list[Framework], profile: Profile, *, person: Person, current: Target | None
) -> list[Move]:
    """Every level that expects at least one skill, best met first: by the share of its skills
    the agreed profile meets (a skill not assessed is not met), then by how many it meets, then
    by profession and rank. No queries."""
    own_profession = person.profession.slug if person.profession_id else None
    moves = []
    for framework in frameworks:
        for level in framework.levels:
            if not level.expectations:
                continue
            target = Target(framework, level)
            counted = tally(skill_rows(level, profile))
            moves.append(
                Move(
                    target=target,
                    tally=counted,
                    sideways=(
                        framework.profession_slug != own_profession and person.grade in level.grades
                    ),
                    current=current is not None and target.value == current.value,
                )
            )
    moves.sort(
        key=lambda move: (
            -move.share,
            -move.tally.met,
            move.target.framework.profession_name.casefold(),
            move.target.level.rank,
        )
    )
    return moves
