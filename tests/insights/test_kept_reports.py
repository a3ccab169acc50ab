"""What insights.reports keeps between requests (the summary's cells and the reports worked out
from them) is never stale: it is kept under assessments.CapabilityDataVersion's token, which the
database changes with every write to anything a report reads."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import CapabilityDataVersion, OutcomeCount
from insights import reports
from insights.permissions import ReportScope
from insights.reports import Filters, capability_report
from roles.models import PrioritySkill
from tests.insights.conftest import TODAY

pytestmark = pytest.mark.django_db


def report(world, department_ids=None, **filters):
    scope = ReportScope(profession=world["profession"], department_ids=department_ids)
    return capability_report(scope=scope, filters=Filters(**filters), today=TODAY)


def figures(result):
    return [(row.name, row.below, row.meeting, row.above, row.gap.display) for row in result.skills]


@pytest.fixture
def tallies(monkeypatch):
    """How many times the cells have been summed."""
    calls = []
    tally = reports._tally

    def counting(cells, wanted):
        calls.append(wanted)
        return tally(cells, wanted)

    monkeypatch.setattr(reports, "_tally", counting)
    return calls


def test_unchanged_data_is_worked_out_once_and_read_back_in_one_query(world, count, tallies):
    count(0, below=10, meeting=80, above=10)
    with CaptureQueriesContext(connection) as first_time:
        first = report(world)

    with CaptureQueriesContext(connection) as again:
        second = report(world)

    assert figures(second) == figures(first)
    assert len(tallies) == 1
    assert len(first_time) == 5
    assert len(again) == 1  # the token, and no cell


@pytest.mark.parametrize(
    "change",
    [
        lambda world: OutcomeCount.objects.update(below=40),  # no save(), no signal
        lambda world: OutcomeCount.objects.filter(skill=world["skills"][0]).delete(),
    ],
    ids=["updated in bulk", "deleted"],
)
def test_any_change_to_the_summary_is_shown_at_once(world, count, tallies, change):
    count(0, below=10, meeting=80, above=10)
    before = figures(report(world))

    change(world)

    assert figures(report(world)) != before
    assert len(tallies) == 2


def test_each_scope_and_filter_is_kept_apart(world, count):
    count(0, below=10, meeting=80, above=10, department="dwp")
    count(0, below=50, meeting=50, above=0, department="hmrc")

    whole = report(world)
    hmrc_only = report(world, department_ids=frozenset({world["hmrc"].pk}))
    dwp_filter = report(world, department="DWP")

    assert whole.skills[0].gap.display == "30%"
    assert hmrc_only.skills[0].gap.display == "50%"
    assert dwp_filter.skills[0].gap.display == "10%"
    assert report(world).skills[0].gap.display == "30%"


def rename_skill(world):
    world["skills"][0].name = "Renamed skill"
    world["skills"][0].save()
    return lambda result: result.skills[0].name == "Renamed skill"


def rename_department(world):
    world["dwp"].acronym = "DWP2"
    world["dwp"].save()
    return lambda result: "DWP2" in result.by_department.columns


def make_priority(world):
    PrioritySkill.objects.create(
        profession=world["profession"], skill=world["skills"][0], year=TODAY.year
    )
    return lambda result: result.skills[0].priority


def rename_level(world):
    world["levels"][0].name = "Renamed level"
    world["levels"][0].save()
    return lambda result: "Renamed level" in result.by_level.columns


def rename_profession(world):
    world["profession"].name = "Renamed profession"
    world["profession"].save()
    return lambda result: result.scope.profession.name == "Renamed profession"


@pytest.mark.parametrize(
    "change", [rename_skill, rename_department, make_priority, rename_level, rename_profession]
)
def test_other_data_a_report_shows_is_never_kept_stale(world, count, change):
    count(0, below=10, meeting=80, above=10)
    report(world)

    shown = change(world)

    assert shown(report(world))


def test_nothing_is_kept_without_a_token(world, count, tallies):
    count(0, below=10, meeting=80, above=10)
    CapabilityDataVersion.objects.all().delete()  # as on a database without the triggers

    first = report(world)
    second = report(world)

    assert figures(first) == figures(second)
    assert len(tallies) == 2
