"""Forms of the author's journey and the line manager's review (GOV.UK form renderer).

Forms check the shape of what is typed (choices, lengths, what is required); the services check
the rules and the database holds the invariants. Nothing else is ever read from a post.
"""

from django import forms
from django.utils.html import format_html

from roles.models import Proficiency

from .lifecycle import STALE_EDIT
from .models import COMMENT_MAX_LENGTH, EVIDENCE_MAX_LENGTH

PROFICIENCY_REQUIRED = "Select the proficiency that best describes you"
EVIDENCE_TOO_LONG = f"Evidence must be {EVIDENCE_MAX_LENGTH:,} characters or fewer"
PROFICIENCY_INVALID = "Select a proficiency from the list"
COMMENT_TOO_LONG = f"Comments must be {COMMENT_MAX_LENGTH} characters or fewer"
SUMMARY_TOO_LONG = f"The summary must be {COMMENT_MAX_LENGTH} characters or fewer"
REASON_REQUIRED = "Enter a reason for returning the assessment"
REASON_TOO_LONG = f"The reason must be {COMMENT_MAX_LENGTH} characters or fewer"
DECISION_REQUIRED = "Select whether to sign off the assessment or return it"
AGREE_HINT = "Their own rating is {proficiency}. Select it to agree, or another to adjust it."
SIGN_OFF = "sign_off"
RETURN = "return"
# A page without its lock_version cannot say which version it was drawn from: treat it as stale.
STALE_MESSAGES = {"required": STALE_EDIT, "invalid": STALE_EDIT}


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
    lock_version = forms.IntegerField(widget=forms.HiddenInput, error_messages=STALE_MESSAGES)

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
    lock_version = forms.IntegerField(widget=forms.HiddenInput, error_messages=STALE_MESSAGES)


class LockForm(forms.Form):
    """A confirmation page that sends only the version it was drawn from (withdraw, delete)."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, error_messages=STALE_MESSAGES)


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


class ReviewForm(forms.Form):
    """One radios group and one comment box per rating of one step of the review.

    Fields exist only for the ratings given (the step's own, all of this assessment's), so an
    id sent for anything else is never read. Nothing is pre-selected that is not saved: a
    radio is checked only when the line manager has agreed that proficiency, so "agree" is
    always their own explicit choice.
    """

    lock_version = forms.IntegerField(widget=forms.HiddenInput, error_messages=STALE_MESSAGES)

    def __init__(self, *args, assessment, ratings, descriptors=None, **kwargs):
        descriptors = descriptors or {}
        initial = {"lock_version": assessment.lock_version}
        for rating in ratings:
            initial[self.agreed_name(rating)] = rating.manager_proficiency or None
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
                error_messages={"invalid_choice": PROFICIENCY_INVALID},
            )
            agreed.legend_class = "govuk-fieldset__legend--s"
            if rating.self_proficiency:
                agreed.help_text = AGREE_HINT.format(
                    proficiency=Proficiency(rating.self_proficiency).label
                )
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
                error_messages={"max_length": COMMENT_TOO_LONG},
            )

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
        """{rating id: (agreed proficiency, comment)} for review_save."""
        return {
            rating.pk: (
                self.cleaned_data[self.agreed_name(rating)],
                self.cleaned_data[self.comment_name(rating)],
            )
            for rating in self.ratings
        }


class SummaryForm(forms.Form):
    """The line manager's overall summary: the last step of the review."""

    summary = forms.CharField(
        label="Overall summary (optional)",
        help_text="The member of staff will see this when you sign off the assessment.",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"max_length": SUMMARY_TOO_LONG},
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, error_messages=STALE_MESSAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary"].label_class = "govuk-label--l"
        self.fields["summary"].label_is_heading = True


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
        error_messages={"max_length": REASON_TOO_LONG},
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
        # A reason refused for its length already has its error; only an empty one needs this.
        returning = cleaned.get("decision") == RETURN
        if returning and "reason" not in self.errors and not cleaned.get("reason"):
            self.add_error("reason", REASON_REQUIRED)
        return cleaned
