"""A profession's capability report: where signed-off assessments fall against what each level
expects, skill by skill, for its heads of profession.

The figures come from assessments.OutcomeCount, a summary kept up to date in the same
transaction as every sign-off, so a report over a million ratings reads one small table in one
query and is never behind. Everything is worked out here from those counts; nothing in this
module knows which skills are expected to be weak.

Privacy (docs/insights.md): nobody is named, and
- every count from 1 to 4 is shown as "fewer than 5" (primary suppression);
- every other count is rounded to the nearest 5, and shares are worked out from the rounded
  counts, so that no subtraction of shown figures (a total less its parts, the whole
  profession less one department, one filter less another) gives an exact small number;
- where one count of a row is suppressed, the next smallest is withheld too (secondary
  suppression), and a share is shown only when neither it nor its complement rests on 1 to 4
  people.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from assessments.models import OutcomeCount
from assessments.outcomes import quarter_of
from people.models import Department
from roles.models import Grade, PrioritySkill, RoleLevel, Skill

from .permissions import ReportScope

SMALL = 5  # counts from 1 to SMALL - 1 are never shown
ROUND_TO = 5
SMALL_TEXT = f"fewer than {SMALL}"
WITHHELD_TEXT = "not shown"
NO_DATA_TEXT = "none"
TREND_QUARTERS = 8


# --- showing numbers safely ----------------------------------------------------------------
def is_small(count: int) -> bool:
    return 0 < count < SMALL


def rounded(count: int) -> int:
    """To the nearest ROUND_TO, halves up (never banker's rounding)."""
    return (count + ROUND_TO // 2) // ROUND_TO * ROUND_TO


def shown_count(count: int) -> str:
    if count == 0:
        return "0"
    if is_small(count):
        return SMALL_TEXT
    return f"{rounded(count):,}"


def safe_share(part: int, total: int) -> float | None:
    """Percentage of `part` in `total`, worked out from the rounded counts (an exact share would
    give the exact counts back), or None when showing it could give away a small count (the
    part, or the rest, is 1 to 4 people; or the total itself is small or nothing)."""
    if total == 0 or is_small(total) or is_small(part) or is_small(total - part):
        return None
    return 100 * rounded(part) / rounded(total)


def share_text(share: float | None, total: int) -> str:
    if total == 0:
        return NO_DATA_TEXT
    return WITHHELD_TEXT if share is None else f"{share:.0f}%"


@dataclass(frozen=True)
class Counts:
    below: int = 0
    meeting: int = 0
    above: int = 0

    @property
    def total(self) -> int:
        return self.below + self.meeting + self.above

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.below + other.below, self.meeting + other.meeting, self.above + other.above
        )


@dataclass(frozen=True)
class Cell:
    """One share of "below what the level expects" as the page may show it."""

    share: float | None
    display: str
    total: int = field(repr=False, default=0)  # never shown; kept for ranking and tests

    @classmethod
    def of(cls, counts: Counts) -> Cell:
        share = safe_share(counts.below, counts.total)
        return cls(share=share, display=share_text(share, counts.total), total=counts.total)


@dataclass(frozen=True)
class SkillRow:
    """A skill's signed-off ratings: how many below, at and above what the level expects."""

    skill_id: int
    name: str
    priority: bool
    counts: Counts = field(repr=False)
    below: str
    meeting: str
    above: str
    total: str
    gap: Cell

    @classmethod
    def of(cls, skill_id: int, name: str, priority: bool, counts: Counts) -> SkillRow:
        parts = {"below": counts.below, "meeting": counts.meeting, "above": counts.above}
        hidden = {name for name, count in parts.items() if is_small(count)}
        if len(hidden) == 1:
            # With the total shown, one hidden part could be bounded from the others: hide the
            # smallest other part that is shown too.
            others = [(count, name) for name, count in parts.items() if name not in hidden]
            others = [item for item in others if item[0] > 0] or others
            hidden.add(min(others)[1])
        texts = {
            name: (SMALL_TEXT if is_small(count) else WITHHELD_TEXT)
            if name in hidden
            else shown_count(count)
            for name, count in parts.items()
        }
        return cls(
            skill_id=skill_id,
            name=name,
            priority=priority,
            counts=counts,
            total=shown_count(counts.total),
            gap=Cell.of(counts),
            **texts,
        )


@dataclass(frozen=True)
class Matrix:
    """Shares below expected for each skill (rows) by department, level, grade or quarter."""

    columns: list[str]
    rows: list[tuple[SkillRow, list[Cell]]]


# --- filters ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Filters:
    """The chosen filters, as plain GET values (empty: no filter)."""

    department: str = ""  # acronym
    level: str = ""  # slug
    grade: str = ""
    period: str = ""  # "2026-q3"

    def as_params(self) -> dict[str, str]:
        return {name: value for name, value in self.__dict__.items() if value}


def quarter_key(quarter: datetime.date) -> str:
    return f"{quarter.year}-q{(quarter.month - 1) // 3 + 1}"


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def quarter_label(quarter: datetime.date) -> str:
    """ "Jan to Mar 2026" """
    return f"{MONTHS[quarter.month - 1]} to {MONTHS[quarter.month + 1]} {quarter.year}"


def last_quarters(today: datetime.date, count: int = TREND_QUARTERS) -> list[datetime.date]:
    """The first days of the last `count` quarters up to the one `today` is in, oldest first."""
    start = quarter_of(today)
    quarters = []
    year, month = start.year, start.month
    for _ in range(count):
        quarters.append(datetime.date(year, month, 1))
        month -= 3
        if month < 1:
            month += 12
            year -= 1
    return quarters[::-1]


@dataclass(frozen=True)
class Choices:
    """What may be chosen in each filter, for this reader."""

    departments: list[Option]
    levels: list[Option]
    grades: list[Option]
    periods: list[Option]


class BadFilter(ValueError):
    """A filter value that is not one of the choices (or is out of the reader's scope)."""


# --- the report --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Report:
    scope: ReportScope
    filters: Filters
    choices: Choices
    year: int
    skills: list[SkillRow]  # ranked: biggest share below first; hidden shares last
    priorities: list[SkillRow]  # this year's priority skills, in ranked order
    by_department: Matrix
    by_level: Matrix
    by_grade: Matrix
    over_time: Matrix  # priority skills first

    @property
    def counted(self) -> bool:
        return any(row.counts.total for row in self.skills)


def _cells(scope: ReportScope) -> list[tuple]:
    """Every summary cell of the profession the reader may see: one query."""
    cells = OutcomeCount.objects.filter(profession=scope.profession)
    if scope.department_ids is not None:
        cells = cells.filter(department_id__in=scope.department_ids)
    return list(
        cells.values_list(
            "department_id",
            "role_level_id",
            "grade",
            "quarter",
            "skill_id",
            "below",
            "meeting",
            "above",
        )
    )


def _choose(value: str, options: list[Option]) -> str:
    if value and value not in {option.value for option in options}:
        raise BadFilter(value)
    return value


def capability_report(*, scope: ReportScope, filters: Filters, today: datetime.date) -> Report:
    """The report for a reader's scope and the chosen filters. Raises BadFilter for a value
    that is not among the reader's choices. A fixed number of queries (five), whatever the
    number of people, assessments or ratings."""
    profession = scope.profession
    departments = [
        department
        for department in Department.objects.order_by("name")
        if scope.allows(department.pk)
    ]
    levels = list(RoleLevel.objects.filter(profession=profession).order_by("rank"))
    cells = _cells(scope)
    quarters = last_quarters(today)
    seen_quarters = sorted({cell[3] for cell in cells} | set(quarters), reverse=True)
    choices = Choices(
        departments=[Option(d.acronym, d.name) for d in departments],
        levels=[Option(level.slug, level.name) for level in levels],
        grades=[Option(value, label) for value, label in Grade.choices],
        periods=[Option(quarter_key(q), quarter_label(q)) for q in seen_quarters],
    )
    filters = Filters(
        department=_choose(filters.department, choices.departments),
        level=_choose(filters.level, choices.levels),
        grade=_choose(filters.grade, choices.grades),
        period=_choose(filters.period, choices.periods),
    )
    department_id = next((d.pk for d in departments if d.acronym == filters.department), None)
    level_id = next((level.pk for level in levels if level.slug == filters.level), None)
    period = next((q for q in seen_quarters if quarter_key(q) == filters.period), None)

    def keep(cell: tuple, *, ignore: str = "") -> bool:
        department, level, grade, quarter = cell[:4]
        return (
            (ignore == "department" or department_id is None or department == department_id)
            and (ignore == "level" or level_id is None or level == level_id)
            and (ignore == "grade" or not filters.grade or grade == filters.grade)
            and (ignore == "period" or period is None or quarter == period)
        )

    totals: dict[int, Counts] = defaultdict(Counts)
    split: dict[str, dict[tuple[int, object], Counts]] = {
        "department": defaultdict(Counts),
        "level": defaultdict(Counts),
        "grade": defaultdict(Counts),
        "period": defaultdict(Counts),
    }
    position = {"department": 0, "level": 1, "grade": 2, "period": 3}
    for cell in cells:
        skill = cell[4]
        counts = Counts(*cell[5:])
        if keep(cell):
            totals[skill] += counts
        for dimension, by in split.items():
            if keep(cell, ignore=dimension):
                by[(skill, cell[position[dimension]])] += counts

    year = (period or today).year
    priority_ids = set(
        PrioritySkill.objects.filter(profession=profession, year=year).values_list(
            "skill_id", flat=True
        )
    )
    skill_ids = set(totals) | priority_ids | {key[0] for by in split.values() for key in by}
    names = dict(Skill.objects.filter(pk__in=skill_ids).values_list("pk", "name"))
    rows = {
        pk: SkillRow.of(pk, names[pk], pk in priority_ids, totals.get(pk, Counts()))
        for pk in skill_ids
    }
    ranked = sorted(
        rows.values(),
        key=lambda row: (
            row.gap.share is None,
            -(row.gap.share or 0),
            -row.counts.below,
            row.name,
        ),
    )

    def matrix(dimension: str, keys: list, labels: list[str], order: list[SkillRow]) -> Matrix:
        by = split[dimension]
        return Matrix(
            columns=labels,
            rows=[
                (row, [Cell.of(by.get((row.skill_id, key), Counts())) for key in keys])
                for row in order
            ],
        )

    priorities = [row for row in ranked if row.priority]
    return Report(
        scope=scope,
        filters=filters,
        choices=choices,
        year=year,
        skills=ranked,
        priorities=priorities,
        by_department=matrix(
            "department", [d.pk for d in departments], [d.acronym for d in departments], ranked
        ),
        by_level=matrix("level", [lv.pk for lv in levels], [lv.name for lv in levels], ranked),
        by_grade=matrix("grade", list(Grade.values), list(Grade.values), ranked),
        over_time=matrix(
            "period",
            quarters,
            [quarter_label(q) for q in quarters],
            priorities + [row for row in ranked if not row.priority],
        ),
    )
