"""Every review URL for every role of the access matrix (docs: design.md, people/permissions.py).

anonymous: sign-in redirect. The author: 404 on every review URL (they have their own pages).
Line manager: yes. Manager further up: read yes, review/decision 403. Another colleague: 404.
Head of that profession: 404 (aggregate only). Service administrator (superuser, no staff
record): read yes, review/decision/done 403 (they may see it, not review it).
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


def request_as(client, users, role, method, url, data=None):
    user = users[role]
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url, data or {})


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


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["assessments:review", "assessments:review_decision"])
def test_review_pages_get(client, assessment, users, role, name):
    response = request_as(client, users, role, "get", reverse(name, args=[assessment.pk]))

    assert_answer(response, REVIEWING[role])


@pytest.mark.parametrize("role", ROLES)
def test_review_post_changes_nothing_unless_line_manager(client, assessment, users, role):
    rating = assessment.ratings.first()
    data = {"lock_version": "1", f"agreed-{rating.pk}": "expert", "summary": "Posted"}

    response = request_as(
        client, users, role, "post", reverse("assessments:review", args=[assessment.pk]), data
    )

    rating.refresh_from_db()
    assessment.refresh_from_db()
    if role == "line_manager":
        assert response.status_code == 302
        assert rating.manager_proficiency == "expert"
        assert assessment.manager_summary == "Posted"
    else:
        assert_answer(response, REVIEWING[role])
        assert rating.manager_proficiency == ""
        assert assessment.manager_summary == ""
        assert assessment.status == AssessmentStatus.SUBMITTED


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


@pytest.mark.parametrize("name", ["assessments:review", "assessments:review_decision"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_signed_off_assessments_cannot_be_reviewed_even_by_the_line_manager(
    client, assessment_in, users, name, method
):
    assessment = assessment_in(AssessmentStatus.SIGNED_OFF)
    data = {"lock_version": "1", "decision": "return", "reason": "Again"}

    response = request_as(
        client, users, "line_manager", method, reverse(name, args=[assessment.pk]), data
    )

    assessment.refresh_from_db()
    assert response.status_code == 403
    assert assessment.status == AssessmentStatus.SIGNED_OFF


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
