"""The capability report page and its CSV: every role of the access matrix, filters by URL,
the CSV's figures, links from home and the pathway, and a fixed number of queries."""

import csv
import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from careerpath.spreadsheets import spreadsheet_safe
from people.models import DepartmentalHead
from roles.models import Skill
from tests.factories import (
    PersonFactory,
    UserFactory,
    make_framework,
    make_head_of_profession,
    make_person_at_level,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "staff",
    "line manager",
    "manager further up",
    "other staff",
    "head of that profession",
    "head of another profession",
    "departmental head",
    "departmental head elsewhere",
    "inactive head",
    "admin",
]
SEES = {
    "head of that profession": "every department",
    "admin": "every department",
    "departmental head": "own department",
}


@pytest.fixture
def users(world, count):
    count(0, below=30, meeting=20, above=0, department="dwp")
    count(0, below=5, meeting=45, above=0, department="hmrc")
    profession = world["profession"]
    further_up = PersonFactory()
    manager = PersonFactory(line_manager=further_up)
    staff = make_person_at_level(profession, line_manager=manager)
    other_profession, _ = make_framework(levels=1, skills=1)
    departmental = UserFactory()
    DepartmentalHead.objects.create(
        user=departmental, profession=profession, department=world["dwp"]
    )
    elsewhere = UserFactory()
    DepartmentalHead.objects.create(
        user=elsewhere, profession=other_profession, department=world["dwp"]
    )
    inactive = make_head_of_profession(profession)
    inactive.is_active = False
    inactive.save()
    return {
        "anonymous": None,
        "staff": staff.user,
        "line manager": manager.user,
        "manager further up": further_up.user,
        "other staff": PersonFactory().user,
        "head of that profession": make_head_of_profession(profession),
        "head of another profession": make_head_of_profession(other_profession),
        "departmental head": departmental,
        "departmental head elsewhere": elsewhere,
        "inactive head": inactive,
        "admin": UserFactory(is_staff=True, is_superuser=True),
    }


def page_url(world, name="insights:capability_report"):
    return reverse(name, args=[world["profession"].slug])


def get_as(client, users, role, url, **params):
    if users[role] is not None:
        client.force_login(users[role])
    return client.get(url, params)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["insights:capability_report", "insights:capability_csv"])
def test_every_role(client, world, users, role, name):
    response = get_as(client, users, role, page_url(world, name))

    if role == "anonymous" or role == "inactive head":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    if role not in SEES:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    body = response.content.decode()
    if SEES[role] == "every department":
        assert "HMRC" in body
    else:
        assert "HMRC" not in body
        assert "HM Revenue and Customs" not in body
        # The page names the department in its caption; the CSV in its department column.
        assert ("DWP" if name.endswith("csv") else "Department for Work and Pensions") in body


@pytest.mark.parametrize("name", ["insights:capability_report", "insights:capability_csv"])
def test_a_departmental_head_cannot_ask_for_another_departments_figures(client, world, users, name):
    response = get_as(client, users, "departmental head", page_url(world, name), department="HMRC")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "params", [{"department": "NOPE"}, {"period": "2026-q9"}, {"grade": "<script>"}]
)
def test_a_filter_that_is_not_a_choice_is_404(client, world, users, params):
    response = get_as(client, users, "head of that profession", page_url(world), **params)

    assert response.status_code == 404


def test_the_page_shows_the_ranked_gaps_the_charts_and_the_filters(client, world, users):
    response = get_as(client, users, "head of that profession", page_url(world), department="DWP")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' in html  # the charts
    assert "60%" in html  # 30 of 50 in DWP
    assert 'class="moj-filter__tag"' in html
    assert (
        'href="/professions/{}/capability.csv?department=DWP"'.format(world["profession"].slug)
        in html
    )


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_csv_has_exactly_the_figures_on_the_page(client, world, users):
    page = get_as(client, users, "head of that profession", page_url(world), department="DWP")
    download = client.get(page_url(world, "insights:capability_csv"), {"department": "DWP"})

    rows = csv_rows(download)
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in download["Content-Disposition"]
    ranked = [row for row in rows if row and row[0] == "Skills ranked by gap"]
    report = page.context["report"]
    assert [(r[1], r[4], r[5], r[6], r[7], r[8]) for r in ranked] == [
        (row.name, row.below, row.meeting, row.above, row.total, row.gap.display)
        for row in report.skills
    ]
    html = page.content.decode()
    for _section, _skill, _priority, _column, *figures in ranked:
        for figure in figures:
            assert figure in html


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_cells_that_a_spreadsheet_would_run_are_made_safe(client, world, users, start):
    Skill.objects.filter(pk=world["skills"][0].pk).update(name=f"{start}HYPERLINK(1)")

    download = get_as(
        client, users, "head of that profession", page_url(world, "insights:capability_csv")
    )

    names = {row[1] for row in csv_rows(download) if len(row) > 1}
    assert f"'{start}HYPERLINK(1)" in names
    assert f"{start}HYPERLINK(1)" not in names
    assert spreadsheet_safe("Plain") == "Plain"


def test_heads_find_the_report_from_home_and_the_pathway(client, world, users):
    pathway = reverse("roles:pathway", args=[world["profession"].slug])
    report = page_url(world)

    for role in ["head of that profession", "departmental head", "admin"]:
        client.force_login(users[role])
        assert f'href="{report}"' in client.get(reverse("home")).content.decode(), role
        assert f'href="{report}"' in client.get(pathway).content.decode(), role
    for role in ["staff", "head of another profession", "departmental head elsewhere"]:
        client.force_login(users[role])
        assert f'href="{report}"' not in client.get(reverse("home")).content.decode(), role
        assert f'href="{report}"' not in client.get(pathway).content.decode(), role


