"""Dates and times as GOV.UK's style guide writes them: the one place the service formats them.

- a date: "26 November 2026" (no leading zero, the month in full, no day of the week);
- a time: "12:21pm", "9am" (no ":00" on the hour, no full stops), "midday" and "midnight"
  rather than 12pm and 12am;
- both: "26 November 2026 at 12:21pm";
- a month in a tight space (a table heading): "Jan", "Feb" ... "Sept" ... "Dec".

Aware datetimes are shown in the current time zone (Europe/London, settings.TIME_ZONE), so a
sign-off at 23:30 UTC in summer reads as the next day. Empty values give "", so templates can
still write `{{ value|govuk_date|default:"Not submitted" }}`.

Templates: `{% load govuk_dates %}` then `{{ value|govuk_date }}`, `|govuk_time`,
`|govuk_datetime`. Python (emails, messages, `__str__`): import the functions from here.
Machine-readable values (a <time datetime="..."> attribute, a sort key) keep Django's
`|date:"c"` and `|date:"U"`: they are not for people to read.
"""

import datetime
import functools

from django import template
from django.utils import timezone

register = template.Library()

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
# GOV.UK's short months, for tables and other tight spaces: note "Sept", not "Sep".
SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"]


def _local(value):
    """A datetime in the current time zone (naive ones are taken as already local)."""
    if timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _blank_when_empty(format_value):
    """A filter that gives "" for None or "" (so `|default:` can take over)."""

    @functools.wraps(format_value)
    def wrapper(value):
        return "" if value is None or value == "" else format_value(value)

    return wrapper


@register.filter
@_blank_when_empty
def govuk_date(value):
    """'26 November 2026' from a date or datetime; '' from None or ''."""
    if isinstance(value, datetime.datetime):
        value = _local(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


@register.filter
@_blank_when_empty
def govuk_time(value):
    """'12:21pm', '9am', 'midday', 'midnight' from a datetime or time; '' from None or ''."""
    if isinstance(value, datetime.datetime):
        value = _local(value)
    hour, minute = value.hour, value.minute
    if minute == 0 and hour == 0:
        return "midnight"
    if minute == 0 and hour == 12:
        return "midday"
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour}{suffix}" if minute == 0 else f"{hour}:{minute:02d}{suffix}"


@register.filter
@_blank_when_empty
def govuk_datetime(value):
    """'26 November 2026 at 12:21pm' from a datetime; '' from None or ''."""
    value = _local(value)
    return f"{govuk_date(value)} at {govuk_time(value)}"


@register.filter
@_blank_when_empty
def govuk_short_month(value):
    """'Sept' from a date (for tables and other tight spaces)."""
    return SHORT_MONTHS[value.month - 1]
