"""Counting signed-off outcomes into OutcomeCount, the summary that capability reports read.

`outcome_count_signed_off` runs inside the sign-off's own transaction (assessments.lifecycle), so
the summary is never behind the assessments it counts; `outcome_counts_rebuild` recounts it all
from the ratings in one grouped query, after bulk loads (`manage.py rebuild_outcome_counts`).

The agreed proficiency of a skill is the line manager's, or the person's own where the manager
left it as it was. Department and grade are the person's when the assessment was signed off
(when rebuilt: their current ones); the level is the one assessed against.
"""

import datetime

from django.db import connection, transaction
from django.db.models import Case, CharField, Count, DateField, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, NullIf, TruncQuarter
from django.utils import timezone

from careerpath.db import statement_timeout_lift
from roles.models import PROFICIENCY_RANK

from .models import AssessmentStatus, OutcomeCount, Rating, SelfAssessment

KEY = ("profession_id", "department_id", "role_level_id", "grade", "quarter", "skill_id")
COUNTS = ("below", "meeting", "above")


def quarter_of(moment: datetime.datetime | datetime.date) -> datetime.date:
    """The first day of the calendar quarter a date or time falls in (local time, as the
    database's TruncQuarter counts it)."""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment)
    return datetime.date(moment.year, 3 * ((moment.month - 1) // 3) + 1, 1)


def agreed_proficiency(rating: Rating) -> str:
    return rating.manager_proficiency or rating.self_proficiency


def compare(agreed: str, expected: str) -> str:
    """'below', 'meeting' or 'above': where an agreed proficiency falls against the expected."""
    have, want = PROFICIENCY_RANK.get(agreed, 0), PROFICIENCY_RANK.get(expected, 0)
    if have < want:
        return "below"
    return "meeting" if have == want else "above"


def _upsert(rows: list[tuple]) -> None:
    """Add rows of (key..., below, meeting, above) to the summary: one statement, safe against
    a concurrent sign-off adding to the same cell (PostgreSQL and SQLite both upsert)."""
    if not rows:
        return
    table = connection.ops.quote_name(OutcomeCount._meta.db_table)
    key_columns = [OutcomeCount._meta.get_field(name).column for name in KEY]
    columns = ", ".join(connection.ops.quote_name(c) for c in [*key_columns, *COUNTS])
    conflict = ", ".join(connection.ops.quote_name(c) for c in key_columns)
    adds = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTS)
    values = ", ".join(["(" + ", ".join(["%s"] * (len(KEY) + len(COUNTS))) + ")"] * len(rows))
    # Table and column names come from the model; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES {values} "  # noqa: S608
        f"ON CONFLICT ({conflict}) DO UPDATE SET {adds}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


def outcome_count_signed_off(assessment: SelfAssessment) -> None:
    """Count a just-signed-off assessment's ratings (call inside the sign-off's transaction)."""
    person = assessment.person
    quarter = quarter_of(assessment.signed_off_at)
    rows = []
    for rating in assessment.ratings.all():
        agreed = agreed_proficiency(rating)
        if not agreed:
            continue
        where = compare(agreed, rating.expected_proficiency)
        rows.append(
            (
                assessment.role_level.profession_id,
                person.department_id,
                assessment.role_level_id,
                person.grade,
                quarter,
                rating.skill_id,
                *(int(where == column) for column in COUNTS),
            )
        )
    _upsert(rows)


def _rank(field: str) -> Case:
    return Case(
        *(When(**{field: value}, then=Value(rank)) for value, rank in PROFICIENCY_RANK.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


@transaction.atomic
def outcome_counts_rebuild() -> int:
    """Recount the whole summary from the signed-off ratings. Returns the number of cells."""
    statement_timeout_lift()
    agreed = Coalesce(
        NullIf("manager_proficiency", Value("")),
        NullIf("self_proficiency", Value("")),
        output_field=CharField(),
    )
    grouped = (
        Rating.objects.filter(assessment__status=AssessmentStatus.SIGNED_OFF)
        .annotate(agreed=agreed)
        .exclude(agreed__isnull=True)
        .annotate(
            have=_rank("agreed"),
            want=_rank("expected_proficiency"),
            quarter=TruncQuarter("assessment__signed_off_at", output_field=DateField()),
        )
        .order_by()
        .values(
            "quarter",
            "skill_id",
            profession=F("assessment__role_level__profession_id"),
            department=F("assessment__person__department_id"),
            level=F("assessment__role_level_id"),
            person_grade=F("assessment__person__grade"),
        )
        .annotate(
            below=Count("pk", filter=Q(have__lt=F("want"))),
            meeting=Count("pk", filter=Q(have=F("want"))),
            above=Count("pk", filter=Q(have__gt=F("want"))),
        )
    )
    OutcomeCount.objects.all().delete()
    cells = [
        OutcomeCount(
            profession_id=row["profession"],
            department_id=row["department"],
            role_level_id=row["level"],
            grade=row["person_grade"],
            quarter=row["quarter"],
            skill_id=row["skill_id"],
            below=row["below"],
            meeting=row["meeting"],
            above=row["above"],
        )
        for row in grouped.iterator(chunk_size=10_000)
    ]
    OutcomeCount.objects.bulk_create(cells, batch_size=5000)
    return len(cells)