def test_the_page_runs_a_fixed_number_of_queries(client, world, users, count, settings):
    # Counted as the page is made; a kept page's cost is kept_report's below.
    settings.PERSONAL_PAGES_IN_MEMORY = 0
    client.force_login(users["head of that profession"])
    with CaptureQueriesContext(connection) as small:
        assert client.get(page_url(world)).status_code == 200
    for skill in range(3):
        for grade in ["AO", "EO", "HEO", "SEO", "G7"]:
            for department in ["dwp", "hmrc"]:
                count(skill, 11, 17, 3, grade=grade, department=department, level=skill % 2)

    with CaptureQueriesContext(connection) as large:
        assert client.get(page_url(world)).status_code == 200

    assert len(small) == len(large)
    assert len(large) <= 12


def test_the_body_is_rendered_once_per_kept_report_and_again_when_figures_change(
    client, world, users, count, monkeypatch
):
    from insights import views

    rendered = []
    body = views._body
    monkeypatch.setattr(
        views, "_body", lambda path, report: rendered.append(path) or body(path, report)
    )
    client.force_login(users["head of that profession"])
    first = client.get(page_url(world)).content.decode()
    again = client.get(page_url(world)).content.decode()
    assert len(rendered) == 1
    assert again.split("<main")[1] == first.split("<main")[1]

    count(1, below=200, meeting=0, above=0, department="dwp")
    changed = client.get(page_url(world)).content.decode()

    assert len(rendered) == 2
    assert changed != first
    # A department's filter is another report and another body.
    client.get(page_url(world), {"department": "DWP"})
    assert len(rendered) == 3


def reads_the_summary(queries):
    return any("assessments_outcomecount" in query["sql"] for query in queries)


@pytest.fixture
def kept_report(client, world, users):
    """The head's report, made and kept for their session (assessments.personal_pages). The
    first page after signing in sets the CSRF cookie, so the second is the one kept."""
    client.force_login(users["head of that profession"])
    client.get(page_url(world))
    client.get(page_url(world))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_url(world))
    assert response.status_code == 200
    assert len(queries) <= 3  # the session, the page tokens, the summary's token
    assert not reads_the_summary(queries)
    return response.content.decode()


def test_a_kept_report_is_made_again_when_a_figure_changes(client, world, count, kept_report):
    count(1, below=7, meeting=0, above=0)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_url(world))

    assert reads_the_summary(queries)
    assert response.content.decode() != kept_report


@pytest.mark.parametrize(
    "appointment_ended",
    [
        lambda world, user: world["profession"].heads.remove(user),
        lambda world, user: type(user).objects.filter(pk=user.pk).update(is_active=False),
    ],
)
def test_a_head_whose_appointment_ends_gets_no_kept_report(
    client, world, users, kept_report, appointment_ended
):
    appointment_ended(world, users["head of that profession"])

    response = client.get(page_url(world))

    assert response.status_code in (302, 404)


def test_a_departmental_head_removed_gets_no_kept_report(client, world, users):
    client.force_login(users["departmental head"])
    client.get(page_url(world))
    assert client.get(page_url(world)).status_code == 200
    DepartmentalHead.objects.filter(user=users["departmental head"]).delete()

    assert client.get(page_url(world)).status_code == 404


@pytest.fixture
def long_sessions(settings):
    """Sessions that outlast the days a test travels through (before anyone signs in: a
    session's expiry is fixed when it is made)."""
    settings.SESSION_COOKIE_AGE = settings.SESSION_ABSOLUTE_AGE = 3 * 24 * 3600
    settings.SESSION_REFRESH_SECONDS = settings.PERSONAL_PAGE_SECONDS = 3 * 24 * 3600


def test_a_kept_report_is_made_again_the_next_day(
    long_sessions, client, world, kept_report, monkeypatch
):
    from insights import views

    made = []
    report = views._report
    monkeypatch.setattr(views, "_report", lambda *args: made.append(1) or report(*args))
    later_today = timezone.localtime().replace(hour=23, minute=59)

    if later_today > timezone.localtime():
        with time_machine.travel(later_today, tick=False):
            assert client.get(page_url(world)).status_code == 200
        assert made == []
    with time_machine.travel(timezone.localtime() + datetime.timedelta(days=1), tick=False):
        assert client.get(page_url(world)).status_code == 200
    assert made == [1]


def test_a_kept_report_is_kept_no_longer_than_personal_page_seconds(
    long_sessions, settings, client, world, users, monkeypatch
):
    """Midnight is later than that: the shorter limit wins."""
    from insights import views

    settings.PERSONAL_PAGE_SECONDS = 60
    client.force_login(users["head of that profession"])
    client.get(page_url(world))
    client.get(page_url(world))  # kept
    made = []
    report = views._report
    monkeypatch.setattr(views, "_report", lambda *args: made.append(1) or report(*args))
    assert client.get(page_url(world)).status_code == 200
    assert made == []

    with time_machine.travel(timezone.localtime() + datetime.timedelta(seconds=61), tick=False):
        assert client.get(page_url(world)).status_code == 200

    assert made == [1]
