"""A profession's capability report: where signed-off assessments fall against what each level
expects, skill by skill, for its heads of profession.

The figures come from assessments.OutcomeCount, a summary kept up to date in the same
transaction as every sign-off, so a report over a million ratings reads one small table in one
query and is never behind. Everything is worked out here from those counts; nothing in this
module knows which skills are expected to be weak.

Each process keeps the cells it read, and the reports it worked out from them, until the
summary's token (assessments.CapabilityDataVersion, changed by the database with every write to
the summary) changes: every request still reads the token, in the statement that would read the
cells, and everything else a report shows (departments, levels, priorities, skills' names)
afresh, so nothing kept is ever behind. Kept reports are shared: treat them as read-only.

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
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TypeVar

from django.db import connection

from assessments.models import CapabilityDataVersion, OutcomeCount
from assessments.outcomes import quarter_of
from careerpath.templatetags.govuk_dates import govuk_short_month
from people.models import Department
from roles.models import Grade, PrioritySkill, RoleLevel, Skill

from .permissions import ReportScope

SMALL = 5  # counts from 1 to SMALL - 1 are never shown
ROUND_TO = 5
SMALL_TEXT = f"fewer than {SMALL}"
WITHHELD_TEXT = "not shown"
NO_DATA_TEXT = "none"
TREND_QUARTERS = 8
_T = TypeVar("_T")


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


class _Fields:
    """Lets Django's templates read a field as an item. They try `value[name]` before
    `value.name`, and on any other object that costs raising and catching an exception: a
    report page reads some 800 fields, most of them in its tables."""

    __slots__ = ()

    def __getitem__(self, name: str) -> object:
        try:
            return getattr(self, name)
        except (AttributeError, TypeError):
            raise KeyError(name) from None


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
class Cell(_Fields):
    """One share of "below what the level expects" as the page may show it."""

    share: float | None
    display: str
    total: int = field(repr=False, default=0)  # never shown; kept for ranking and tests

    @classmethod
    def of(cls, counts: Counts) -> Cell:
        share = safe_share(counts.below, counts.total)
        return cls(share=share, display=share_text(share, counts.total), total=counts.total)


@dataclass(frozen=True)
class SkillRow(_Fields):
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
class Matrix(_Fields):
    """Shares below expected for each skill (rows) by department, level, grade or quarter."""

    columns: list[str]
    rows: list[tuple[SkillRow, list[Cell]]]


# --- filters ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Option(_Fields):
    value: str
    label: str


@dataclass(frozen=True)
class Filters(_Fields):
    """The chosen filters, as plain GET values (empty: no filter)."""

    department: str = ""  # acronym
    level: str = ""  # slug
    grade: str = ""
    period: str = ""  # "2026-q3"

    def as_params(self) -> dict[str, str]:
        return {name: value for name, value in self.__dict__.items() if value}


def quarter_key(quarter: datetime.date) -> str:
    return f"{quarter.year}-q{(quarter.month - 1) // 3 + 1}"


def quarter_label(quarter: datetime.date) -> str:
    """ "Jan to Mar 2026", "Jul to Sept 2026": GOV.UK's short months (a table heading)."""
    last_month = quarter.replace(month=quarter.month + 2)
    return f"{govuk_short_month(quarter)} to {govuk_short_month(last_month)} {quarter.year}"


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
class Choices(_Fields):
    """What may be chosen in each filter, for this reader."""

    departments: list[Option]
    levels: list[Option]
    grades: list[Option]
    periods: list[Option]


class BadFilter(ValueError):
    """A filter value that is not one of the choices (or is out of the reader's scope)."""


# --- the report --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Report(_Fields):
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
    # What readers of this report derive from it (the page's rendered body, say), kept as long
    # as the report is kept. dataclasses.replace() passes the same dict on, so every copy of a
    # kept report shares it; it takes no part in comparing reports.
    derived: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def counted(self) -> bool:
        return any(row.counts.total for row in self.skills)

    def remember(self, key: tuple, work: Callable[[], _T]) -> _T:
        """work(), once per key for as long as this report is kept. `key` must hold every
        input of work() that is not the report itself."""
        try:
            return self.derived[key]
        except KeyError:
            pass
        result = work()
        _keep(self.derived, key, result, KEPT_DERIVED)
        return result


# --- the summary, and what is kept between requests ---------------------------------------
CELL_FIELDS = (
    "department",
    "role_level",
    "grade",
    "quarter",
    "skill",
    "below",
    "meeting",
    "above",
)
# What a process keeps, at most (at 280,000 people a scope's cells take about 0.7 MB, a report
# about 0.1 MB and its rendered page body about as much: some 50 MB in all, filled only by many
# scopes and filters in turn).
KEPT_SCOPES = 10  # (profession, departments) whose cells each process keeps
KEPT_RESULTS = 20  # tallies and reports kept for each of those
KEPT_DERIVED = 2  # rendered forms of each kept report


