"""The "aggregate only" page for heads of profession: its figures, who may see it, its queries,
and that it never shows a name or an individual record."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentStatus, Rating
from insights.reports import (
    SMALL_NUMBER_TEXT,
    SMALL_NUMBER_THRESHOLD,
    TOP_SKILLS,
    WITHHELD_TEXT,
    profession_insights,
    shown,
)
from people.models import Person
from roles.selectors import latest_framework_or_404
from tests.factories import (
    PersonFactory,
    UserFactory,
    make_assessment_for_review,
    make_framework,
    make_head_of_profession,
)

ROLES = [
    "anonymous",
    "staff",
    "line_manager",
    "further_up",
    "colleague",
    "head_of_another",
    "head",
    "admin",
]
EXPECTED = {
    "anonymous": "login",
    "staff": 404,
    "line_manager": 404,
    "further_up": 404,
    "colleague": 404,
    "head_of_another": 404,
    "head": 200,
    "admin": 200,
}


def assess(version, status, *, person=None, level_rank=1, **fields):
    """An assessment in `status` by a new person (or `person`), with the fields each status
    needs for the database constraints."""
    person = person or PersonFactory()
    if status == AssessmentStatus.RETURNED:
        fields.setdefault("return_reason", "Add more evidence")
    if status == AssessmentStatus.SIGNED_OFF:
        fields.setdefault("reviewer", PersonFactory())
        fields.setdefault("signed_off_at", timezone.now())
    return make_assessment_for_review(
        person=person, version=version, status=status, level_rank=level_rank, **fields
    )


def insights_for(profession):
    return profession_insights(
        profession=profession, framework=latest_framework_or_404(profession.slug)
    )


def url_for(profession):
    return reverse("insights:profession_insights", args=[profession.slug])


# --- the figures ---------------------------------------------------------------------------
def test_small_numbers_are_suppressed_and_zero_and_five_are_shown():
    assert SMALL_NUMBER_THRESHOLD == 5
    assert shown(0) == "0"
    assert [shown(count) for count in range(1, 5)] == [SMALL_NUMBER_TEXT] * 4
    assert SMALL_NUMBER_TEXT == "fewer than 5"
    assert shown(5) == "5"
    assert shown(123) == "123"


@pytest.mark.django_db
def test_counts_assessments_by_status_for_that_profession_only():
    profession, version = make_framework(levels=2, skills=2)
    _other, other_version = make_framework(levels=1, skills=1)
    for status, how_many in [
        (AssessmentStatus.DRAFT, 6),
        (AssessmentStatus.SUBMITTED, 2),
        (AssessmentStatus.IN_REVIEW, 1),
        (AssessmentStatus.SIGNED_OFF, 5),
    ]:
        for _ in range(how_many):
            assess(version, status)
    assess(other_version, AssessmentStatus.RETURNED)  # another profession: not counted
    assess(other_version, AssessmentStatus.DRAFT)

    insights = insights_for(profession)

    counts = {row.status: (row.count, row.display) for row in insights.statuses}
    assert counts == {
        "draft": (6, "6"),
        "submitted": (2, SMALL_NUMBER_TEXT),
        "in_review": (1, SMALL_NUMBER_TEXT),
        "returned": (0, "0"),
        "signed_off": (5, "5"),
    }
    assert [row.label for row in insights.statuses] == [
        "Draft",
        "Submitted",
        "In review",
        "Returned",
        "Signed off",
    ]


@pytest.mark.django_db
def test_counts_signed_off_assessments_per_level_of_the_latest_framework():
    profession, version = make_framework(levels=3, skills=1)
    for _ in range(6):
        assess(version, AssessmentStatus.SIGNED_OFF, level_rank=2)
    for _ in range(5):
        assess(version, AssessmentStatus.SIGNED_OFF, level_rank=3)
    assess(version, AssessmentStatus.SUBMITTED, level_rank=1)  # not signed off: not counted
    levels = [level["name"] for level in sorted(version.content["levels"], key=lambda x: x["rank"])]

    insights = insights_for(profession)

    assert [(level.name, level.signed_off, level.display) for level in insights.levels] == [
        (levels[0], 0, "0"),
        (levels[1], 6, "6"),
        (levels[2], 5, "5"),
    ]


@pytest.mark.django_db
def test_one_small_level_hides_the_smallest_other_level_so_it_cannot_be_worked_out():
    profession, version = make_framework(levels=3, skills=1)
    assess(version, AssessmentStatus.SIGNED_OFF, level_rank=1)
    for _ in range(6):
        assess(version, AssessmentStatus.SIGNED_OFF, level_rank=2)
    for _ in range(5):
        assess(version, AssessmentStatus.SIGNED_OFF, level_rank=3)

    insights = insights_for(profession)

    assert [level.display for level in insights.levels] == [
        SMALL_NUMBER_TEXT,
        "6",
        WITHHELD_TEXT,
    ]


def signed_off(version, *, level_rank, self_proficiency, manager=None):
    assessment = assess(
        version,
        AssessmentStatus.SIGNED_OFF,
        level_rank=level_rank,
        self_proficiency=self_proficiency,
    )
    if manager is not None:
        assessment.ratings.update(manager_proficiency=manager)
    return assessment


@pytest.mark.django_db
def test_below_expected_uses_the_managers_agreed_proficiency_when_there_is_one():
    # Level 2 expects Working in its one skill.
    profession, version = make_framework(levels=2, skills=1)
    for _ in range(5):  # below by their own rating, the manager agreed Working: not below
        signed_off(version, level_rank=2, self_proficiency="awareness", manager="working")
    for _ in range(6):  # rated Working themselves, the manager said Awareness: below
        signed_off(version, level_rank=2, self_proficiency="working", manager="awareness")
    for _ in range(2):  # the manager left it empty, their own Awareness stands: below
        signed_off(version, level_rank=2, self_proficiency="awareness")
    for _ in range(3):  # above expected: not below
        signed_off(version, level_rank=2, self_proficiency="working", manager="expert")
    skill_name = version.content["skills"][0]["name"]

    insights = insights_for(profession)

    assert [(s.name, s.below, s.rated, s.share) for s in insights.skills_below] == [
        (skill_name, 8, 16, 50)
    ]
    assert insights.skills_below[0].display == "8"
    assert insights.skills_below[0].share_display == "50%"


@pytest.mark.django_db
def test_only_signed_off_assessments_count_towards_skills_below():
    profession, version = make_framework(levels=2, skills=1)
    for status in [
        AssessmentStatus.DRAFT,
        AssessmentStatus.SUBMITTED,
        AssessmentStatus.IN_REVIEW,
        AssessmentStatus.RETURNED,
    ]:
        for _ in range(5):
            assess(version, status, level_rank=2, self_proficiency="awareness")

    insights = insights_for(profession)

    assert insights.skills_below == []


@pytest.mark.django_db
def test_a_small_count_of_a_skill_below_hides_its_share_too():
    profession, version = make_framework(levels=2, skills=1)
    for _ in range(3):
        signed_off(version, level_rank=2, self_proficiency="awareness")

    skill = insights_for(profession).skills_below[0]

    assert (skill.below, skill.display, skill.share_display) == (3, SMALL_NUMBER_TEXT, "not shown")


@pytest.mark.django_db
def test_skills_below_are_ranked_most_often_first_and_cut_at_ten():
    profession, version = make_framework(levels=1, skills=TOP_SKILLS + 2)
    # Level 1 expects Awareness, the lowest proficiency, so nobody is below it as built: raise
    # the expectation of skill n in the first 1 + n % 6 assessments to make them below.
    names = [skill["name"] for skill in version.content["skills"]]
    assessments = [
        signed_off(version, level_rank=1, self_proficiency="awareness") for _ in range(6)
    ]
    for index, name in enumerate(names):
        below_in = assessments[: 1 + index % 6]
        Rating.objects.filter(assessment__in=below_in, skill_name=name).update(
            expected_proficiency="working"
        )

    skills = insights_for(profession).skills_below

    assert len(skills) == TOP_SKILLS
    counts = [skill.below for skill in skills]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] == 6
    assert all(skill.rated == 6 for skill in skills)


@pytest.mark.django_db
def test_ratings_without_any_proficiency_are_left_out():
    profession, version = make_framework(levels=2, skills=1)
    for _ in range(5):
        signed_off(version, level_rank=2, self_proficiency="")

    assert insights_for(profession).skills_below == []


# --- who may see it ------------------------------------------------------------------------
@pytest.fixture
def world(db):
    profession, version = make_framework(levels=2, skills=2)
    other_profession, _ = make_framework(levels=1, skills=1)
    director = PersonFactory(name="Dana Director")
    manager = PersonFactory(name="Morgan Manager", line_manager=director)
    staff = PersonFactory(name="Sasha Staff", line_manager=manager)
    colleague = PersonFactory(name="Alex Another", line_manager=manager)
    for _ in range(SMALL_NUMBER_THRESHOLD):
        assess(version, AssessmentStatus.SIGNED_OFF, level_rank=2, self_proficiency="awareness")
    assessment = assess(
        version,
        AssessmentStatus.SIGNED_OFF,
        person=staff,
        level_rank=2,
        self_proficiency="awareness",
        evidence="I led the <b>discovery</b> for the benefits service.",
        reviewer=manager,
        manager_summary="A steady year of careful delivery.",
    )
    assessment.ratings.update(manager_comment="Keep mentoring the new starters.")
    users = {
        "anonymous": None,
        "staff": staff.user,
        "line_manager": manager.user,
        "further_up": director.user,
        "colleague": colleague.user,
        "head_of_another": make_head_of_profession(other_profession),
        "head": make_head_of_profession(profession),
        "admin": UserFactory(is_staff=True, is_superuser=True),
    }
    return {"profession": profession, "version": version, "users": users, "staff": staff}


def get_as(client, world, role, url):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("role", ROLES)
def test_only_heads_of_the_profession_and_superusers_see_it(client, world, role):
    response = get_as(client, world, role, url_for(world["profession"]))

    expected = EXPECTED[role]
    if expected == "login":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/sign-in/?next=")
    else:
        assert response.status_code == expected
    if expected == 200:
        assert "no-store" in response.headers["Cache-Control"]
        assert "Self-assessments in" in response.content.decode()


@pytest.mark.parametrize("role", ["head", "admin"])
def test_a_profession_that_does_not_exist_is_404(client, world, role):
    response = get_as(client, world, role, "/professions/no-such-profession/insights/")

    assert response.status_code == 404


def test_a_head_of_one_profession_cannot_open_the_other_even_as_staff_in_the_heads_group(
    client, world
):
    head = world["users"]["head"]
    assert head.is_staff  # appointed heads can use the admin; that is no way in here
    other = make_framework(levels=1, skills=1)[0]

    client.force_login(head)
    response = client.get(url_for(other))

    assert response.status_code == 404


def test_post_is_not_allowed(client, world):
    client.force_login(world["users"]["head"])

    response = client.post(url_for(world["profession"]))

    assert response.status_code == 405


# --- what the page shows -------------------------------------------------------------------
def test_the_page_shows_figures_but_no_personal_data(client, world):
    client.force_login(world["users"]["head"])

    response = client.get(url_for(world["profession"]))

    html = response.content.decode()
    assert response.status_code == 200
    skill_name = world["version"].content["skills"][0]["name"]
    assert skill_name in html
    assert "Skills most often below the expected level" in html
    assert "govuk-table" in html
    assert f"shown as “{SMALL_NUMBER_TEXT}”" in html
    # Six signed off at level 2, none at level 1; every rating of level 2 below expected.
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">6</td>' in html
    assert "100%" in html
    for person in Person.objects.all():
        assert person.name not in html
        assert person.email not in html
        assert person.staff_number not in html
    for text in [
        "discovery",
        "benefits service",
        "A steady year of careful delivery.",
        "Keep mentoring the new starters.",
    ]:
        assert text not in html
    assessment = world["staff"].assessments.get()
    assert reverse("assessments:team_assessment", args=[assessment.pk]) not in html


def test_small_counts_show_as_fewer_than_five_on_the_page(client, world):
    assess(world["version"], AssessmentStatus.IN_REVIEW)
    client.force_login(world["users"]["head"])

    html = client.get(url_for(world["profession"])).content.decode()

    in_review_row = html.split("In review</th>")[1].split("</tr>")[0]
    assert SMALL_NUMBER_TEXT in in_review_row


def test_a_profession_with_nothing_published_still_shows_its_statuses(client, db):
    profession, _ = make_framework(levels=1, skills=1, publish=False)
    head = make_head_of_profession(profession)
    client.force_login(head)

    response = client.get(url_for(profession))

    assert response.status_code == 200
    assert "has no published framework yet" in response.content.decode()


# --- queries -------------------------------------------------------------------------------
# Session and user (2), the profession if headed (1), latest version and its snapshot (2), the
# grouped counts (2), the service navigation's "has reports" check (1), the session's save with
# its savepoint (3). None of them grows with the number of people or assessments.
QUERY_LIMIT = 11


def build(version, how_many):
    statuses = list(AssessmentStatus.values)
    for index in range(how_many):
        status = statuses[index % len(statuses)]
        assess(
            version,
            status,
            level_rank=1 + index % 2,
            self_proficiency=["awareness", "working", "expert"][index % 3],
        )


@pytest.mark.parametrize("how_many", [5, 200])
def test_a_fixed_number_of_queries_whatever_the_data(
    client, db, how_many, django_assert_max_num_queries
):
    profession, version = make_framework(levels=2, skills=4)
    build(version, how_many)
    client.force_login(make_head_of_profession(profession))

    with django_assert_max_num_queries(QUERY_LIMIT):
        response = client.get(url_for(profession))

    assert response.status_code == 200
    assert response.context["insights"].statuses[0].count == (how_many + 4) // 5
