"""Every review URL for every role of the access matrix (docs: design.md, people/permissions.py).

anonymous: sign-in redirect. The author: 404 on every review URL (they have their own pages).
Line manager: yes. Manager further up: read yes; a review page asked for is the read-only
record instead (a redirect), a write to one is 403. Another colleague: 404. Head of that
profession: 404 (aggregate only). Service administrator (superuser, no staff record): as a
manager further up (they may see it, not review it).
"""

import pytest
from django.urls import reverse

from assessments.models import AssessmentStatus
from tests.factories import make_head_of_profession

ROLES = ["anonymous", "author", "line_manager", "further_up", "colleague", "head", "admin"]


@pytest.fixture
def users(framework, author, manager, director, colleague, admin_user):
    """The user each role signs in as. The head of the profession here has no staff record of
    their own (appointed as roles admin does), unlike the one in test_assessment_access.py."""
    profession, _version = framework
    return {
        "anonymous": None,
        "author": author.user,
        "line_manager": manager.user,
        "further_up": director.user,
        "colleague": colleague.user,  # same team, not the author's manager
        "head": make_head_of_profession(profession),
        "admin": admin_user,
    }


def request_as(client, users, role, method, url, data=None, follow=False):
    user = users[role]
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url, data or {}, follow=follow)


def assert_answer(response, expected):
    if expected == "login":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/sign-in/?next=")
    elif expected == 200:
        assert response.status_code == 200
        assert "no-store" in response.headers["Cache-Control"]
    else:
        assert response.status_code == expected


REVIEWING = {
    "anonymous": "login",
    "author": 404,
    "line_manager": 200,
    "further_up": 403,
    "colleague": 404,
    "head": 404,
    "admin": 403,
}
READING = {**REVIEWING, "further_up": 200, "admin": 200}
# A review page asked for by someone who may read the assessment but not review it leads to
# the read-only record.
REVIEW_PAGE_GET = {**REVIEWING, "further_up": "read", "admin": "read"}
REVIEW_PAGES = [
    ("assessments:review", []),
    ("assessments:review_step", [1]),
    ("assessments:review_summary", []),
    ("assessments:review_decision", []),
]


def assert_leads_to_read_only(response, assessment):
    assert response.status_code == 302
    assert response.headers["Location"] == reverse(
        "assessments:team_assessment", args=[assessment.pk]
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "extra"), REVIEW_PAGES)
def test_review_pages_get(client, assessment, users, role, name, extra):
    response = request_as(client, users, role, "get", reverse(name, args=[assessment.pk, *extra]))

    if REVIEW_PAGE_GET[role] == "read":
        assert_leads_to_read_only(response, assessment)
    else:
        assert_answer(response, REVIEW_PAGE_GET[role])


@pytest.mark.parametrize("role", ROLES)
def test_review_post_changes_nothing_unless_line_manager(client, assessment, users, role):
    rating = assessment.ratings.order_by("position").first()
    data = {"lock_version": "1", f"agreed-{rating.pk}": "expert"}

    response = request_as(
        client,
        users,
        role,
        "post",
        reverse("assessments:review_step", args=[assessment.pk, 1]),
        data,
    )

    rating.refresh_from_db()
    assessment.refresh_from_db()
    if role == "line_manager":
        assert response.status_code == 302
        assert rating.manager_proficiency == "expert"
        assert assessment.status == AssessmentStatus.IN_REVIEW
    else:
        assert_answer(response, REVIEWING[role])
        assert rating.manager_proficiency == ""
        assert assessment.status == AssessmentStatus.SUBMITTED
        assert assessment.lock_version == 1


@pytest.mark.parametrize("role", ROLES)
def test_summary_post_changes_nothing_unless_line_manager(client, assessment, users, role):
    response = request_as(
        client,
        users,
        role,
        "post",
        reverse("assessments:review_summary", args=[assessment.pk]),
        {"lock_version": "1", "summary": "Posted"},
    )

    assessment.refresh_from_db()
    if role == "line_manager":
        assert response.status_code == 302
        assert assessment.manager_summary == "Posted"
    else:
        assert_answer(response, REVIEWING[role])
        assert assessment.manager_summary == ""
        assert assessment.lock_version == 1


