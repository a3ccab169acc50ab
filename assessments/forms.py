"""Forms of the self-assessment journey, rendered through the GOV.UK form renderer."""

from django import forms

from roles.models import Proficiency

from .models import EVIDENCE_MAX_LENGTH
from .services import EVIDENCE_TOO_LONG, PROFICIENCY_REQUIRED


class RatingForm(forms.Form):
    """One skill: the author's proficiency and evidence. Nothing else is ever read from a post."""

    self_proficiency = forms.ChoiceField(
        choices=Proficiency.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": PROFICIENCY_REQUIRED},
    )
    evidence = forms.CharField(
        label="Evidence",
        max_length=EVIDENCE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            "Give examples of what you have done that show this skill: what the situation "
            "was, what you did and what difference it made."
        ),
        error_messages={"max_length": EVIDENCE_TOO_LONG},
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, skill_name, descriptors, require_proficiency=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_proficiency = require_proficiency
        field = self.fields["self_proficiency"]
        field.label = f"How well can you do {skill_name}?"
        field.legend_class = "govuk-fieldset__legend--m"
        field.choice_hints = {value: descriptors.get(value, "") for value in Proficiency.values}
        self.fields["evidence"].label = f"Evidence for {skill_name}"
        self.fields["evidence"].label_class = "govuk-label--m"

    def clean_self_proficiency(self):
        value = self.cleaned_data.get("self_proficiency", "")
        if self.require_proficiency and not value:
            raise forms.ValidationError(PROFICIENCY_REQUIRED)
        return value


class SubmitForm(forms.Form):
    declaration = forms.BooleanField(
        label="I confirm that my ratings and evidence are accurate and my own",
        # The service checks it, together with every skill being rated, so both are reported.
        required=False,
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput)


def level_choices(frameworks):
    """Grouped choices for a select of every level of every profession: value 'profession/level'."""
    return [("", "Choose a level")] + [
        (
            framework.profession_name,
            [
                (f"{framework.profession_slug}/{level.slug}", level.name)
                for level in framework.levels
            ],
        )
        for framework in frameworks
    ]


class ChooseLevelForm(forms.Form):
    choice = forms.ChoiceField(
        label="Choose any level in any profession",
        error_messages={
            "required": "Choose a level to assess yourself against",
            "invalid_choice": "Choose a level from the list",
        },
    )

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = level_choices(frameworks)
