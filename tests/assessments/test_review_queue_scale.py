""" "Further down your line" on the review queue: newest first, the same number of queries however
long the line, and, on PostgreSQL, an index the planner walks newest first for a large line."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import review_views
from assessments.models import SelfAssessment
from tests.conftest import PASSWORD
from tests.factories import PersonFactory, UserFactory, make_assessment_for_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(version):
    """A director, three managers under them, and four people under each manager with an
    assessment each, submitted a day apart (plus a draft the director must never see)."""
    director = PersonFactory(user=UserFactory(password=PASSWORD))
    now = timezone.now()
    day = 0
    for _ in range(3):
        manager = PersonFactory(line_manager=director)
        for _ in range(4):
            person = PersonFactory(line_manager=manager)
            day += 1
            make_assessment_for_review(
                person=person, version=version, submitted_at=now - dt.timedelta(days=day)
            )
    make_assessment_for_review(
        person=PersonFactory(line_manager=manager), version=version, status="draft"
    )
    return director


def further_down(client, director):
    client.force_login(director.user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("assessments:review_queue"))
    assert response.status_code == 200
    return [a.pk for a in response.context["further_down"]], len(queries)


def expected_for(director):
    return list(
        SelfAssessment.objects.filter(person__management_path__startswith=director.subtree_prefix)
        .exclude(person__line_manager=director)
        .exclude(status="draft")
        .order_by("-submitted_at", "-pk")
        .values_list("pk", flat=True)[: review_views.FURTHER_DOWN_LIMIT]
    )


def test_newest_first_and_no_more_queries_for_a_longer_line(client, line, version):
    shown, queries = further_down(client, line)
    assert shown == expected_for(line)

    manager = PersonFactory(line_manager=line)
    for _ in range(review_views.FURTHER_DOWN_LIMIT):
        make_assessment_for_review(person=PersonFactory(line_manager=manager), version=version)
    longer, longer_queries = further_down(client, line)

    assert longer == expected_for(line)
    assert len(longer) == review_views.FURTHER_DOWN_LIMIT
    assert longer_queries == queries


def test_the_newest_first_index_serves_a_large_line(line):
    query = SelfAssessment.objects.filter(
        review_views._further_down(line), status__in=review_views.VISIBLE_TO_MANAGERS
    ).order_by("-submitted_at", "-pk")[:21]
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The test tables are tiny, so tell the planner what a large table makes it do.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql, params)
            found = " ".join(str(row) for row in cursor.fetchall())
        else:
            # SQLite plans the small test tables its own way: the index must at least exist.
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
            found = " ".join(row[0] for row in cursor.fetchall())
    assert "visible_newest_first" in found