@pytest.mark.parametrize("role", ROLES)
def test_agree_remaining_changes_nothing_unless_line_manager(client, assessment, users, role):
    response = request_as(
        client,
        users,
        role,
        "post",
        reverse("assessments:review_agree_remaining", args=[assessment.pk]),
        {"lock_version": "1"},
    )

    agreed = set(assessment.ratings.values_list("manager_proficiency", flat=True))
    assessment.refresh_from_db()
    if role == "line_manager":
        assert response.status_code == 302
        assert agreed == {"working"}
    else:
        assert_answer(response, REVIEWING[role])
        assert agreed == {""}
        assert assessment.lock_version == 1


@pytest.mark.parametrize("role", ROLES)
def test_agree_remaining_answers_only_post(client, assessment, users, role):
    response = request_as(
        client,
        users,
        role,
        "get",
        reverse("assessments:review_agree_remaining", args=[assessment.pk]),
    )

    assert_answer(response, "login" if role == "anonymous" else 405)


@pytest.mark.parametrize("role", ROLES)
def test_decision_post_changes_nothing_unless_line_manager(client, assessment, users, role):
    data = {"lock_version": "1", "decision": "return", "reason": "Add more"}

    response = request_as(
        client,
        users,
        role,
        "post",
        reverse("assessments:review_decision", args=[assessment.pk]),
        data,
    )

    assessment.refresh_from_db()
    if role == "line_manager":
        assert response.status_code == 302
        assert assessment.status == AssessmentStatus.RETURNED
    else:
        assert_answer(response, REVIEWING[role])
        assert assessment.status == AssessmentStatus.SUBMITTED


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", [AssessmentStatus.SUBMITTED, AssessmentStatus.SIGNED_OFF])
def test_read_only_page(client, assessment_in, users, role, status):
    assessment = assessment_in(status)

    response = request_as(
        client, users, role, "get", reverse("assessments:team_assessment", args=[assessment.pk])
    )

    assert_answer(response, READING[role])


@pytest.mark.parametrize("role", ROLES)
def test_read_only_page_never_shows_a_draft(client, assessment_in, users, role):
    assessment = assessment_in(AssessmentStatus.DRAFT)

    response = request_as(
        client, users, role, "get", reverse("assessments:team_assessment", args=[assessment.pk])
    )

    assert_answer(response, "login" if role == "anonymous" else 404)


@pytest.mark.parametrize("role", ROLES)
def test_done_page_after_sign_off(client, assessment_in, users, role):
    assessment = assessment_in(AssessmentStatus.SIGNED_OFF)
    expected = {**REVIEWING, "line_manager": 200}

    response = request_as(
        client, users, role, "get", reverse("assessments:review_done", args=[assessment.pk])
    )

    assert_answer(response, expected[role])


@pytest.mark.parametrize("role", ROLES)
def test_done_page_after_return(client, assessment_in, users, role):
    assessment = assessment_in(AssessmentStatus.RETURNED)
    # A returned assessment is back with its author: managers further up and administrators
    # no longer see it.
    expected = {**REVIEWING, "line_manager": 200, "further_up": 404, "admin": 404}

    response = request_as(
        client, users, role, "get", reverse("assessments:review_done", args=[assessment.pk])
    )

    assert_answer(response, expected[role])


def test_done_page_before_a_decision_is_403_for_the_line_manager(client, assessment_in, users):
    assessment = assessment_in(AssessmentStatus.IN_REVIEW, review_started_at=None)

    response = request_as(
        client,
        users,
        "line_manager",
        "get",
        reverse("assessments:review_done", args=[assessment.pk]),
    )

    assert response.status_code == 403


