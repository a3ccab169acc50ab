"""The capability report of a profession, for its heads: a page and the same figures as CSV.

Aggregate only (the access matrix): nobody is named. insights.permissions decides who sees which
departments; anyone else signed in gets 404, and LoginRequiredMiddleware sends anonymous visitors
to sign in. Filters are plain GET parameters, so a report can be bookmarked and works without
JavaScript; a value that is not one of the reader's choices (another department's, for a
departmental head) answers 404.
"""

import csv
from datetime import datetime, time, timedelta
from functools import lru_cache
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.security_log import EXPORT, security_event
from assessments import capability_data
from assessments.personal_pages import keep_until, kept_personal_page
from careerpath.charts import Bar, BarChart, HeatMap, bar_chart, heat_map
from careerpath.charts import Cell as ChartCell
from careerpath.spreadsheets import spreadsheet_safe_rows

from .permissions import report_scope_or_404
from .reports import (
    NO_DATA_TEXT,
    SMALL_TEXT,
    BadFilter,
    Filters,
    Report,
    capability_report,
)


def _report(request: HttpRequest, profession: str) -> Report:
    scope = report_scope_or_404(request.user, profession)
    filters = Filters(
        **{name: request.GET.get(name, "")[:40] for name in Filters.__dataclass_fields__}
    )
    try:
        return capability_report(scope=scope, filters=filters, today=timezone.localdate())
    except BadFilter:
        raise Http404("No such filter") from None


def _charts(report: Report) -> dict:
    matrix = report.by_department
    return {
        "gap_chart": _gap_chart(
            tuple(
                Bar(
                    label=row.name,
                    value=row.gap.share,
                    display=row.gap.display,
                    emphasis=row.priority,
                )
                for row in report.skills
            ),
            _gap_summary(report),
        ),
        "department_map": _department_map(
            tuple(row.name for row, _cells in matrix.rows),
            tuple(matrix.columns),
            tuple(
                tuple(ChartCell(value=cell.share, display=cell.display) for cell in cells)
                for _row, cells in matrix.rows
            ),
            _map_summary(report),
        ),
    }


# Laying a chart out is a pure function of its figures (immutable values): each process keeps
# the charts of the figures it drew last, and a change of figures is a different key.
@lru_cache(maxsize=32)
def _gap_chart(bars: tuple[Bar, ...], summary: str) -> BarChart:
    return bar_chart(
        chart_id="gap-chart",
        title="Share of signed-off ratings below what the level expects, by skill",
        summary=summary,
        bars=list(bars),
    )


@lru_cache(maxsize=32)
def _department_map(
    rows: tuple[str, ...],
    columns: tuple[str, ...],
    cells: tuple[tuple[ChartCell, ...]],
    summary: str,
) -> HeatMap:
    return heat_map(
        chart_id="department-map",
        title="Share below what the level expects, by skill and department",
        summary=summary,
        rows=list(rows),
        columns=list(columns),
        cells={
            (row_index, column_index): cell
            for row_index, row in enumerate(cells)
            for column_index, cell in enumerate(row)
        },
    )


def _gap_summary(report: Report) -> str:
    shown = [row for row in report.skills if row.gap.share is not None]
    if not shown:
        return "No skill has enough signed-off ratings to show a share."
    first = shown[0]
    text = f"The biggest gap is {first.name}: {first.gap.display} of ratings below expected."
    if len(shown) > 1:
        last = shown[-1]
        text += f" The smallest is {last.name}: {last.gap.display}."
    return text


def _map_summary(report: Report) -> str:
    leaders = []
    for index, column in enumerate(report.by_department.columns):
        cells = [
            (cells[index].share, row.name)
            for row, cells in report.by_department.rows
            if cells[index].share is not None
        ]
        if cells:
            share, name = max(cells)
            leaders.append(f"{column}: {name} ({share:.0f}%)")
    if not leaders:
        return "No department has enough signed-off ratings to show."
    return "The biggest gap in each department. " + "; ".join(leaders) + "."


