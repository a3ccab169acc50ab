"""GOV.UK form rendering through Django's FORM_RENDERER API, and the sign-in form.

Every Django form in the service renders with GOV.UK Frontend markup: `{{ form }}` gives an error
summary followed by each field; `{{ form.field_name.as_field_group }}` gives one field. The
templates are in templates/forms/; careerpath/templatetags/govuk.py works out the widget kind,
the ids that aria-describedby needs and the choices with their hints.
"""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class SignInForm(AuthenticationForm):
    """Sign in with a work email address and password, with GOV.UK error wording."""

    username = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been closed. Ask your service administrator to reopen it",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "email", "spellcheck": "false"}
        )

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()
