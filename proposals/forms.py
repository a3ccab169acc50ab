"""Forms check the shape of what was typed; proposals.services checks the rules again (forged
input never reaches the database) and owns the messages."""

from django import forms
from django.core.exceptions import ValidationError

from . import services
from .models import DECISION_REASON_MAX_LENGTH, PROPOSED_TEXT_MAX_LENGTH, WHY_MAX_LENGTH

ACCEPT = "accept"
DECLINE = "decline"


def add_service_errors(form: forms.Form, error: ValidationError, fields=None) -> None:
    """Put a service's ValidationError on the form: beside the field it names when that field is
    one of `fields` (default: every field of the form), else at the top of the form."""
    fields = form.fields if fields is None else fields
    problems = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, texts in problems.items():
        for text in texts:
            form.add_error(field if field in fields else None, text)


class ProposalForm(forms.Form):
    proposed_text = forms.CharField(
        label="What should it say?",
        help_text="Change the published text below into what you think it should say.",
        max_length=PROPOSED_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": services.PROPOSED_TEXT_REQUIRED,
            "max_length": services.PROPOSED_TEXT_TOO_LONG,
        },
    )
    why = forms.CharField(
        label="Why should it change?",
        help_text="For example, what is out of date, unclear or missing, and who it affects.",
        max_length=WHY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": services.WHY_REQUIRED, "max_length": services.WHY_TOO_LONG},
    )
    # The published version the page was drawn from: the proposal is about what it says.
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": services.NOT_PUBLISHED,
            "invalid": services.NOT_PUBLISHED,
            "min_value": services.NOT_PUBLISHED,
        },
    )

    visible_fields_names = ("proposed_text", "why")

    def full_clean(self):
        super().full_clean()
        # A hidden field's error belongs to the whole form: nothing on the page to fix.
        for problem in self._errors.pop("version", []) if self._errors else []:
            self.add_error(None, problem)


class DecisionForm(forms.Form):
    """A head's decision in the admin: accept, or decline with a reason."""

    decision = forms.ChoiceField(
        choices=[(ACCEPT, "Accept"), (DECLINE, "Decline")],
        error_messages={
            "required": services.DECISION_REQUIRED,
            "invalid_choice": services.DECISION_REQUIRED,
        },
    )
    reason = forms.CharField(
        label="Why are you declining it?",
        required=False,
        max_length=DECISION_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": services.DECLINE_REASON_TOO_LONG},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == DECLINE and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", services.DECLINE_REASON_REQUIRED)
        return cleaned
