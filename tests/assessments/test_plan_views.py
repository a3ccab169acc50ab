"""The development plan's pages: every cell of the access matrix, the GOV.UK forms and their
messages, overdue actions first, and query counts that do not grow with the plan.

Access (design.md): the person edits their plan; their line manager reads and comments;
managers further up read; other staff, the head of that profession, a departmental head of
profession and a service administrator get 404, and so does an inactive line manager.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import plan_forms, plans
from assessments.models import AssessmentStatus, PlanAction, PlanComment, PlanStatus
from people.models import DepartmentalHead
from roles.models import Skill
from tests.factories import (
    PersonFactory,
    UserFactory,
    level_slug,
    make_assessment_for_review,
    make_head_of_profession,
    publish_with_qualification,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "self",
    "line_manager",
    "further_up",
    "colleague",
    "head",
    "departmental_head",
    "admin",
    "inactive_line_manager",
]
NOBODY_ELSE = dict.fromkeys(ROLES, 404) | {"anonymous": "login"}
# /team/<person>/plan/: read for managers, 404 for everyone else (the person included: their
# own plan has its own page).
TEAM_PLAN = NOBODY_ELSE | {"line_manager": 200, "further_up": 200}
# /your-career/plan/<pk>/...: only the person.
OWN_ACTION = NOBODY_ELSE | {"self": 200}


def today():
    return timezone.localdate()


def in_days(days):
    return today() + datetime.timedelta(days=days)


@pytest.fixture
def skill(version):
    return Skill.objects.get(slug=version.content["skills"][0]["slug"])


@pytest.fixture
def make_action(skill):
    """make_action(person, **fields): an action straight through the ORM (any target date)."""

    def make(person, **fields):
        fields.setdefault("title", "Take the data course")
        fields.setdefault("target_date", in_days(30))
        if fields.get("status") == PlanStatus.DONE:
            fields.setdefault("completed_at", timezone.now())
        return PlanAction.objects.create(
            person=person, skill=skill, skill_name=skill.name, **fields
        )

    return make


@pytest.fixture
def action(make_action, author):
    return make_action(author)


@pytest.fixture
def users(framework, author, manager, director, colleague, admin_user):
    """Whom each role signs in as. The heads have staff records of their own elsewhere, so
    only their headship could give them anything."""
    profession, _version = framework
    head = make_head_of_profession(profession)
    PersonFactory(user=head)
    departmental_head = UserFactory()
    PersonFactory(user=departmental_head, department=author.department)
    DepartmentalHead.objects.create(
        user=departmental_head, profession=profession, department=author.department
    )
    return {
        "anonymous": None,
        "self": author.user,
        "line_manager": manager.user,
        "further_up": director.user,
        "colleague": colleague.user,
        "head": head,
        "departmental_head": departmental_head,
        "admin": admin_user,
        "inactive_line_manager": manager.user,
    }


@pytest.fixture
def as_role(client, users, manager):
    """as_role(role): the test client signed in as that role. The inactive line manager is the
    author's line manager with their staff record marked inactive (a leaver whose account has
    not been closed yet)."""

    def sign_in(role):
        if role == "inactive_line_manager":
            manager.is_active = False
            manager.save(update_fields=["is_active"])
        if users[role] is not None:
            client.force_login(users[role])
        return client

    return sign_in


def assert_answer(response, expected):
    if expected == "login":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/sign-in/?next=")
    else:
        assert response.status_code == expected
        if expected == 200:
            assert "no-store" in response.headers["Cache-Control"]


def html_of(response):
    return response.content.decode()


# --- the access matrix ----------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_team_plan_page(as_role, author, action, role):
    response = as_role(role).get(reverse("assessments:team_plan", args=[author.pk]))

    assert_answer(response, TEAM_PLAN[role])
    if response.status_code == 200:
        assert action.title in html_of(response)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_line_manager_may_comment(as_role, author, action, role):
    url = reverse("assessments:team_plan", args=[author.pk])
    data = {"action": action.pk, f"action-{action.pk}-text": "Talk to Jo about it"}

    response = as_role(role).post(url, data)

    if role == "line_manager":
        assert response.status_code == 302
        assert response.headers["Location"] == f"{url}#action-{action.pk}"
        assert PlanComment.objects.get().text == "Talk to Jo about it"
    else:
        # A manager further up may read the plan, not comment on it.
        assert_answer(response, 403 if role == "further_up" else TEAM_PLAN[role])
        assert not PlanComment.objects.exists()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "name",
    [
        "assessments:plan_action_edit",
        "assessments:plan_action_status",
        "assessments:plan_action_delete",
    ],
)
def test_an_action_page_is_the_persons_only(as_role, action, role, name):
    response = as_role(role).get(reverse(name, args=[action.pk]))

    assert_answer(response, OWN_ACTION[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "assessments:plan_action_edit",
            {
                "title": "Changed",
                "target_day": "1",
                "target_month": "1",
                "target_year": str(datetime.date.today().year + 1),
                "resource": "none",
                "lock_version": "1",
            },
        ),
        ("assessments:plan_action_status", {"status": "done", "lock_version": "1"}),
        ("assessments:plan_action_delete", {"lock_version": "1"}),
    ],
)
def test_only_the_person_changes_an_action(as_role, action, role, name, data):
    response = as_role(role).post(reverse(name, args=[action.pk]), data)

    stored = PlanAction.objects.filter(pk=action.pk).first()
    if role == "self":
        assert response.status_code == 302
        assert stored is None or stored.lock_version == 2
    else:
        assert_answer(response, OWN_ACTION[role])
        assert (stored.title, stored.status, stored.lock_version) == (
            "Take the data course",
            PlanStatus.NOT_STARTED,
            1,
        )


@pytest.mark.parametrize("role", ROLES)
def test_the_plan_page_shows_only_your_own_plan(as_role, action, role):
    response = as_role(role).get(reverse("assessments:plan"))

    if role == "anonymous":
        assert_answer(response, "login")
    elif role == "admin":  # no staff record of their own
        assert response.status_code == 403
        assert "no member of staff has that work email address" in html_of(response)
    elif role == "inactive_line_manager":
        assert response.status_code == 403
        assert "Your staff record is no longer active" in html_of(response)
    else:
        assert_answer(response, 200)
        assert (action.title in html_of(response)) == (role == "self")


@pytest.mark.parametrize("role", ["self", "line_manager", "admin", "inactive_line_manager"])
def test_adding_is_for_people_with_an_active_staff_record(as_role, skill, role):
    url = reverse("assessments:plan_add") + f"?skill={skill.slug}"

    response = as_role(role).get(url)

    assert response.status_code == (200 if role in ("self", "line_manager") else 403)
    assert "no-store" in response.headers["Cache-Control"]


def test_an_inactive_person_has_no_plan(client, author, action):
    author.is_active = False
    author.save(update_fields=["is_active"])
    client.force_login(author.user)

    assert client.get(reverse("assessments:plan")).status_code == 403
    edit = client.get(reverse("assessments:plan_action_edit", args=[action.pk]))
    assert edit.status_code == 404


def test_a_closed_account_is_signed_out(client, manager, author, action):
    manager.user.is_active = False
    manager.user.save(update_fields=["is_active"])
    client.force_login(manager.user)

    response = client.get(reverse("assessments:team_plan", args=[author.pk]))

    assert_answer(response, "login")


# --- forged ids -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "assessments:plan_action_edit",
        "assessments:plan_action_status",
        "assessments:plan_action_delete",
    ],
)
def test_an_action_that_does_not_exist_is_404(author_client, name):
    assert author_client.get(reverse(name, args=[999999])).status_code == 404


def test_a_person_that_does_not_exist_is_404(manager_client):
    url = reverse("assessments:team_plan", args=[999999])

    assert manager_client.get(url).status_code == 404


@pytest.mark.parametrize("forged", ["other", "abc", "", None])
def test_a_comment_on_a_forged_action_id_is_404(
    manager_client, author, colleague, make_action, forged
):
    """The colleague is also the manager's report: their action is not on the author's plan."""
    mine = make_action(author)
    theirs = make_action(colleague)
    action_id = theirs.pk if forged == "other" else forged
    data = {f"action-{theirs.pk}-text": "Hello", f"action-{mine.pk}-text": "Hello"}
    if action_id is not None:
        data["action"] = action_id

    response = manager_client.post(reverse("assessments:team_plan", args=[author.pk]), data)

    assert response.status_code == 404
    assert not PlanComment.objects.exists()


# --- the person's plan ----------------------------------------------------------------------
def test_overdue_actions_come_first_with_a_red_tag(author_client, author, make_action):
    make_action(author, title="Later", target_date=in_days(60))
    make_action(author, title="Finished", target_date=in_days(-20), status=PlanStatus.DONE)
    make_action(author, title="Late", target_date=in_days(-1), status=PlanStatus.IN_PROGRESS)

    html = html_of(author_client.get(reverse("assessments:plan")))

    assert html.index("Late") < html.index("Later") < html.index("Finished")
    assert html.count('<strong class="govuk-tag govuk-tag--red">Overdue</strong>') == 1
    assert "1 action is overdue" in html
    assert "(overdue)" in html  # said in words as well as by the tag


def test_the_plan_shows_comments_and_the_chosen_resource(
    author_client, author, manager, make_action
):
    action = make_action(
        author,
        resource_title="Data course",
        resource_url="https://learning.example.gov.uk/data",
        details="<b>bold</b>",
    )
    PlanComment.objects.create(action=action, author=manager, text="Well chosen\nKeep going")

    html = html_of(author_client.get(reverse("assessments:plan")))

    assert (
        '<a class="govuk-link" href="https://learning.example.gov.uk/data">Data course</a>' in html
    )
    assert "Well chosen<br>Keep going" in html
    assert manager.name in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_an_empty_plan(author_client):
    html = html_of(author_client.get(reverse("assessments:plan")))

    assert "You have no actions in your plan yet." in html
    assert reverse("assessments:plan_add") in html


# --- adding ---------------------------------------------------------------------------------
def add_url(skill, level=""):
    url = reverse("assessments:plan_add") + f"?skill={skill.slug}"
    return f"{url}&level={level}" if level else url


def date_data(day, month, year):
    return {"target_day": str(day), "target_month": str(month), "target_year": str(year)}


def test_add_an_action_for_a_skill(author_client, author, skill):
    target = in_days(40)
    data = {"title": "Shadow an analyst", "details": "Two days", "resource": "none"}

    response = author_client.post(
        add_url(skill), data | date_data(target.day, target.month, target.year)
    )

    action = PlanAction.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == f"{reverse('assessments:plan')}#action-{action.pk}"
    assert (action.person, action.skill, action.target_date) == (author, skill, target)
    followed = author_client.get(reverse("assessments:plan"))
    assert "The action has been added to your development plan" in html_of(followed)


def test_the_form_offers_the_skills_resources_and_none(author_client, skill):
    html = html_of(author_client.get(add_url(skill)))

    resource = skill.resources.get()
    assert resource.title in html
    assert 'value="none" checked' in html
    assert "For example, " in html


@pytest.mark.parametrize(("typed", "month"), [("Mar", 3), ("march", 3), ("Sept", 9), ("sep", 9)])
def test_a_month_may_be_typed_as_a_name(author_client, author, skill, typed, month):
    year = today().year + 1
    data = {"title": "Read a book", "resource": "none"} | date_data(3, typed, year)

    author_client.post(add_url(skill), data)

    assert PlanAction.objects.get().target_date == datetime.date(year, month, 3)


def test_the_qualifications_of_the_level_are_offered(author_client, author, skill, version):
    qualification = publish_with_qualification(
        version,
        rank=2,
        title="Data Analyst apprenticeship",
        awarding_body="BCS",
        url="https://qualifications.example.gov.uk/da",
        summary="",
    )
    level = f"{version.content['profession']['slug']}/{level_slug(version, 2)}"
    key = plans.resource_key(qualification["title"], qualification["url"])

    page = author_client.get(add_url(skill, level))
    target = in_days(100)
    author_client.post(
        add_url(skill, level),
        {"title": "Start the apprenticeship", "resource": key}
        | date_data(target.day, target.month, target.year),
    )

    assert "Qualification awarded by BCS" in html_of(page)
    assert "towards" in html_of(page)
    assert PlanAction.objects.get().resource_title == qualification["title"]


def test_a_forged_level_is_left_out(author_client, skill):
    target = in_days(10)

    response = author_client.post(
        add_url(skill, "no/such"),
        {"title": "Do it", "resource": "none"} | date_data(target.day, target.month, target.year),
    )

    assert response.status_code == 302
    assert PlanAction.objects.count() == 1


def test_without_a_skill_you_choose_one_and_see_your_gaps(author_client, author, version, skill):
    assessment = make_assessment_for_review(
        person=author, version=version, status=AssessmentStatus.SUBMITTED
    )
    # Rated "working" everywhere; one skill expected at "expert" is the gap.
    assessment.ratings.filter(skill=skill).update(expected_proficiency="expert")

    html = html_of(author_client.get(reverse("assessments:plan_add")))

    level = f"{version.content['profession']['slug']}/{assessment.level_slug}"
    assert "Which skill do you want to develop?" in html
    assert f"?skill={skill.slug}&amp;level={level}" in html
    assert html.count("<option") == 1 + len(version.content["skills"])


@pytest.mark.parametrize("slug", ["no-such-skill", ""])
def test_a_forged_skill_shows_the_choice_with_an_error(author_client, slug):
    response = author_client.get(reverse("assessments:plan_add") + f"?skill={slug}")

    html = html_of(response)
    assert response.status_code == 200
    assert "<title>Error: " in html
    expected = plan_forms.SKILL_REQUIRED if slug == "" else plan_forms.SKILL_INVALID
    assert expected in html


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "wrong"),
    [
        ("", "", "", plan_forms.DATE_REQUIRED, ["day", "month", "year"]),
        ("", "4", "2030", "Target date must include a day", ["day"]),
        ("1", "", "2030", "Target date must include a month", ["month"]),
        ("1", "4", "", "Target date must include a year", ["year"]),
        ("", "", "2030", "Target date must include a day and month", ["day", "month"]),
        ("31", "2", "2030", plan_forms.DATE_NOT_REAL, ["day", "month", "year"]),
        ("1", "13", "2030", plan_forms.DATE_NOT_REAL, ["day", "month", "year"]),
        ("x", "4", "2030", plan_forms.DATE_NOT_REAL, ["day", "month", "year"]),
        ("1", "4", "30", plan_forms.YEAR_FOUR_DIGITS, ["year"]),
        ("1", "1", "2001", plans.TARGET_DATE_IN_PAST, ["day", "month", "year"]),
        ("1", "1", "2999", plans.TARGET_DATE_TOO_FAR, ["day", "month", "year"]),
    ],
)
def test_date_errors_in_govuk_words(author_client, skill, day, month, year, message, wrong):
    data = {"title": "Do it", "resource": "none"} | date_data(day, month, year)

    response = author_client.post(add_url(skill), data)

    html = html_of(response)
    assert response.status_code == 200
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Error: " in html
    assert f'<a href="#id_target_{wrong[0]}">{message}</a>' in html
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in html
    assert html.count("govuk-input--error") == len(wrong)
    assert not PlanAction.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": ""}, "title", plan_forms.TITLE_REQUIRED),
        ({"title": "x" * 201}, "title", plan_forms.TITLE_TOO_LONG),
        ({"details": "x" * 2001}, "details", plan_forms.DETAILS_TOO_LONG),
        ({"resource": "forged"}, "resource_0", plan_forms.RESOURCE_REQUIRED),
        ({"resource": ""}, "resource_0", plan_forms.RESOURCE_REQUIRED),
    ],
)
def test_shape_errors_in_govuk_words(author_client, skill, data, field, message):
    target = in_days(5)
    posted = {"title": "Do it", "resource": "none"} | date_data(
        target.day, target.month, target.year
    )

    response = author_client.post(add_url(skill), posted | data)

    html = html_of(response)
    assert f'<a href="#id_{field}">{message}</a>' in html
    assert not PlanAction.objects.exists()


# --- changing, status, deleting --------------------------------------------------------------
def edit_data(action, **changes):
    target = action.target_date
    data = {
        "title": action.title,
        "details": action.details,
        "resource": "none",
        "lock_version": str(action.lock_version),
    } | date_data(target.day, target.month, target.year)
    return data | changes


def test_the_edit_form_shows_what_is_saved(author_client, action):
    html = html_of(author_client.get(reverse("assessments:plan_action_edit", args=[action.pk])))

    assert f'value="{action.title}"' in html
    assert (
        f'name="target_day" type="text" inputmode="numeric" value="{action.target_date.day}"'
        in html
    )
    assert 'name="lock_version" value="1"' in html


def test_an_overdue_action_can_be_changed_without_moving_its_date(
    author_client, author, make_action
):
    overdue = make_action(author, target_date=in_days(-3))

    response = author_client.post(
        reverse("assessments:plan_action_edit", args=[overdue.pk]),
        edit_data(overdue, details="Booked for next week"),
    )

    assert response.status_code == 302
    assert PlanAction.objects.get(pk=overdue.pk).details == "Booked for next week"


def test_a_stale_edit_keeps_what_was_typed_and_says_why(author_client, author, action):
    url = reverse("assessments:plan_action_edit", args=[action.pk])
    plans.plan_action_set_status(
        action=action, by=author, status=PlanStatus.IN_PROGRESS, lock_version=1
    )

    response = author_client.post(
        url, edit_data(action, title="Typed in an old tab", lock_version="1")
    )

    html = html_of(response)
    assert response.status_code == 200
    assert plans.STALE_PLAN_EDIT in html
    assert 'value="Typed in an old tab"' in html
    assert 'name="lock_version" value="2"' in html
    assert "What is saved now" in html
    assert PlanAction.objects.get(pk=action.pk).title == "Take the data course"

    again = author_client.post(
        url, edit_data(action, title="Typed in an old tab", lock_version="2")
    )
    assert again.status_code == 302
    assert PlanAction.objects.get(pk=action.pk).title == "Typed in an old tab"


def test_change_the_status(author_client, action):
    url = reverse("assessments:plan_action_status", args=[action.pk])
    page = html_of(author_client.get(url))

    response = author_client.post(url, {"status": "done", "lock_version": "1"})

    assert '<h1 class="govuk-fieldset__heading">What is the status of this action?</h1>' in page
    assert response.status_code == 302
    stored = PlanAction.objects.get(pk=action.pk)
    assert stored.status == PlanStatus.DONE
    assert stored.completed_at is not None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "finished", "lock_version": "1"}, plan_forms.STATUS_REQUIRED),
        ({"lock_version": "1"}, plan_forms.STATUS_REQUIRED),
        ({"status": "done", "lock_version": "9"}, plans.STALE_PLAN_EDIT),
    ],
)
def test_a_refused_status_change_says_why(author_client, action, data, message):
    response = author_client.post(reverse("assessments:plan_action_status", args=[action.pk]), data)

    assert response.status_code == 200
    assert message in html_of(response)
    assert PlanAction.objects.get(pk=action.pk).status == PlanStatus.NOT_STARTED


def test_delete_asks_first(author_client, action, manager):
    PlanComment.objects.create(action=action, author=manager, text="Hmm")
    url = reverse("assessments:plan_action_delete", args=[action.pk])

    page = html_of(author_client.get(url))
    assert "Are you sure you want to delete this action?" in page
    assert "with the comment your line manager made on it" in page
    assert PlanAction.objects.exists()

    response = author_client.post(url, {"lock_version": "1"})
    assert response.headers["Location"] == reverse("assessments:plan")
    assert not PlanAction.objects.exists()


def test_a_stale_delete_deletes_nothing(author_client, action):
    url = reverse("assessments:plan_action_delete", args=[action.pk])

    response = author_client.post(url, {"lock_version": "5"}, follow=True)

    assert plans.STALE_PLAN_EDIT in html_of(response)
    assert PlanAction.objects.exists()


# --- the manager's side ---------------------------------------------------------------------
def test_the_line_manager_sees_an_error_for_an_empty_comment(manager_client, author, action):
    url = reverse("assessments:team_plan", args=[author.pk])

    response = manager_client.post(url, {"action": action.pk, f"action-{action.pk}-text": " "})

    html = html_of(response)
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert f'<a href="#id_action-{action.pk}-text">{plan_forms.COMMENT_REQUIRED}</a>' in html
    assert not PlanComment.objects.exists()


def test_a_too_long_comment_is_refused_with_a_message(manager_client, author, action):
    url = reverse("assessments:team_plan", args=[author.pk])

    response = manager_client.post(
        url, {"action": action.pk, f"action-{action.pk}-text": "x" * 2001}
    )

    assert plan_forms.COMMENT_TOO_LONG in html_of(response)
    assert not PlanComment.objects.exists()


def test_managers_further_up_read_without_a_comment_form(client, director, author, action):
    client.force_login(director.user)

    html = html_of(client.get(reverse("assessments:team_plan", args=[author.pk])))

    assert action.title in html
    assert "Only " in html
    assert "Add comment" not in html


def test_the_review_page_shows_the_plan_beside_the_review(
    manager_client, author, assessment, make_action
):
    make_action(author, title="Overdue thing", target_date=in_days(-2))

    html = html_of(manager_client.get(reverse("assessments:review", args=[assessment.pk])))

    summary = html[html.index('class="app-plan-summary"') :]
    assert "Overdue thing" in summary
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in summary
    assert reverse("assessments:team_plan", args=[author.pk]) in summary
    assert "Read and comment on the plan" in summary


@pytest.mark.parametrize(("role", "shown"), [("further_up", True), ("admin", False)])
def test_the_read_only_review_shows_the_plan_to_those_who_may_read_it(
    as_role, assessment, action, role, shown
):
    """A service administrator may read the assessment, never the plan."""
    response = as_role(role).get(reverse("assessments:team_assessment", args=[assessment.pk]))

    assert response.status_code == 200
    assert ("app-plan-summary" in html_of(response)) == shown
    assert (action.title in html_of(response)) == shown


# --- query counts ---------------------------------------------------------------------------
def fill_plan(make_action, person, commenter, actions, comments):
    for number in range(actions):
        action = make_action(person, title=f"Action {number}", target_date=in_days(number - 5))
        for _ in range(comments):
            PlanComment.objects.create(action=action, author=commenter, text="A comment")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["self", "line_manager", "further_up"])
def test_plan_pages_run_the_same_queries_however_long_the_plan(
    as_role, author, manager, make_action, who
):
    client = as_role(who)
    url = (
        reverse("assessments:plan")
        if who == "self"
        else reverse("assessments:team_plan", args=[author.pk])
    )
    fill_plan(make_action, author, manager, actions=1, comments=1)
    small = count_queries(client, url)

    fill_plan(make_action, author, manager, actions=40, comments=3)
    large = count_queries(client, url)

    # Session, user, staff record, navigation and the session's save, then the plan: the
    # person (on the team page), the actions and their comments.
    assert large == small <= 10
    assert html_of(client.get(url)).count('class="govuk-summary-card"') == 41


def test_the_review_page_runs_the_same_queries_however_long_the_plan(
    manager_client, author, manager, assessment, make_action
):
    url = reverse("assessments:review", args=[assessment.pk])
    count_queries(manager_client, url)  # the framework snapshot is read once, then kept
    small = count_queries(manager_client, url)

    fill_plan(make_action, author, manager, actions=40, comments=2)

    assert count_queries(manager_client, url) == small


def test_the_edit_page_runs_a_fixed_number_of_queries(author_client, action):
    url = reverse("assessments:plan_action_edit", args=[action.pk])

    assert count_queries(author_client, url) <= 11
