"""Dates and times as GOV.UK writes them (careerpath/templatetags/govuk_dates.py), and a check
that no template formats a date for people any other way."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from careerpath.templatetags.govuk_dates import (
    govuk_date,
    govuk_datetime,
    govuk_short_month,
    govuk_time,
)

UTC = datetime.UTC
LONDON = ZoneInfo("Europe/London")
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.date(2026, 11, 26), "26 November 2026"),
        (datetime.date(2026, 1, 1), "1 January 2026"),
        (datetime.datetime(2026, 9, 3, 9, 0, tzinfo=UTC), "3 September 2026"),
        (None, ""),
        ("", ""),
    ],
)
def test_a_date_has_no_leading_zero_and_the_month_in_full(value, expected):
    assert govuk_date(value) == expected


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [
        (12, 21, "12:21pm"),
        (0, 21, "12:21am"),
        (9, 5, "9:05am"),
        (9, 0, "9am"),
        (17, 30, "5:30pm"),
        (23, 59, "11:59pm"),
        (12, 0, "midday"),
        (0, 0, "midnight"),
    ],
)
def test_a_time_is_written_the_gov_uk_way(hour, minute, expected):
    assert govuk_time(datetime.time(hour, minute)) == expected
    assert govuk_time(datetime.datetime(2026, 1, 15, hour, minute, tzinfo=LONDON)) == expected


def test_an_aware_time_is_shown_in_london_time():
    summer_evening_utc = datetime.datetime(2026, 7, 1, 23, 30, tzinfo=UTC)

    assert govuk_datetime(summer_evening_utc) == "2 July 2026 at 12:30am"
    assert govuk_date(summer_evening_utc) == "2 July 2026"
    assert govuk_time(summer_evening_utc) == "12:30am"


def test_a_date_and_time_read_as_one_phrase():
    noon = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # GMT in November

    assert govuk_datetime(noon) == "26 November 2026 at midday"
    assert govuk_datetime(noon.replace(minute=21)) == "26 November 2026 at 12:21pm"
    assert govuk_datetime(None) == ""


def test_short_months_are_gov_uk_s_with_sept():
    months = [govuk_short_month(datetime.date(2026, month, 1)) for month in range(1, 13)]

    assert months == [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"
    ]  # fmt: skip


def test_the_filters_work_in_every_template_without_loading():
    at = datetime.datetime(2026, 11, 26, 12, 21, tzinfo=UTC)
    template = Template(
        "{{ at|govuk_date }}; {{ at|govuk_time }}; {{ at|govuk_datetime }}; "
        '{{ nothing|govuk_date|default:"Not submitted" }}'
    )

    rendered = template.render(Context({"at": at, "nothing": None}))

    assert rendered == "26 November 2026; 12:21pm; 26 November 2026 at 12:21pm; Not submitted"


# Django's own formats stay only where a machine reads them: ISO 8601 in a <time datetime="...">
# attribute ("c") and seconds since 1970 as a sort key ("U").
MACHINE_FORMATS = {"c", "U"}
DATE_FILTER = re.compile(r"\|\s*date(?::\s*[\"']([^\"']*)[\"'])?")


def test_no_template_formats_a_date_for_people_any_other_way():
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix not in {".html", ".txt"}:
            continue
        text = path.read_text()
        for match in DATE_FILTER.finditer(text):
            if match.group(1) not in MACHINE_FORMATS:
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
        for word in ("naturaltime", "naturalday", "timesince", "timeuntil", "|time"):
            if word in text:
                offenders.append(f"{path.relative_to(ROOT)}: {word}")

    assert not offenders, "Use govuk_date, govuk_time or govuk_datetime:\n" + "\n".join(offenders)


def test_the_check_above_finds_a_display_format():
    # The scan's pattern, on a line that should fail it: the test above can fail.
    line = '{{ assessment.submitted_at|date:"j F Y" }} {{ x|date }}'

    found = [match.group(1) for match in DATE_FILTER.finditer(line)]

    assert found == ["j F Y", None]
