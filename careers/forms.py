"""The GET forms of "Your career": which level to set your profile against, and the moves filter.

Both only ever read GET parameters; a value that is not one of the choices is a GOV.UK error.
"""

from django import forms

from assessments.forms import level_choices

LEVEL_INVALID = "Choose a level from the list"


class TargetForm(forms.Form):
    """`?level=<profession slug>/<level slug>`: any published level of any profession."""

    level = forms.ChoiceField(
        label="Compare with another level",
        required=False,
        error_messages={"invalid_choice": LEVEL_INVALID},
    )

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = level_choices(frameworks)


class MovesForm(forms.Form):
    sideways = forms.BooleanField(label="Sideways moves only", required=False)