@dataclass(eq=False)
class Summary:
    """The summary cells of a reader's scope as of `token` (assessments.CapabilityDataVersion),
    and what has been worked out from them. Kept by each process until the token changes,
    which the database makes it do in the same transaction as any change to the summary; with
    no token (a database without the triggers) it is used for one report and dropped."""

    token: str | None
    cells: list[tuple]  # (department, level, grade, quarter, skill, below, meeting, above)
    quarters: frozenset[datetime.date]  # every quarter with a cell
    worked_out: dict[tuple, object] = field(default_factory=dict)

    def remember(self, key: tuple, work: Callable[[], _T]) -> _T:
        """work(), once per key for these cells. `key` must hold every other input of work()."""
        if self.token is None:
            return work()
        try:
            return self.worked_out[key]
        except KeyError:
            pass
        result = work()
        _keep(self.worked_out, key, result, KEPT_RESULTS)
        return result


_summaries: dict[tuple, Summary] = {}
_keeping = threading.Lock()  # for servers that run requests in threads


def _keep(kept: dict, key: object, value: object, limit: int) -> None:
    """kept[key] = value, forgetting the oldest entries beyond `limit`."""
    with _keeping:
        kept.pop(key, None)
        kept[key] = value
        while len(kept) > limit:
            del kept[next(iter(kept))]


