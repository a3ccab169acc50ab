"""Forms for the line manager's review: agreed proficiency and comment per skill, the decision."""

from django import forms
from django.utils.html import format_html

from roles.models import Proficiency

from . import review_services
from .models import COMMENT_MAX_LENGTH

SIGN_OFF = "sign_off"
RETURN = "return"
DECISION_REQUIRED = "Select whether to sign off the assessment or return it"
# A page without its lock_version cannot say which version it was drawn from: treat it as stale.
STALE_MESSAGES = {
    "required": review_services.ASSESSMENT_CHANGED,
    "invalid": review_services.ASSESSMENT_CHANGED,
}


class ReviewForm(forms.Form):
    """One radios group and one comment box per rating of the assessment, then a summary.

    Fields exist only for the assessment's own ratings, so an id sent for anything else is
    never read.
    """

    lock_version = forms.IntegerField(widget=forms.HiddenInput, error_messages=STALE_MESSAGES)

    def __init__(self, *args, assessment, ratings, descriptors=None, **kwargs):
        descriptors = descriptors or {}
        initial = {"lock_version": assessment.lock_version, "summary": assessment.manager_summary}
        for rating in ratings:
            initial[self.agreed_name(rating)] = (
                rating.manager_proficiency or rating.self_proficiency or None
            )
            initial[self.comment_name(rating)] = rating.manager_comment
        super().__init__(*args, initial=initial, **kwargs)
        self.ratings = list(ratings)
        for rating in self.ratings:
            agreed = forms.ChoiceField(
                label=format_html(
                    'Agreed proficiency<span class="govuk-visually-hidden"> in {}</span>',
                    rating.skill_name,
                ),
                choices=Proficiency.choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": review_services.PROFICIENCY_INVALID},
            )
            agreed.legend_class = "govuk-fieldset__legend--s"
            agreed.choice_hints = dict(descriptors.get(rating.pk, {}))
            self.fields[self.agreed_name(rating)] = agreed
            self.fields[self.comment_name(rating)] = forms.CharField(
                label=format_html(
                    'Your comment<span class="govuk-visually-hidden"> on {}</span> (optional)',
                    rating.skill_name,
                ),
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"max_length": review_services.COMMENT_TOO_LONG},
            )
        self.fields["summary"] = forms.CharField(
            label="Overall summary (optional)",
            help_text="The member of staff will see this when you sign off the assessment.",
            required=False,
            max_length=COMMENT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={"max_length": review_services.SUMMARY_TOO_LONG},
        )
        self.fields["summary"].label_class = "govuk-label--m"

    @staticmethod
    def agreed_name(rating):
        return f"agreed-{rating.pk}"

    @staticmethod
    def comment_name(rating):
        return f"comment-{rating.pk}"

    def rows(self):
        """(rating, agreed field, comment field) for each skill, in the assessment's order."""
        return [
            (rating, self[self.agreed_name(rating)], self[self.comment_name(rating)])
            for rating in self.ratings
        ]

    def rating_values(self):
        """{rating id: (agreed proficiency, comment)} for review_services.review_save."""
        return {
            rating.pk: (
                self.cleaned_data[self.agreed_name(rating)],
                self.cleaned_data[self.comment_name(rating)],
            )
            for rating in self.ratings
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="What do you want to do?",
        choices=[(SIGN_OFF, "Sign off the assessment"), (RETURN, "Return it to them")],
        widget=forms.RadioSelect,
        error_messages={"required": DECISION_REQUIRED, "invalid_choice": DECISION_REQUIRED},
    )
    reason = forms.CharField(
        label="Reason for returning it",
        help_text="Only needed if you return it. Say what they should change.",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": review_services.REASON_TOO_LONG},
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, error_messages=STALE_MESSAGES)

    def __init__(self, *args, person_name="them", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (SIGN_OFF, "Sign off the assessment"),
            (RETURN, f"Return it to {person_name}"),
        ]
        self.fields["decision"].choice_hints = {
            SIGN_OFF: "The agreed proficiencies become final. The assessment can no longer change.",
            RETURN: "They can change their answers and submit the assessment again.",
        }
        self.fields["decision"].legend_class = "govuk-fieldset__legend--m"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == RETURN and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", review_services.REASON_REQUIRED)
        return cleaned
