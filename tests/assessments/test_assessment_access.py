"""Who may open each page of the self-assessment journey (the access matrix in design.md).

Drafts are private to their author, and these are the author's pages: everyone else - their line
manager, a manager further up, a colleague, a head of the profession, an administrator - gets
404 for someone else's assessment, whatever its state (managers read submissions on the review
pages instead).
"""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import AssessmentStatus
from tests.factories import PersonFactory, UserFactory, make_framework

pytestmark = pytest.mark.django_db

ROLES = ["line_manager", "manager_above", "colleague", "head_of_profession", "admin"]


@pytest.fixture
def world():
    profession, version = make_framework(levels=2, skills=2)
    director = PersonFactory()
    manager = PersonFactory(line_manager=director)
    author = PersonFactory(line_manager=manager, profession=profession)
    colleague = PersonFactory(line_manager=manager)
    head = PersonFactory()
    profession.heads.add(head.user)
    admin = UserFactory(is_staff=True, is_superuser=True)
    level = version.content["levels"][0]["slug"]
    assessment, _created = services.assessment_start(
        person=author, profession_slug=profession.slug, level_slug=level
    )
    return {
        "author": author.user,
        "line_manager": manager.user,
        "manager_above": director.user,
        "colleague": colleague.user,
        "head_of_profession": head.user,
        "admin": admin,
        "assessment": assessment,
        "rating": assessment.ratings.first(),
    }


def submit(world):
    assessment = world["assessment"]
    author = assessment.person
    for rating in assessment.ratings.all():
        services.rating_save(
            assessment=assessment,
            rating_id=rating.pk,
            self_proficiency="working",
            evidence="",
            lock_version=assessment.lock_version,
            by=author,
        )
    services.assessment_submit(
        assessment=assessment, by=author, declaration=True, lock_version=assessment.lock_version
    )


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


def url_for(world, name, with_rating):
    args = [world["assessment"].pk]
    if with_rating:
        args.append(world["rating"].pk)
    return reverse(name, args=args)


def request(client, method, url):
    return client.post(url, {}) if method == "post" else client.get(url)


@pytest.mark.parametrize(("name", "with_rating", "method", "_own"), ASSESSMENT_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, world, name, with_rating, method, _own):
    url = url_for(world, name, with_rating)

    response = request(client, method, url)

    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "with_rating", "method", "own_status"), ASSESSMENT_PAGES)
def test_the_author_may_open_their_own_draft(client, world, name, with_rating, method, own_status):
    client.force_login(world["author"])

    response = request(client, method, url_for(world, name, with_rating))

    assert response.status_code == own_status
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("state", ["draft", "submitted"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "with_rating", "method", "_own"), ASSESSMENT_PAGES)
def test_everyone_else_gets_404(client, world, role, state, name, with_rating, method, _own):
    if state == "submitted":
        submit(world)
    client.force_login(world[role])
    before = world["assessment"].__class__.objects.get(pk=world["assessment"].pk)

    response = request(client, method, url_for(world, name, with_rating))

    after = world["assessment"].__class__.objects.get(pk=world["assessment"].pk)
    assert response.status_code == 404
    assert (after.status, after.lock_version) == (before.status, before.lock_version)


@pytest.mark.parametrize(
    "name", ["assessments:assessment_list", "assessments:assessment_start"], ids=["list", "start"]
)
def test_personal_index_pages(client, world, name):
    url = reverse(name)

    anonymous = client.get(url)
    for role in ["author", "line_manager", "manager_above", "colleague", "head_of_profession"]:
        client.force_login(world[role])
        response = client.get(url)
        assert response.status_code == 200, role
        assert "no-store" in response.headers["Cache-Control"]
    client.force_login(world["admin"])
    admin = client.get(url)

    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith(reverse("login"))
    assert admin.status_code == 403
    assert "There is no staff record for your account" in admin.content.decode()
    assert "no-store" in admin.headers["Cache-Control"]


def test_your_assessments_shows_only_your_own(client, world):
    client.force_login(world["colleague"])

    response = client.get(reverse("assessments:assessment_list"))

    assert world["assessment"].level_name not in response.content.decode()
    assert response.context["assessments"] == []


def test_a_signed_off_assessment_is_read_only_for_its_author(client, world):
    submit(world)
    assessment = world["assessment"]
    manager = assessment.person.line_manager
    type(assessment).objects.filter(pk=assessment.pk).update(
        status=AssessmentStatus.SIGNED_OFF, signed_off_at=assessment.submitted_at, reviewer=manager
    )
    client.force_login(world["author"])
    rating = world["rating"]

    task_list = client.get(url_for(world, "assessments:assessment_task_list", False))
    post = client.post(
        url_for(world, "assessments:assessment_skill", True),
        {"self_proficiency": "expert", "evidence": "Changed", "lock_version": "99"},
    )
    detail = client.get(url_for(world, "assessments:assessment_detail", False))

    detail_url = reverse("assessments:assessment_detail", args=[assessment.pk])
    assert task_list.headers["Location"] == detail_url
    assert post.headers["Location"] == detail_url
    rating.refresh_from_db()
    assert rating.self_proficiency == "working"
    assert detail.status_code == 200
    assert "Withdraw assessment" not in detail.content.decode()
