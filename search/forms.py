from django import forms

QUERY_TOO_LONG = "Search words must be 200 characters or fewer"


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search professions, levels and skills",
        help_text="For example, a skill, a job title or a grade such as G7 or SEO",
        required=False,
        max_length=200,
        error_messages={"max_length": QUERY_TOO_LONG},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].label_class = "govuk-label--m"
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update({"spellcheck": "false", "autocomplete": "off"})
