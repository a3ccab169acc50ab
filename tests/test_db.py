"""careerpath/db.py: the bulk-load helpers the importers and seeders share."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import AssessmentEvent, Rating, SelfAssessment
from careerpath.db import allocate_ids, planner_statistics_refresh, update_rows
from people.models import Person
from tests.factories import PersonFactory


def test_bulk_loads_refresh_the_planner_statistics_on_postgresql(db):
    with CaptureQueriesContext(connection) as queries:
        planner_statistics_refresh(Person, SelfAssessment, Rating, AssessmentEvent)

    analysed = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]
    if connection.vendor == "postgresql":
        assert analysed == [
            'ANALYZE "people_person", "assessments_selfassessment", "assessments_rating", '
            '"assessments_assessmentevent"'
        ]
    else:
        assert analysed == []


def test_allocated_ids_are_new_and_distinct(db):
    existing = PersonFactory()

    ids = allocate_ids(Person, 3)

    assert len(set(ids)) == 3
    assert min(ids) > existing.pk


def test_update_rows_sets_each_rows_own_values(db):
    first, second = PersonFactory(name="Ann Old"), PersonFactory(name="Bob Old")

    assert (
        update_rows(
            Person, ["name", "grade"], [(first.pk, "Ann New", "G7"), (second.pk, "Bob New", "EO")]
        )
        == 2
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.name, first.grade) == ("Ann New", "G7")
    assert (second.name, second.grade) == ("Bob New", "EO")


def test_bulk_loads_lift_the_statement_timeout_for_their_own_transaction(db):
    from django.db import transaction

    from careerpath.db import statement_timeout_lift

    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        statement_timeout_lift()

    lifted = [q["sql"] for q in queries.captured_queries if "statement_timeout" in q["sql"]]
    expected = ["SET LOCAL statement_timeout = 0"] if connection.vendor == "postgresql" else []
    assert lifted == expected
