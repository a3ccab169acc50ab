"""Who may open each page of the self-assessment journey (the access matrix in design.md).

Drafts are private to their author, and these are the author's pages: everyone else - their line
manager, a manager further up, a colleague, a head of the profession, an administrator - gets
404 for someone else's assessment, whatever its state (managers read submissions on the review
pages instead).
"""

import pytest
from django.urls import reverse

from assessments.models import AssessmentStatus, SelfAssessment
from tests.factories import PersonFactory, rate_all, start_assessment, submit_assessment

pytestmark = pytest.mark.django_db

ROLES = ["line_manager", "manager_above", "colleague", "head_of_profession", "admin"]


@pytest.fixture
def users(framework, author, manager, director, colleague, admin_user):
    """The user each role signs in as. The head of the profession here has a staff record of
    their own, so that the personal pages open for them (test_review_access.py's has none)."""
    profession, _version = framework
    head = PersonFactory()
    profession.heads.add(head.user)
    return {
        "author": author.user,
        "line_manager": manager.user,
        "manager_above": director.user,
        "colleague": colleague.user,
        "head_of_profession": head.user,
        "admin": admin_user,
    }


@pytest.fixture
def started(author, version):
    """The author's assessment, started through the service: a draft until a test submits it."""
    return start_assessment(author, version)


def submit(assessment):
    rate_all(assessment, evidence="")
    submit_assessment(assessment)


# (url name, needs the rating too, method, what the author gets for their own draft)
ASSESSMENT_PAGES = [
    ("assessments:assessment_task_list", False, "get", 200),
    ("assessments:assessment_skill", True, "get", 200),
    ("assessments:assessment_skill", True, "post", 200),  # empty post: errors shown
    ("assessments:assessment_check", False, "get", 200),
    ("assessments:assessment_submit", False, "post", 200),  # no declaration: errors shown
    ("assessments:assessment_confirmation", False, "get", 302),  # not submitted: to the detail
    ("assessments:assessment_withdraw", False, "get", 302),  # not submitted: to the detail
    ("assessments:assessment_withdraw", False, "post", 302),
    ("assessments:assessment_detail", False, "get", 200),
]


def url_for(assessment, name, with_rating):
    args = [assessment.pk]
    if with_rating:
        args.append(assessment.ratings.first().pk)
    return reverse(name, args=args)


def request(client, method, url):
    return client.post(url, {}) if method == "post" else client.get(url)


@pytest.mark.parametrize(("name", "with_rating", "method", "_own"), ASSESSMENT_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, started, name, with_rating, method, _own):
    url = url_for(started, name, with_rating)

    response = request(client, method, url)

    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "with_rating", "method", "own_status"), ASSESSMENT_PAGES)
def test_the_author_may_open_their_own_draft(
    author_client, started, name, with_rating, method, own_status
):
    response = request(author_client, method, url_for(started, name, with_rating))

    assert response.status_code == own_status
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("state", ["draft", "submitted"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "with_rating", "method", "_own"), ASSESSMENT_PAGES)
def test_everyone_else_gets_404(
    client, users, started, role, state, name, with_rating, method, _own
):
    if state == "submitted":
        submit(started)
    client.force_login(users[role])
    before = SelfAssessment.objects.get(pk=started.pk)

    response = request(client, method, url_for(started, name, with_rating))

    after = SelfAssessment.objects.get(pk=started.pk)
    assert response.status_code == 404
    assert (after.status, after.lock_version) == (before.status, before.lock_version)


@pytest.mark.parametrize(
    "name", ["assessments:assessment_list", "assessments:assessment_start"], ids=["list", "start"]
)
def test_personal_index_pages(client, users, name):
    url = reverse(name)

    anonymous = client.get(url)
    for role in ["author", "line_manager", "manager_above", "colleague", "head_of_profession"]:
        client.force_login(users[role])
        response = client.get(url)
        assert response.status_code == 200, role
        assert "no-store" in response.headers["Cache-Control"]
    client.force_login(users["admin"])
    admin = client.get(url)

    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith(reverse("login"))
    assert admin.status_code == 403
    assert "There is no staff record for your account" in admin.content.decode()
    assert "no-store" in admin.headers["Cache-Control"]


def test_your_assessments_shows_only_your_own(client, users, started):
    client.force_login(users["colleague"])

    response = client.get(reverse("assessments:assessment_list"))

    assert started.level_name not in response.content.decode()
    assert response.context["assessments"] == []


def test_a_signed_off_assessment_is_read_only_for_its_author(author_client, manager, started):
    submit(started)
    SelfAssessment.objects.filter(pk=started.pk).update(
        status=AssessmentStatus.SIGNED_OFF, signed_off_at=started.submitted_at, reviewer=manager
    )
    rating = started.ratings.first()

    task_list = author_client.get(url_for(started, "assessments:assessment_task_list", False))
    post = author_client.post(
        url_for(started, "assessments:assessment_skill", True),
        {"self_proficiency": "expert", "evidence": "Changed", "lock_version": "99"},
    )
    detail = author_client.get(url_for(started, "assessments:assessment_detail", False))

    detail_url = reverse("assessments:assessment_detail", args=[started.pk])
    assert task_list.headers["Location"] == detail_url
    assert post.headers["Location"] == detail_url
    rating.refresh_from_db()
    assert rating.self_proficiency == "working"
    assert detail.status_code == 200
    assert "Withdraw assessment" not in detail.content.decode()