@kept_personal_page(tokens=[capability_data.current_token])
@login_required
@never_cache
@require_GET
def capability_report_view(request: HttpRequest, profession: str) -> HttpResponse:
    report = _report(request, profession)
    # Kept for the reader's session until the summary changes (its token), and not past
    # today: the quarters it offers are counted from today.
    tomorrow = timezone.localdate() + timedelta(days=1)
    midnight = datetime.combine(tomorrow, time(), tzinfo=timezone.get_current_timezone())
    keep_until(request, midnight.timestamp())
    # The body (filters, charts and some 350 table cells) depends only on the report and the
    # page's path, so it is rendered once for as long as the report is kept.
    body = report.remember(("page body", request.path), lambda: _body(request.path, report))
    return render(
        request,
        "insights/capability.html",
        {"report": report, "profession": report.scope.profession, "body": body},
    )


def _body(path: str, report: Report) -> str:
    params = report.filters.as_params()
    csv_url = reverse("insights:capability_csv", args=[report.scope.profession.slug])
    if params:
        csv_url += "?" + urlencode(params)
    return render_to_string(
        "insights/_capability_body.html",
        {
            "report": report,
            "path": path,
            "csv_url": csv_url,
            "small_text": SMALL_TEXT,
            "no_data_text": NO_DATA_TEXT,
            "selected": _selected(path, report),
            **(_charts(report) if report.counted else {}),
        },
    )


def _selected(path: str, report: Report) -> list[dict]:
    """The chosen filters as MOJ filter tags, each linking to the report without it."""
    labels = {
        "department": ("Department", report.choices.departments),
        "level": ("Level", report.choices.levels),
        "grade": ("Grade", report.choices.grades),
        "period": ("Quarter signed off", report.choices.periods),
    }
    params = report.filters.as_params()
    selected = []
    for name, value in params.items():
        heading, options = labels[name]
        label = next(option.label for option in options if option.value == value)
        rest = {key: val for key, val in params.items() if key != name}
        selected.append(
            {
                "heading": heading,
                "text": label,
                "href": path + ("?" + urlencode(rest) if rest else ""),
            }
        )
    return selected


def report_rows(report: Report) -> list[list[str]]:
    """Exactly the figures the page shows for these filters, suppression applied, as rows."""
    profession = report.scope.profession.name
    scope = "All departments" if report.scope.whole_profession else "Your department"
    filters = "; ".join(f"{k}={v}" for k, v in report.filters.as_params().items()) or "none"
    rows = [
        ["Capability report", profession],
        ["Departments", scope],
        ["Filters", filters],
        [f"Counts from 1 to 4 are shown as '{SMALL_TEXT}'; others are rounded to the nearest 5"],
        [],
        ["Section", "Skill", "Priority", "Column", "Below", "At", "Above", "Total", "Share below"],
    ]
    for row in report.skills:
        rows.append(
            [
                "Skills ranked by gap",
                row.name,
                "yes" if row.priority else "",
                "",
                row.below,
                row.meeting,
                row.above,
                row.total,
                row.gap.display,
            ]
        )
    for section, matrix in [
        ("By department", report.by_department),
        ("By level", report.by_level),
        ("By grade", report.by_grade),
        ("Over time", report.over_time),
    ]:
        for row, cells in matrix.rows:
            for column, cell in zip(matrix.columns, cells, strict=True):
                rows.append(
                    [section, row.name, "yes" if row.priority else "", column]
                    + [""] * 4
                    + [cell.display]
                )
    return spreadsheet_safe_rows(rows)


@login_required
@never_cache
@require_GET
def capability_csv_view(request: HttpRequest, profession: str) -> HttpResponse:
    report = _report(request, profession)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    slug = report.scope.profession.slug
    response["Content-Disposition"] = f'attachment; filename="capability-{slug}.csv"'
    writer = csv.writer(response)
    writer.writerows(report_rows(report))
    security_event(
        EXPORT,
        request=request,
        kind="capability_csv",
        profession_id=report.scope.profession.pk,
    )
    return response