def _read_cells(scope: ReportScope, known_token: str | None) -> tuple[str | None, list[tuple]]:
    """The summary's token and, unless it is `known_token`, every summary cell of the scope:
    one statement, so the cells are those of the token read with them. When the token is the
    known one the database reads no cell (on PostgreSQL, a one-time filter)."""
    quote = connection.ops.quote_name
    table = quote(OutcomeCount._meta.db_table)
    version = quote(CapabilityDataVersion._meta.db_table)
    column = {name: quote(OutcomeCount._meta.get_field(name).column) for name in CELL_FIELDS}
    conditions = [f"{quote(OutcomeCount._meta.get_field('profession').column)} = %s"]
    params: list = [scope.profession.pk]
    if scope.department_ids is not None:
        ids = sorted(scope.department_ids)
        in_ids = f"{column['department']} IN ({', '.join(['%s'] * len(ids))})"
        conditions.append(in_ids if ids else "1 = 0")
        params += ids
    params.append(known_token or "")
    # Table and column names come from the models; every value is a parameter.
    cells = (
        f"SELECT {', '.join(column.values())} FROM {table} "  # noqa: S608
        f"WHERE {' AND '.join(conditions)} AND NOT EXISTS "
        f"(SELECT 1 FROM {version} AS w WHERE w.id = 1 AND w.token = %s)"
    )
    sql = (
        f"SELECT v.token, {', '.join(f'c.{name}' for name in column.values())} "  # noqa: S608
        f"FROM (SELECT 1 AS one) AS o LEFT JOIN {version} AS v ON v.id = 1 "
        f"LEFT JOIN ({cells}) AS c ON 1 = 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    token = rows[0][0]
    dates: dict[object, datetime.date] = {}  # SQLite gives the quarter as text
    cells = []
    for row in rows:
        if row[1] is None:  # no cell: the token was known, or the scope has none
            continue
        quarter = dates.get(row[4])
        if quarter is None:
            quarter = dates[row[4]] = (
                row[4] if isinstance(row[4], datetime.date) else datetime.date.fromisoformat(row[4])
            )
        cells.append((row[1], row[2], row[3], quarter, *row[5:]))
    return token, cells


def _summary(scope: ReportScope) -> Summary:
    """The scope's cells, as kept if the summary has not changed since: one query."""
    key = (scope.profession.pk, scope.department_ids)
    known = _summaries.get(key)
    token, cells = _read_cells(scope, known.token if known else None)
    if known is not None and token == known.token:
        return known
    summary = Summary(token=token, cells=cells, quarters=frozenset(cell[3] for cell in cells))
    if token is not None:
        _keep(_summaries, key, summary, KEPT_SCOPES)
    return summary


DIMENSIONS = ("department", "level", "grade", "period")  # the first four items of a cell


def _add(table: dict, key: object, below: int, meeting: int, above: int) -> None:
    tally = table.get(key)
    if tally is None:
        table[key] = [below, meeting, above]
    else:
        tally[0] += below
        tally[1] += meeting
        tally[2] += above


def _tally(
    cells: list[tuple], wanted: tuple
) -> tuple[dict[int, Counts], dict[str, dict[tuple[int, object], Counts]], frozenset[int]]:
    """Sum the cells by skill (the totals: every filter applies) and by skill and each of
    department, level, grade and quarter (the breakdowns: every filter applies but the
    breakdown's own, so that it shows all of its columns). `wanted` is the chosen value of each
    of those four, or None. Also the skills counted anywhere. One pass over the cells, adding
    plain integers: a report over a million ratings sums a few thousand cells."""
    chosen = [(index, value) for index, value in enumerate(wanted) if value is not None]
    totals: dict = {}
    by: tuple[dict, ...] = ({}, {}, {}, {})
    for cell in cells:
        skill, below, meeting, above = cell[4:8]
        missed = [index for index, value in chosen if cell[index] != value]
        if not missed:
            _add(totals, skill, below, meeting, above)
            for index in range(4):
                _add(by[index], (skill, cell[index]), below, meeting, above)
        elif len(missed) == 1:
            index = missed[0]
            _add(by[index], (skill, cell[index]), below, meeting, above)
    return (
        {skill: Counts(*tally) for skill, tally in totals.items()},
        {
            dimension: {key: Counts(*tally) for key, tally in table.items()}
            for dimension, table in zip(DIMENSIONS, by, strict=True)
        },
        frozenset(totals).union(*({key[0] for key in table} for table in by)),
    )


def _choose(value: str, options: list[Option]) -> str:
    if value and value not in {option.value for option in options}:
        raise BadFilter(value)
    return value


def capability_report(*, scope: ReportScope, filters: Filters, today: datetime.date) -> Report:
    """The report for a reader's scope and the chosen filters. Raises BadFilter for a value
    that is not among the reader's choices. A fixed number of queries whatever the number of
    people, assessments or ratings: five when anything the report reads has changed since this
    process last worked it out for this scope, filters and quarter; one otherwise.

    The token is read first, in the same statement as the summary's cells would be, and before
    departments, levels, priorities or skills' names: what is kept under a token is never older
    than the data the token stands for."""
    summary = _summary(scope)
    kept = summary.remember(
        ("report", filters, quarter_of(today)),
        lambda: _work_out(scope=scope, filters=filters, today=today, summary=summary),
    )
    # The profession itself (its name, for the page) is the reader's, never a kept one.
    return replace(kept, scope=scope)


def _work_out(
    *, scope: ReportScope, filters: Filters, today: datetime.date, summary: Summary
) -> Report:
    profession = scope.profession
    departments = [
        department
        for department in Department.objects.order_by("name")
        if scope.allows(department.pk)
    ]
    levels = list(RoleLevel.objects.filter(profession=profession).order_by("rank"))
    quarters = last_quarters(today)
    seen_quarters = sorted(summary.quarters | set(quarters), reverse=True)
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

    wanted = (department_id, level_id, filters.grade or None, period)
    totals, split, counted_ids = summary.remember(
        ("tally", wanted), lambda: _tally(summary.cells, wanted)
    )

    year = (period or today).year
    priority_ids = frozenset(
        PrioritySkill.objects.filter(profession=profession, year=year).values_list(
            "skill_id", flat=True
        )
    )
    names = dict(Skill.objects.filter(pk__in=counted_ids | priority_ids).values_list("pk", "name"))
    return _report(
        scope=scope,
        filters=filters,
        choices=choices,
        year=year,
        departments=[(d.pk, d.acronym) for d in departments],
        levels=[(level.pk, level.name) for level in levels],
        quarters=quarters,
        totals=totals,
        split=split,
        priority_ids=priority_ids,
        names=names,
    )


def _report(
    *,
    scope: ReportScope,
    filters: Filters,
    choices: Choices,
    year: int,
    departments: list[tuple[int, str]],
    levels: list[tuple[int, str]],
    quarters: list[datetime.date],
    totals: dict[int, Counts],
    split: dict[str, dict[tuple[int, object], Counts]],
    priority_ids: frozenset[int],
    names: dict[int, str],
) -> Report:
    rows = [
        SkillRow.of(pk, name, pk in priority_ids, totals.get(pk, Counts()))
        for pk, name in names.items()
    ]
    ranked = sorted(
        rows,
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
            "department", [pk for pk, _ in departments], [name for _, name in departments], ranked
        ),
        by_level=matrix("level", [pk for pk, _ in levels], [name for _, name in levels], ranked),
        by_grade=matrix("grade", list(Grade.values), list(Grade.values), ranked),
        over_time=matrix(
            "period",
            quarters,
            [quarter_label(q) for q in quarters],
            priorities + [row for row in ranked if not row.priority],
        ),
    )
