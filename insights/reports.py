"""The figures of the insights page: a profession's self-assessments in aggregate.

insights.views shows them to the profession's heads, who never see an individual record
(design.md, access matrix: "aggregate only"). Everything here is counted by the database in a
fixed number of grouped queries, whatever the number of people or assessments, and every count
from 1 to SMALL_NUMBER_THRESHOLD - 1 is shown as "fewer than 5" so that nobody can be picked out
of a small group.
"""

from dataclasses import dataclass

from django.db.models import CharField, Count, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from assessments.models import AssessmentStatus, Rating, SelfAssessment
from roles.models import PROFICIENCY_RANK, Profession
from roles.selectors import Framework

# (skill slug, skill name, expected proficiency, agreed proficiency, number of ratings)
AgreedRow = tuple[str, str, str, str | None, int]

SMALL_NUMBER_THRESHOLD = 5
SMALL_NUMBER_TEXT = f"fewer than {SMALL_NUMBER_THRESHOLD}"
WITHHELD_TEXT = "not shown"
TOP_SKILLS = 10


def is_small(count: int) -> bool:
    return 0 < count < SMALL_NUMBER_THRESHOLD


def shown(count: int) -> str:
    """A count as the page may show it: small numbers are suppressed, zero is shown."""
    return SMALL_NUMBER_TEXT if is_small(count) else str(count)


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int

    @property
    def display(self) -> str:
        return shown(self.count)


@dataclass(frozen=True)
class LevelCount:
    name: str
    rank: int
    signed_off: int
    withheld: bool = False  # hidden so a suppressed neighbour cannot be worked out

    @property
    def display(self) -> str:
        return WITHHELD_TEXT if self.withheld else shown(self.signed_off)


@dataclass(frozen=True)
class SkillBelow:
    name: str
    below: int  # signed-off ratings whose agreed proficiency is below the expected one
    rated: int  # signed-off ratings of this skill with an agreed proficiency

    @property
    def suppressed(self) -> bool:
        return is_small(self.below)

    @property
    def display(self) -> str:
        return shown(self.below)

    @property
    def share(self) -> int:
        """Percentage of this skill's ratings below expected, rounded to a whole number."""
        return round(100 * self.below / self.rated) if self.rated else 0

    @property
    def share_display(self) -> str:
        # With the count suppressed, the share (and a small denominator) could give it back.
        if self.suppressed:
            return WITHHELD_TEXT
        return f"{self.share}%"


@dataclass(frozen=True)
class ProfessionInsights:
    statuses: list[StatusCount]  # in the order of AssessmentStatus
    levels: list[LevelCount]  # by rank, for the latest published framework (may be empty)
    skills_below: list[SkillBelow]  # most often below first, at most TOP_SKILLS


def _assessments(profession: Profession) -> QuerySet[SelfAssessment]:
    return SelfAssessment.objects.filter(role_level__profession=profession)


def _status_and_level_counts(profession: Profession) -> dict[tuple[str, str], int]:
    """{(status, role level slug): count}: one grouped query."""
    rows = (
        _assessments(profession)
        .order_by()
        .values_list("status", "role_level__slug")
        .annotate(count=Count("pk"))
    )
    return {(status, slug): count for status, slug, count in rows}


def agreed_proficiency_rows(profession: Profession) -> list[AgreedRow]:
    """(skill slug, skill name, expected, agreed, count) for the ratings of signed-off
    assessments: one grouped query. Agreed is the line manager's proficiency, or the person's
    own where the manager left it empty."""
    agreed = Coalesce(
        NullIf("manager_proficiency", Value("")),
        NullIf("self_proficiency", Value("")),
        output_field=CharField(),
    )
    return list(
        Rating.objects.filter(
            assessment__role_level__profession=profession,
            assessment__status=AssessmentStatus.SIGNED_OFF,
        )
        .annotate(agreed=agreed)
        .order_by()
        .values_list("skill__slug", "skill_name", "expected_proficiency", "agreed")
        .annotate(count=Count("pk"))
    )


def _skills_below(rows: list[AgreedRow], framework: Framework | None) -> list[SkillBelow]:
    names, below, rated = {}, {}, {}
    for slug, name, expected, agreed, count in rows:
        if not agreed:
            continue  # no proficiency at all: not rated, so neither below nor above
        names.setdefault(slug, name)
        rated[slug] = rated.get(slug, 0) + count
        if PROFICIENCY_RANK.get(agreed, 0) < PROFICIENCY_RANK.get(expected, 0):
            below[slug] = below.get(slug, 0) + count
    if framework is not None:
        # A skill renamed since is called by its current published name.
        for slug in names:
            if slug in framework.skills:
                names[slug] = framework.skills[slug].name
    skills = [
        SkillBelow(name=names[slug], below=count, rated=rated[slug])
        for slug, count in below.items()
    ]
    skills.sort(key=lambda skill: (-skill.below, -skill.share, skill.name))
    return skills[:TOP_SKILLS]


def _protect_the_one_small_level(levels: list[LevelCount]) -> list[LevelCount]:
    """The signed-off total is on the page, so one suppressed level among shown ones could be
    worked out by subtraction: hide the smallest other non-zero level as well."""
    if sum(is_small(level.signed_off) for level in levels) != 1:
        return levels
    others = [lvl for lvl in levels if lvl.signed_off >= SMALL_NUMBER_THRESHOLD]
    if not others:
        return levels
    hide = min(others, key=lambda level: (level.signed_off, level.rank))
    return [
        LevelCount(name=lvl.name, rank=lvl.rank, signed_off=lvl.signed_off, withheld=True)
        if lvl is hide
        else lvl
        for lvl in levels
    ]


def profession_insights(
    *, profession: Profession, framework: Framework | None = None
) -> ProfessionInsights:
    """The aggregate view of a profession's self-assessments; `framework` is its latest
    published roles.selectors.Framework, or None when it has none. Two queries."""
    counts = _status_and_level_counts(profession)
    by_status, signed_off_by_level = {}, {}
    for (status, slug), count in counts.items():
        by_status[status] = by_status.get(status, 0) + count
        if status == AssessmentStatus.SIGNED_OFF:
            signed_off_by_level[slug] = signed_off_by_level.get(slug, 0) + count
    statuses = [
        StatusCount(status=value, label=label, count=by_status.get(value, 0))
        for value, label in AssessmentStatus.choices
    ]
    levels = []
    if framework is not None:
        levels = [
            LevelCount(
                name=level.name, rank=level.rank, signed_off=signed_off_by_level.get(level.slug, 0)
            )
            for level in framework.levels
        ]
        levels = _protect_the_one_small_level(levels)
    return ProfessionInsights(
        statuses=statuses,
        levels=levels,
        skills_below=_skills_below(agreed_proficiency_rows(profession), framework),
    )
