"""Dates and times in Django's admin as GOV.UK writes them ("26 November 2026 at 12:21pm"), the
same as every other page: the admin site gives every ModelAdmin careerpath.admin's
GovukDatesAdminMixin, which writes them with careerpath.templatetags.govuk_dates."""

import datetime
import re
import zoneinfo

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.urls import reverse

from careerpath.admin import GovukDatesAdminMixin
from roles.models import FrameworkVersion
from roles.services import framework_publish
from tests.factories import make_framework

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
WHEN = datetime.datetime(2026, 11, 26, 12, 21, tzinfo=LONDON)
# Django's own ways of writing that moment, in any of its formats: none may show.
DJANGO_STYLE = re.compile(r"Nov\.? 26|26 Nov\b|2026-11-26|12:21 p\.m\.|12:21 PM", re.IGNORECASE)


@pytest.fixture
def versions(db):
    """Two published versions of one profession: the second published after the first."""
    profession, first = make_framework(levels=1, skills=1)
    FrameworkVersion.objects.filter(pk=first.pk).update(published_at=WHEN)

    second = framework_publish(profession=profession, by=None, change_note="Second version")
    evening = WHEN.replace(hour=21, minute=0)
    FrameworkVersion.objects.filter(pk=second.pk).update(published_at=evening)
    return first, second


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_changelist_writes_dates_and_times_as_govuk_does(admin_client, versions):
    text = text_of(admin_client.get(reverse("admin:roles_frameworkversion_changelist")))

    assert "26 November 2026 at 12:21pm" in text
    assert "26 November 2026 at 9pm" in text
    assert not DJANGO_STYLE.search(text), DJANGO_STYLE.search(text)


def test_a_date_column_still_sorts_by_its_date(admin_client, versions):
    first, second = versions
    url = reverse("admin:roles_frameworkversion_changelist")
    index = admin.site._registry[FrameworkVersion].list_display.index("published_at")

    newest_first = admin_client.get(url, {"o": f"-{index}"}).context["cl"].result_list
    oldest_first = admin_client.get(url, {"o": str(index)}).context["cl"].result_list

    assert [v.pk for v in newest_first] == [second.pk, first.pk]
    assert [v.pk for v in oldest_first] == [first.pk, second.pk]


def test_a_read_only_field_writes_its_date_as_govuk_does(admin_client, versions):
    first, _second = versions

    response = admin_client.get(reverse("admin:roles_frameworkversion_change", args=[first.pk]))

    text = text_of(response)
    assert "Published at: 26 November 2026 at 12:21pm" in text
    assert not DJANGO_STYLE.search(text), DJANGO_STYLE.search(text)


def test_a_date_people_edit_keeps_its_input(admin_client, admin_user):
    response = admin_client.get(reverse("admin:accounts_user_change", args=[admin_user.pk]))

    assert 'name="last_login_0"' in response.content.decode()  # Django's date and time inputs


def test_admin_pages_from_other_packages_write_dates_as_govuk_does(admin_client, time_machine):
    time_machine.move_to(WHEN)  # django-axes clears attempts older than its cool-off
    AccessAttempt.objects.create(
        attempt_time=WHEN,
        ip_address="192.0.2.1",
        user_agent="Firefox",
        username="someone@example.gov.uk",
        path_info="/sign-in/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )

    text = text_of(admin_client.get(reverse("admin:axes_accessattempt_changelist")))

    assert "26 November 2026 at 12:21pm" in text
    assert not DJANGO_STYLE.search(text), DJANGO_STYLE.search(text)


def test_every_model_admin_writes_dates_as_govuk_does():
    without = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if not isinstance(model_admin, GovukDatesAdminMixin)
    ]

    assert not without


def test_a_record_s_admin_history_writes_times_as_govuk_does(admin_client, admin_user):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    entry = LogEntry.objects.create(
        user=admin_user,
        content_type=ContentType.objects.get_for_model(admin_user),
        object_id=str(admin_user.pk),
        object_repr=str(admin_user),
        action_flag=CHANGE,
        change_message="Changed the name",
    )
    LogEntry.objects.filter(pk=entry.pk).update(action_time=WHEN)
    url = reverse(f"admin:{admin_user._meta.app_label}_user_history", args=[admin_user.pk])

    text = text_of(admin_client.get(url))

    assert "26 November 2026 at 12:21pm" in text
    assert "Changed the name" in text
    assert not DJANGO_STYLE.search(text), DJANGO_STYLE.search(text)


def test_a_framework_record_s_versions_write_times_as_govuk_does(admin_client, versions):
    first, _second = versions
    skill = first.profession.levels.first().expectations.first().skill
    skill.history.update(history_date=WHEN)

    text = text_of(admin_client.get(reverse("admin:roles_skill_history", args=[skill.pk])))

    assert "26 November 2026 at 12:21pm" in text
    assert not DJANGO_STYLE.search(text), DJANGO_STYLE.search(text)


def test_a_long_admin_history_is_in_pages(admin_client, admin_user):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(admin_user)
    LogEntry.objects.bulk_create(
        LogEntry(
            user=admin_user,
            content_type=kind,
            object_id=str(admin_user.pk),
            object_repr=str(admin_user),
            action_flag=CHANGE,
            change_message=f"Change {n}",
        )
        for n in range(101)
    )
    url = reverse(f"admin:{admin_user._meta.app_label}_user_history", args=[admin_user.pk])

    first = text_of(admin_client.get(url))
    second = text_of(admin_client.get(url, {"p": 2}))

    assert "Page 1 of 2" in first
    assert "Next page" in first
    assert "101 entries" in first
    assert "Page 2 of 2" in second
    assert "Previous page" in second
