"""insights.reports: the capability report worked out from the summary of signed-off outcomes,
with every small number protected."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.models import OutcomeCount
from assessments.outcomes import quarter_of
from insights.permissions import ReportScope
from insights.reports import (
    SMALL_TEXT,
    WITHHELD_TEXT,
    BadFilter,
    Filters,
    capability_report,
    safe_share,
    shown_count,
)
from insights.views import report_rows
from roles.models import PrioritySkill
from tests.factories import PersonFactory, make_assessment_for_review, make_person_at_level
from tests.insights.conftest import LAST_QUARTER, TODAY

pytestmark = pytest.mark.django_db


def report(world, department_ids=None, **filters):
    scope = ReportScope(profession=world["profession"], department_ids=department_ids)
    return capability_report(scope=scope, filters=Filters(**filters), today=TODAY)


def make_priority(world, skill, year):
    return PrioritySkill.objects.create(
        profession=world["profession"], skill=world["skills"][skill], year=year
    )


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "0"), (1, SMALL_TEXT), (4, SMALL_TEXT), (5, "5"), (7, "5"), (8, "10"), (12, "10"),
     (13, "15"), (1234, "1,235")],
)  # fmt: skip
def test_counts_from_1_to_4_are_never_shown_and_others_are_rounded_to_5(count, text):
    assert shown_count(count) == text


@pytest.mark.parametrize(
    ("part", "total", "share"),
    [
        (40, 100, 40.0),
        (42, 100, 40.0),
        (3, 100, None),
        (97, 100, None),
        (0, 100, 0.0),
        (0, 0, None),
        (2, 4, None),
    ],
)
def test_a_share_comes_from_rounded_counts_and_is_withheld_near_a_few_people(part, total, share):
    assert safe_share(part, total) == share


def test_skills_are_ranked_by_their_share_below_expected(world, count):
    count(0, below=10, meeting=80, above=10)
    count(1, below=40, meeting=55, above=5)
    count(2, below=2, meeting=90, above=8)  # share withheld: ranked last

    result = report(world)

    names = [skill.name for skill in world["skills"]]
    assert [row.name for row in result.skills] == [names[1], names[0], names[2]]
    first = result.skills[0]
    assert (first.below, first.meeting, first.above, first.total) == ("40", "55", "5", "100")
    assert first.gap.display == "40%"
    assert result.skills[2].gap.display == WITHHELD_TEXT


def test_one_hidden_count_in_a_row_hides_the_next_smallest_too(world, count):
    count(0, below=3, meeting=60, above=20)

    row = report(world).skills[0]

    assert (row.below, row.meeting, row.above) == (SMALL_TEXT, "60", WITHHELD_TEXT)
    assert row.total == "85"


def test_filters_narrow_the_figures(world, count):
    count(0, below=30, meeting=20, above=0, department="dwp", grade="EO")
    count(0, below=5, meeting=45, above=0, department="hmrc", grade="EO")
    count(0, below=10, meeting=10, above=0, department="dwp", grade="HEO", level=1)
    count(0, below=20, meeting=0, above=30, department="dwp", quarter=LAST_QUARTER)

    def gap(**filters):
        return report(world, **filters).skills[0].gap.display

    assert gap() == "38%"  # 65 of 170
    assert gap(department="DWP") == "50%"  # 60 of 120
    assert gap(department="HMRC") == "10%"
    assert gap(grade="HEO") == "50%"
    assert gap(level=world["levels"][1].slug) == "50%"
    assert gap(period="2026-q3") == "40%"
    assert gap(department="DWP", period="2026-q4") == "57%"  # 40 of 70


@pytest.mark.parametrize(
    "filters",
    [
        {"department": "NOPE"},
        {"level": "not-a-level"},
        {"grade": "G99"},
        {"period": "2026-q9"},
        {"period": "1 OR 1=1"},
    ],
)
def test_a_value_that_is_not_a_choice_is_refused(world, count, filters):
    count(0, below=30, meeting=20, above=0)

    with pytest.raises(BadFilter):
        report(world, **filters)


def test_a_departmental_scope_sees_its_own_department_only(world, count):
    count(0, below=30, meeting=20, above=0, department="dwp")
    count(0, below=5, meeting=45, above=0, department="hmrc")
    only_dwp = frozenset({world["dwp"].pk})

    result = report(world, department_ids=only_dwp)

    assert [option.value for option in result.choices.departments] == ["DWP"]
    assert result.by_department.columns == ["DWP"]
    assert result.skills[0].gap.display == "60%"
    with pytest.raises(BadFilter):
        report(world, department_ids=only_dwp, department="HMRC")


def test_breakdowns_by_department_level_grade_and_quarter(world, count):
    count(0, below=30, meeting=20, above=0, department="dwp")
    count(0, below=5, meeting=45, above=0, department="hmrc", grade="SEO", level=1)
    count(0, below=10, meeting=40, above=0, quarter=LAST_QUARTER)

    result = report(world)

    _row, cells = result.by_department.rows[0]
    assert result.by_department.columns == ["DWP", "HMRC"]
    assert [cell.display for cell in cells] == ["40%", "10%"]
    _row, cells = result.by_grade.rows[0]
    grades = result.by_grade.columns
    assert cells[grades.index("EO")].display == "40%"
    assert cells[grades.index("SEO")].display == "10%"
    assert cells[grades.index("G7")].display == "none"
    _row, cells = result.by_level.rows[0]
    assert [cell.display for cell in cells] == ["40%", "10%"]
    assert result.over_time.columns[-2:] == ["Jul to Sept 2026", "Oct to Dec 2026"]
    assert len(result.over_time.columns) == 8
    _row, cells = result.over_time.rows[0]
    assert [cell.display for cell in cells[-2:]] == ["20%", "35%"]


def test_priority_skills_for_the_year_are_marked_and_come_first_over_time(world, count):
    for skill in range(3):
        count(skill, below=10 * (skill + 1), meeting=50, above=0)
    PrioritySkill.objects.create(
        profession=world["profession"], skill=world["skills"][0], year=2026
    )
    PrioritySkill.objects.create(
        profession=world["profession"], skill=world["skills"][1], year=2025
    )

    result = report(world)

    assert [row.name for row in result.priorities] == [world["skills"][0].name]
    assert result.over_time.rows[0][0].name == world["skills"][0].name
    assert [row.priority for row in result.skills] == [False, False, True]
    assert report(world, period="2025-q4").year == 2025


def test_every_figure_comes_from_signed_off_ratings_end_to_end(world):
    """Sign-offs through the services reach the report: nothing in the report knows the
    answer, it counts what managers agreed."""
    version, profession = world["version"], world["profession"]
    manager = PersonFactory(department=world["dwp"])
    for index in range(15):
        person = make_person_at_level(
            profession, rank=2, line_manager=manager, department=world["dwp"], grade="EO"
        )
        assessment = make_assessment_for_review(person=person, version=version, level_rank=2)
        first, *others = assessment.ratings.order_by("position")
        agreed = {first.pk: ("awareness" if index < 9 else "working", "")}
        agreed |= {rating.pk: ("working", "") for rating in others}
        saved = services.review_save(
            assessment=assessment, by=manager, ratings=agreed, summary="", lock_version=1
        )
        services.review_sign_off(assessment=assessment, by=manager, lock_version=saved.lock_version)

    result = report(world)

    first_skill = assessment.ratings.order_by("position").first().skill_name
    top = result.skills[0]
    # The level expects Working of every skill: 9 of 15 were agreed below it in the first.
    assert (top.name, top.below, top.meeting, top.above, top.total, top.gap.display) == (
        first_skill,
        "10",  # 9, rounded to the nearest 5
        "5",  # 6
        "0",
        "15",
        "67%",  # from the rounded counts: 10 of 15
    )
    assert [row.gap.display for row in result.skills[1:]] == ["0%", "0%"]
    assert quarter_of(assessment.signed_off_at) in {
        cell.quarter for cell in OutcomeCount.objects.all()
    }


# --- nothing small can be worked out -------------------------------------------------------
def every_figure(world, scopes):
    """Every figure on every page a reader could ask for: each filter choice alone and every
    pair of department and period, as the CSV gives them."""
    figures = []
    for department_ids in scopes:
        base = report(world, department_ids=department_ids)
        choices = base.choices
        filter_sets = [{}]
        filter_sets += [{"department": o.value} for o in choices.departments]
        filter_sets += [{"level": o.value} for o in choices.levels]
        filter_sets += [{"grade": "EO"}, {"grade": "SEO"}]
        filter_sets += [
            {"department": d.value, "period": p.value}
            for d, p in itertools.product(choices.departments, choices.periods[:2])
        ]
        for filters in filter_sets:
            figures.append(report_rows(report(world, department_ids=department_ids, **filters)))
    return figures


@pytest.mark.parametrize("hidden", [1, 2, 3, 4])
def test_a_small_group_cannot_be_recovered_by_subtraction(world, count, hidden):
    """HMRC has `hidden` people below expected in skill 0, the rest of the figures are large.
    Whatever can be subtracted across rows (a total less its parts), columns (the whole
    profession less DWP) and filters (one department and period less another), some other
    value from 1 to 4 gives exactly the same figures everywhere: the exact number is safe."""

    def figures_with(small):
        OutcomeCount.objects.all().delete()
        count(0, below=40, meeting=50, above=10, department="dwp")
        count(0, below=30, meeting=40, above=5, department="dwp", quarter=LAST_QUARTER)
        count(0, below=small, meeting=60, above=20, department="hmrc")
        count(1, below=20, meeting=60, above=20, department="hmrc")
        count(2, below=25, meeting=50, above=25, department="dwp", grade="SEO", level=1)
        return every_figure(world, [None, frozenset({world["hmrc"].pk})])

    seen = figures_with(hidden)
    alike = [other for other in range(1, 5) if other != hidden and figures_with(other) == seen]

    assert alike, f"{hidden} below in HMRC could be told apart from every other small number"


def test_the_report_reads_the_summary_in_a_fixed_number_of_queries(world, count):
    count(0, below=10, meeting=10, above=0)
    PrioritySkill.objects.create(
        profession=world["profession"], skill=world["skills"][0], year=2026
    )
    with CaptureQueriesContext(connection) as small:
        report(world)
    for quarter in range(8):
        for skill in range(3):
            for grade in ("AO", "EO", "HEO", "SEO"):
                quarter_day = LAST_QUARTER.replace(year=2026 - quarter)
                count(skill, 7, 9, 1, grade=grade, level=quarter % 2, quarter=quarter_day)

    with CaptureQueriesContext(connection) as large:
        report(world)

    assert len(small) == len(large) == 5
