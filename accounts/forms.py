"""Forms for single sign-on and the administrators' second factor."""

from django import forms

from . import oidc


class ProviderChoiceForm(forms.Form):
    """Which department's identity provider to sign in with."""

    provider = forms.ChoiceField(
        label="Sign in with your department's account",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select your department",
            "invalid_choice": "Select your department",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [(p.key, p.label) for p in oidc.providers()]
        self.fields["provider"].help_text = "You will sign in on your department's own page."


class CodeForm(forms.Form):
    """A six-digit code from an authenticator app."""

    code = forms.RegexField(
        label="Code from your authenticator app",
        regex=r"^\d{6}$",
        max_length=6,
        help_text="The 6 numbers the app shows for Civil Service career pathways",
        error_messages={
            "required": "Enter the code from your authenticator app",
            "invalid": "Enter the code as 6 numbers, like 123456",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-5",
            }
        )

    def clean_code(self):
        return self.cleaned_data["code"].replace(" ", "")
