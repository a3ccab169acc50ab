"""The GOV.UK form renderer: markup for fields, fieldsets, hints, errors and the summary."""

import re

from django import forms
from django.template import Context, Template


class ExampleForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As on your payslip")
    evidence = forms.CharField(label="Evidence", widget=forms.Textarea, max_length=50)
    proficiency = forms.ChoiceField(
        label="Your proficiency",
        choices=[("working", "Working"), ("expert", "Expert")],
        widget=forms.RadioSelect,
        help_text="Choose one",
    )
    days = forms.MultipleChoiceField(
        label="Days",
        choices=[("mon", "Monday"), ("tue", "Tuesday")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    agree = forms.BooleanField(label="I confirm this is true")
    team = forms.ChoiceField(label="Team", choices=[("a", "Alpha"), ("b", "Beta")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proficiency"].choice_hints = {"expert": "Leads others"}


def squash(html):
    return re.sub(r"\s+", " ", html)


def test_text_input_with_hint_is_described_by_it():
    html = squash(str(ExampleForm()["name"].as_field_group()))

    assert '<label class="govuk-label govuk-label--s" for="id_name">Full name</label>' in html
    assert '<div id="id_name-hint" class="govuk-hint">As on your payslip</div>' in html
    assert 'class="govuk-input"' in html
    assert 'aria-describedby="id_name-hint"' in html


def test_radios_render_in_a_fieldset_with_option_hints():
    html = squash(str(ExampleForm()["proficiency"].as_field_group()))

    assert '<fieldset class="govuk-fieldset" aria-describedby="id_proficiency-hint">' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">' in html
    assert 'class="govuk-radios" data-module="govuk-radios"' in html
    assert 'id="id_proficiency_0" name="proficiency" type="radio" value="working"' in html
    assert 'aria-describedby="id_proficiency_1-hint"' in html
    assert 'class="govuk-hint govuk-radios__hint">Leads others<' in html


def test_checkboxes_and_single_checkbox():
    form = ExampleForm()

    group = squash(str(form["days"].as_field_group()))
    single = squash(str(form["agree"].as_field_group()))

    assert 'class="govuk-checkboxes" data-module="govuk-checkboxes"' in group
    assert 'type="checkbox" value="tue"' in group
    assert 'class="govuk-checkboxes__input"' in single
    assert 'for="id_agree">I confirm this is true</label>' in single


def test_textarea_with_a_limit_uses_the_character_count():
    html = squash(str(ExampleForm()["evidence"].as_field_group()))

    assert 'govuk-character-count" data-module="govuk-character-count" data-maxlength="50"' in html
    assert "govuk-textarea govuk-js-character-count" in html
    assert "You can enter up to 50 characters" in html
    assert " maxlength=" not in html


def test_select():
    html = squash(str(ExampleForm()["team"].as_field_group()))

    assert 'class="govuk-select"' in html


def test_errors_inline_and_in_a_linked_summary():
    form = ExampleForm(data={"name": "", "evidence": "x" * 51})

    html = squash(str(form))

    assert 'class="govuk-error-summary" data-module="govuk-error-summary"' in html
    assert "There is a problem" in html
    assert '<a href="#id_name">This field is required.</a>' in html
    assert '<a href="#id_proficiency_0">' in html
    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert (
        '<p id="id_name-error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> This field is required.</p>'
    ) in html
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert 'aria-describedby="id_proficiency-hint id_proficiency-error"' in html
    assert 'class="govuk-textarea govuk-js-character-count govuk-textarea--error"' in html


def test_a_valid_form_has_no_summary():
    form = ExampleForm(
        data={"name": "A", "evidence": "b", "proficiency": "working", "agree": "on", "team": "a"}
    )

    assert form.is_valid()
    assert "govuk-error-summary" not in str(form)


def test_page_title_gets_error_prefix_when_the_form_has_errors():
    template = Template('{% extends "base.html" %}{% block title %}Example{% endblock %}')

    with_errors = template.render(Context({"form": ExampleForm(data={})}))
    without = template.render(Context({"form": ExampleForm()}))

    assert "<title>Error: Example - Civil Service career pathways</title>" in with_errors
    assert "<title>Example - Civil Service career pathways</title>" in without
