"""Forms of the development plan (GOV.UK form renderer, and GOV.UK's date input pattern).

Forms check the shape of what is typed: what is required, lengths, that a date is a real date,
that a choice is one offered. The rules (a published skill, a target date neither past nor
too far ahead, who may) are assessments.plans', and their messages are put beside the field
they are about by the views.
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.html import format_html

from careerpath.templatetags.govuk_dates import MONTHS as MONTH_NAMES
from careerpath.templatetags.govuk_dates import SHORT_MONTHS

from .forms import STALE_MESSAGES
from .models import (
    PLAN_COMMENT_MAX_LENGTH,
    PLAN_DETAILS_MAX_LENGTH,
    PLAN_TITLE_MAX_LENGTH,
    PlanStatus,
)

NONE = "none"

SKILL_REQUIRED = "Choose a skill to develop"
SKILL_INVALID = "Choose a skill from the list"
TITLE_REQUIRED = "Enter what you will do"
TITLE_TOO_LONG = f"What you will do must be {PLAN_TITLE_MAX_LENGTH} characters or fewer"
DETAILS_TOO_LONG = f"Details must be {PLAN_DETAILS_MAX_LENGTH:,} characters or fewer"
RESOURCE_REQUIRED = "Select a learning resource or qualification, or select None"
STATUS_REQUIRED = "Select the status of this action"
COMMENT_REQUIRED = "Enter a comment"
COMMENT_TOO_LONG = f"Your comment must be {PLAN_COMMENT_MAX_LENGTH:,} characters or fewer"

# GOV.UK's date input messages (design-system.service.gov.uk/components/date-input).
DATE_REQUIRED = "Enter the target date"
DATE_MISSING = "Target date must include a {parts}"
DATE_NOT_REAL = "Target date must be a real date"
YEAR_FOUR_DIGITS = "Year must include 4 numbers"
DATE_PARTS = ("day", "month", "year")

# A month's name as people type it: in full, GOV.UK's short form ("Sept") or three letters.
MONTHS = {
    name.lower(): number
    for number, (full, short) in enumerate(zip(MONTH_NAMES, SHORT_MONTHS, strict=True), start=1)
    for name in (full, short, full[:3])
}


def _month(value: str) -> int | None:
    """A month typed as a number or as its name ("3", "03", "Mar", "March", "Sept")."""
    if value.isdigit():
        return int(value)
    return MONTHS.get(value.lower().rstrip("."))


class ChooseSkillForm(forms.Form):
    """Step one when no skill was given: which skill the action is for (a GET form)."""

    skill = forms.ChoiceField(
        label="Skill",
        error_messages={"required": SKILL_REQUIRED, "invalid_choice": SKILL_INVALID},
    )

    def __init__(self, *args, skills, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["skill"]
        field.choices = [("", "Choose a skill"), *skills]


class PlanActionForm(forms.Form):
    """What the action is, the resource or qualification it uses, and its target date (a GOV.UK
    date input: three boxes, day, month and year, checked together in `clean`)."""

    title = forms.CharField(
        label="What will you do?",
        help_text="For example, complete a course, shadow a colleague or lead a project.",
        max_length=PLAN_TITLE_MAX_LENGTH,
        error_messages={"required": TITLE_REQUIRED, "max_length": TITLE_TOO_LONG},
    )
    details = forms.CharField(
        label="Details (optional)",
        help_text="What you will learn or show, and how you will know it is done.",
        required=False,
        max_length=PLAN_DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": DETAILS_TOO_LONG},
    )
    resource = forms.ChoiceField(
        label="Which learning resource or qualification will you use?",
        widget=forms.RadioSelect,
        error_messages={"required": RESOURCE_REQUIRED, "invalid_choice": RESOURCE_REQUIRED},
    )
    target_day = forms.CharField(label="Day", required=False, max_length=10)
    target_month = forms.CharField(label="Month", required=False, max_length=10)
    target_year = forms.CharField(label="Year", required=False, max_length=10)

    def __init__(self, *args, options, with_lock=False, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.date_error_parts: set[str] = set()
        self.today = today or timezone.localdate()
        self.fields["title"].label_class = "govuk-label--m"
        self.fields["details"].label_class = "govuk-label--m"
        if options:
            field = self.fields["resource"]
            field.choices = [(option.key, option.title) for option in options] + [(NONE, "None")]
            field.choice_hints = {option.key: option.hint for option in options}
            field.initial = field.initial or NONE
            field.legend_class = "govuk-fieldset__legend--m"
        else:
            # Nothing to choose from: no question at all.
            del self.fields["resource"]
        if with_lock:
            self.fields["lock_version"] = forms.IntegerField(
                widget=forms.HiddenInput, error_messages=STALE_MESSAGES
            )

    @property
    def date_example(self):
        example = self.today + datetime.timedelta(days=90)
        return f"{example.day} {example.month} {example.year}"

    def date_parts(self):
        """(part, bound field, has error) for the template's date input."""
        return [
            (part, self[f"target_{part}"], part in self.date_error_parts) for part in DATE_PARTS
        ]

    def date_errors(self):
        return [error for part in DATE_PARTS for error in self[f"target_{part}"].errors]

    def add_date_error(self, message, parts=DATE_PARTS):
        """One message for the whole date, on its first wrong box (where the error summary
        links); every wrong box is highlighted."""
        self.date_error_parts.update(parts)
        self.add_error(f"target_{parts[0]}", message)

    def clean_resource(self):
        value = self.cleaned_data.get("resource", NONE)
        return "" if value == NONE else value

    def clean(self):
        cleaned = super().clean()
        typed = {part: (cleaned.get(f"target_{part}") or "").strip() for part in DATE_PARTS}
        missing = [part for part in DATE_PARTS if not typed[part]]
        if len(missing) == len(DATE_PARTS):
            self.add_date_error(DATE_REQUIRED)
            return cleaned
        if missing:
            self.add_date_error(DATE_MISSING.format(parts=" and ".join(missing)), missing)
            return cleaned
        day, month, year = typed["day"], _month(typed["month"]), typed["year"]
        if not year.isdigit() or len(year) != 4:
            self.add_date_error(YEAR_FOUR_DIGITS, ("year",))
            return cleaned
        try:
            if not day.isdigit() or month is None:
                raise ValueError(day)
            cleaned["target_date"] = datetime.date(int(year), month, int(day))
        except ValueError:
            self.add_date_error(DATE_NOT_REAL)
        return cleaned

    @staticmethod
    def date_initial(value):
        """Initial values of the three boxes for a stored date."""
        return {"target_day": value.day, "target_month": value.month, "target_year": value.year}


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="What is the status of this action?",
        choices=PlanStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": STATUS_REQUIRED, "invalid_choice": STATUS_REQUIRED},
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, error_messages=STALE_MESSAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].legend_class = "govuk-fieldset__legend--l"
        self.fields["status"].legend_is_heading = True
        self.fields["status"].choice_hints = {
            PlanStatus.DONE: "Your line manager will see when you finished it.",
        }


class PlanDeleteForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, error_messages=STALE_MESSAGES)


class PlanCommentForm(forms.Form):
    """A comment on one action: each action's form has its own prefix, so ids are unique."""

    text = forms.CharField(
        max_length=PLAN_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": COMMENT_REQUIRED, "max_length": COMMENT_TOO_LONG},
    )

    def __init__(self, *args, action_title, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = format_html(
            'Add a comment<span class="govuk-visually-hidden"> on {}</span>', action_title
        )
