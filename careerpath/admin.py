"""Admin pieces shared by the apps (no domain code)."""

from django.contrib import admin
from django.db import models
from django.utils.text import capfirst

from careerpath.templatetags.govuk_dates import govuk_date, govuk_datetime


class ReadOnlyAdminMixin:
    """A ModelAdmin that shows records but never adds, changes or deletes them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def govuk_date_display(field):
    """A read-only admin column or field showing a model's date or datetime field as GOV.UK
    writes it (careerpath.templatetags.govuk_dates), sorted by the field itself."""
    write = govuk_datetime if isinstance(field, models.DateTimeField) else govuk_date

    @admin.display(description=capfirst(field.verbose_name), ordering=field.name)
    def display(obj):
        return write(getattr(obj, field.name)) or None  # None: the admin's empty-value dash

    return display


class GovukDatesAdminMixin:
    """Every date and time a ModelAdmin shows as text (list columns, read-only fields) in GOV.UK's
    style, "26 November 2026 at 12:21pm", instead of Django's "Nov. 26, 2026, 12:21 p.m.".

    Each date field shown as text is swapped for a display of the same name with "_govuk" on
    the end. Fields people edit keep their inputs. The admin site (accounts/admin_site.py) adds
    this to every ModelAdmin it registers, so no admin page can forget it.
    """

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.govuk_dates = {}  # a date field's name -> the name of its GOV.UK display
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateField):  # a DateTimeField is a DateField too
                name = f"{field.name}_govuk"
                setattr(self, name, govuk_date_display(field))
                self.govuk_dates[field.name] = name

    def _swap(self, names, shown_as_text=None):
        swapped = []
        for name in names:
            if isinstance(name, (list, tuple)):  # several fields on one line of a form
                swapped.append(tuple(self._swap(name, shown_as_text)))
                continue
            if name in self.govuk_dates and (shown_as_text is None or name in shown_as_text):
                name = self.govuk_dates[name]
            if name not in swapped:
                swapped.append(name)
        return swapped

    def get_list_display(self, request):
        return self._swap(super().get_list_display(request))

    def get_readonly_fields(self, request, obj=None):
        names = list(super().get_readonly_fields(request, obj))
        if obj is not None and not self.has_change_permission(request, obj):
            # Only viewing: the admin shows every field as text.
            names += [name for name in self.govuk_dates if name not in names]
        # The field's own name stays too, so that the form leaves it out.
        return [*names, *(self.govuk_dates[name] for name in names if name in self.govuk_dates)]

    def get_fieldsets(self, request, obj=None):
        shown_as_text = set(self.get_readonly_fields(request, obj))
        return [
            (title, {**options, "fields": self._swap(options["fields"], shown_as_text)})
            for title, options in super().get_fieldsets(request, obj)
        ]
