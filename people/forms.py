"""Forms for setting up an account: a work email address, then a new password."""

from django import forms
from django.contrib.auth.forms import SetPasswordForm

EMAIL_REQUIRED = "Enter your work email address"
EMAIL_INVALID = "Enter an email address in the correct format, like name@example.gov.uk"
PASSWORD_REQUIRED = "Enter a password"  # noqa: S105 - an error message
PASSWORD_AGAIN_REQUIRED = "Enter the password again"  # noqa: S105 - an error message
PASSWORDS_DIFFER = "The passwords do not match: enter the same password twice"


class AccountSetUpForm(forms.Form):
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        help_text="The address your department uses for you, like name@example.gov.uk",
        error_messages={"required": EMAIL_REQUIRED, "invalid": EMAIL_INVALID},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.fields["email"].label_is_heading = False

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class ChoosePasswordForm(SetPasswordForm):
    """Django's set-password form with GOV.UK wording."""

    error_messages = {"password_mismatch": PASSWORDS_DIFFER}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first = self.fields["new_password1"]
        first.label = "Choose a password"
        first.help_text = (
            "Use at least 8 characters. Avoid common passwords, and passwords made only of "
            "numbers or like your name or email address."
        )
        first.error_messages["required"] = PASSWORD_REQUIRED
        second = self.fields["new_password2"]
        second.label = "Enter the password again"
        second.help_text = ""
        second.error_messages["required"] = PASSWORD_AGAIN_REQUIRED
