"""The forms check the shape of what people type, with the messages they see; the services and
the database then refuse the same values if they are forged past the forms."""

import pytest

from assessments import forms


def rating_form(**data):
    return forms.RatingForm(
        {"lock_version": "1", **data},
        skill_name="Strategy",
        descriptors={},
        require_proficiency=True,
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"self_proficiency": "superb"}, "self_proficiency", forms.PROFICIENCY_REQUIRED),
        ({}, "self_proficiency", forms.PROFICIENCY_REQUIRED),
        (
            {"self_proficiency": "working", "evidence": "x" * 3001},
            "evidence",
            forms.EVIDENCE_TOO_LONG,
        ),
    ],
)
def test_rating_form_refuses_bad_input_with_a_message(data, field, message):
    form = rating_form(**data)

    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_rating_form_trims_the_evidence():
    form = rating_form(self_proficiency="working", evidence="  Led the team.  ")

    assert form.is_valid()
    assert form.cleaned_data["evidence"] == "Led the team."


@pytest.mark.parametrize("lock_version", ["", "two"])
def test_a_form_without_a_usable_lock_version_is_treated_as_stale(lock_version):
    form = forms.SubmitForm({"declaration": "on", "lock_version": lock_version})

    assert not form.is_valid()
    assert form.errors["lock_version"] == [forms.STALE_EDIT]


def review_form(assessment, rating_value, comment=""):
    ratings = list(assessment.ratings.order_by("position"))
    data = {"lock_version": "1"}
    for rating in ratings:
        data[forms.ReviewForm.agreed_name(rating)] = rating_value
        data[forms.ReviewForm.comment_name(rating)] = comment
    return forms.ReviewForm(data, assessment=assessment, ratings=ratings)


@pytest.mark.parametrize(
    ("rating_value", "comment", "message"),
    [
        ("genius", "", forms.PROFICIENCY_INVALID),
        ("expert", "x" * 2001, forms.COMMENT_TOO_LONG),
    ],
)
def test_review_form_refuses_bad_input_with_a_message(assessment, rating_value, comment, message):
    form = review_form(assessment, rating_value, comment)

    assert not form.is_valid()
    assert message in [error for errors in form.errors.values() for error in errors]


def test_review_form_trims_comments(assessment):
    form = review_form(assessment, "expert", comment="  Led the team.  ")

    assert form.is_valid()
    assert set(form.rating_values().values()) == {("expert", "Led the team.")}


def test_review_form_reads_no_summary(assessment):
    """The summary is its own step (SummaryForm): a step's post cannot change it."""
    form = review_form(assessment, "expert")

    assert "summary" not in form.fields


def test_review_form_preselects_only_what_the_manager_agreed(assessment):
    first, second, _third = assessment.ratings.order_by("position")
    first.manager_proficiency = "expert"

    form = forms.ReviewForm(assessment=assessment, ratings=[first, second])

    assert form[forms.ReviewForm.agreed_name(first)].value() == "expert"
    assert form[forms.ReviewForm.agreed_name(second)].value() is None


@pytest.mark.parametrize(
    ("summary", "message"), [("x" * 2001, forms.SUMMARY_TOO_LONG), (" Strong year ", None)]
)
def test_summary_form(summary, message):
    form = forms.SummaryForm({"lock_version": "1", "summary": summary})

    if message is None:
        assert form.is_valid()
        assert form.cleaned_data["summary"] == "Strong year"
    else:
        assert form.errors["summary"] == [message]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"decision": "return", "reason": ""}, "reason", forms.REASON_REQUIRED),
        ({"decision": "return", "reason": "   "}, "reason", forms.REASON_REQUIRED),
        ({"decision": "return", "reason": "x" * 2001}, "reason", forms.REASON_TOO_LONG),
        ({"decision": "publish"}, "decision", forms.DECISION_REQUIRED),
    ],
)
def test_decision_form_refuses_bad_input_with_a_message(data, field, message):
    form = forms.DecisionForm({"lock_version": "1", **data})

    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_decision_form_trims_the_reason():
    form = forms.DecisionForm({"lock_version": "1", "decision": "return", "reason": "  Why  "})

    assert form.is_valid()
    assert form.cleaned_data["reason"] == "Why"