@pytest.mark.parametrize(("name", "extra"), REVIEW_PAGES)
@pytest.mark.parametrize("role", ["line_manager", "further_up", "admin"])
def test_after_sign_off_every_review_link_leads_to_the_read_only_record(
    client, assessment_in, users, name, extra, role
):
    assessment = assessment_in(AssessmentStatus.SIGNED_OFF)

    response = request_as(
        client, users, role, "get", reverse(name, args=[assessment.pk, *extra]), follow=True
    )

    assert response.redirect_chain == [
        (reverse("assessments:team_assessment", args=[assessment.pk]), 302)
    ]
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["author", "colleague", "head"])
def test_after_sign_off_review_links_stay_404_for_those_who_may_not_read(
    client, assessment_in, users, role
):
    assessment = assessment_in(AssessmentStatus.SIGNED_OFF)

    response = request_as(
        client, users, role, "get", reverse("assessments:review", args=[assessment.pk])
    )

    assert response.status_code == 404


@pytest.mark.parametrize(("name", "extra"), REVIEW_PAGES)
def test_a_returned_review_link_leads_the_line_manager_to_the_decision(
    client, assessment_in, users, name, extra
):
    assessment = assessment_in(AssessmentStatus.RETURNED)

    response = request_as(
        client, users, "line_manager", "get", reverse(name, args=[assessment.pk, *extra])
    )

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("assessments:review_done", args=[assessment.pk])


@pytest.mark.parametrize(
    ("name", "extra"),
    [
        ("assessments:review_step", [1]),
        ("assessments:review_summary", []),
        ("assessments:review_decision", []),
        ("assessments:review_agree_remaining", []),
    ],
)
def test_signed_off_assessments_cannot_be_changed_even_by_the_line_manager(
    client, assessment_in, users, name, extra
):
    assessment = assessment_in(AssessmentStatus.SIGNED_OFF)
    data = {"lock_version": "1", "decision": "return", "reason": "Again", "summary": "Again"}

    response = request_as(
        client, users, "line_manager", "post", reverse(name, args=[assessment.pk, *extra]), data
    )

    assessment.refresh_from_db()
    assert response.status_code == 403
    assert assessment.status == AssessmentStatus.SIGNED_OFF
    assert assessment.manager_summary != "Again"


@pytest.mark.parametrize("role", ["line_manager", "further_up", "admin"])
@pytest.mark.parametrize(
    "name", ["assessments:review", "assessments:review_decision", "assessments:team_assessment"]
)
def test_an_id_that_does_not_exist_is_404(client, users, role, name):
    response = request_as(client, users, role, "get", reverse(name, args=[999999]))

    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_queue(client, assessment, users, role):
    review_link = 'href="{}"'.format(reverse("assessments:review", args=[assessment.pk]))
    read_link = 'href="{}"'.format(reverse("assessments:team_assessment", args=[assessment.pk]))

    response = request_as(client, users, role, "get", reverse("assessments:review_queue"))

    if role == "anonymous":
        assert_answer(response, "login")
        return
    assert_answer(response, 200)
    html = response.content.decode()
    assert (review_link in html) is (role == "line_manager")
    # Managers further up see it, read only, under "Further down your line".
    assert (read_link in html) is (role == "further_up")


@pytest.mark.parametrize("role", ROLES)
def test_reviewed_list_shows_only_what_you_decided(client, assessment_in, users, role):
    signed_off = assessment_in(AssessmentStatus.SIGNED_OFF)
    read_link = 'href="{}"'.format(reverse("assessments:team_assessment", args=[signed_off.pk]))

    response = request_as(client, users, role, "get", reverse("assessments:review_history"))

    if role == "anonymous":
        assert_answer(response, "login")
        return
    assert_answer(response, 200)
    # Only the line manager who signed it off (the factory's reviewer) has it in their list.
    assert (read_link in response.content.decode()) is (role == "line_manager")
