"""The development plan's writes (assessments.plans): every rule, and forged input changing
nothing. Time is frozen by passing `today`; the people and framework are conftest.py's."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, transaction

from assessments import plans
from assessments.models import PlanAction, PlanComment, PlanStatus
from people import subject_access
from roles.models import LearningResource
from roles.services import framework_publish
from tests.factories import (
    PersonFactory,
    SkillFactory,
    level_slug,
    make_framework,
    publish_with_qualification,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
NEXT_MONTH = datetime.date(2026, 4, 2)
# A value too long for its column is refused by the database: by a check constraint, or on
# PostgreSQL by the column's own length first.
TOO_LONG = (IntegrityError, DataError)


@pytest.fixture
def skill_slug(version):
    return version.content["skills"][0]["slug"]


@pytest.fixture
def skill_name(version):
    return version.content["skills"][0]["name"]


@pytest.fixture
def add(author, skill_slug):
    """add(**changes): an action added to the author's plan through the service."""

    def make(**changes):
        values = {
            "person": author,
            "skill_slug": skill_slug,
            "title": "Take the data course",
            "details": "Finish all modules",
            "resource": "",
            "target_date": NEXT_MONTH,
            "today": TODAY,
        }
        values.update(changes)
        return plans.plan_action_add(**values)

    return make


@pytest.fixture
def action(add):
    return add()


def stored(action):
    return PlanAction.objects.get(pk=action.pk)


def messages_of(error):
    return error.value.messages


# --- adding ---------------------------------------------------------------------------------
def test_add_copies_the_skill_name_and_starts_not_started(add, author, skill_name):
    action = add()

    assert action.person == author
    assert action.skill_name == skill_name
    assert action.status == PlanStatus.NOT_STARTED
    assert action.completed_at is None
    assert action.lock_version == 1
    assert (action.resource_title, action.resource_url) == ("", "")


def test_add_copies_the_chosen_learning_resource(add, skill_slug):
    skill = plans.published_skill(skill_slug)
    [option] = plans.resource_options(skill)

    action = add(resource=option.key)

    resource = skill.resources[0]
    assert (action.resource_title, action.resource_url) == (resource["title"], resource["url"])


def test_a_resource_stays_as_copied_when_the_framework_changes(add, skill_slug):
    [option] = plans.resource_options(plans.published_skill(skill_slug))
    action = add(resource=option.key)

    LearningResource.objects.filter(skill__slug=skill_slug).update(
        title="Renamed", url="https://renamed.example.gov.uk/"
    )

    assert (stored(action).resource_title, stored(action).resource_url) == (
        option.title,
        option.url,
    )


QUALIFICATION = {
    "title": "Level 4 Data Analyst apprenticeship",
    "awarding_body": "BCS",
    "url": "https://qualifications.example.gov.uk/data-analyst",
    "summary": "An apprenticeship.",
}


@pytest.fixture
def levels_have_qualifications(version):
    """The second level of the framework offers QUALIFICATION, published."""
    publish_with_qualification(version, rank=2, **QUALIFICATION)


def test_add_copies_a_qualification_of_the_level_given(
    add, version, skill_slug, levels_have_qualifications
):
    level = f"{version.content['profession']['slug']}/{level_slug(version, 2)}"
    _framework, level_view = plans.published_level(level)
    options = plans.resource_options(plans.published_skill(skill_slug), level_view)
    qualification = next(option for option in options if option.title == QUALIFICATION["title"])
    assert qualification.hint == "Qualification awarded by BCS"

    action = add(resource=qualification.key, level=level)

    assert action.resource_title == QUALIFICATION["title"]
    assert action.resource_url == QUALIFICATION["url"]


def test_a_qualification_needs_its_level(add, skill_slug, levels_have_qualifications):
    key = plans.resource_key(QUALIFICATION["title"], QUALIFICATION["url"])

    with pytest.raises(ValidationError) as refused:
        add(resource=key)

    assert messages_of(refused) == [plans.RESOURCE_NOT_OFFERED]
    assert not PlanAction.objects.exists()


@pytest.mark.parametrize("slug", ["no-such-skill", "", "../skill-0", "skill-0' OR 1=1"])
def test_a_forged_skill_slug_is_refused(add, slug):
    with pytest.raises(ValidationError) as refused:
        add(skill_slug=slug)

    assert messages_of(refused) == [plans.SKILL_NOT_PUBLISHED]
    assert not PlanAction.objects.exists()


def test_a_skill_in_no_published_framework_is_refused(add):
    """A skill of a working copy never published: it is in the database, not in a version."""
    skill = SkillFactory(name="Only in a draft")

    with pytest.raises(ValidationError) as refused:
        add(skill_slug=skill.slug)

    assert messages_of(refused) == [plans.SKILL_NOT_PUBLISHED]
    assert not PlanAction.objects.exists()


def test_a_skill_of_another_profession_may_be_planned(add):
    """Any published framework's skill: people plan for moves, not only their own level."""
    other = make_framework(levels=1, skills=1)[1]
    slug = other.content["skills"][0]["slug"]

    action = add(skill_slug=slug)

    assert action.skill.slug == slug


@pytest.mark.parametrize("resource", ["forged", "0" * 16, "https://evil.example/"])
def test_a_forged_resource_is_refused(add, resource):
    with pytest.raises(ValidationError) as refused:
        add(resource=resource)

    assert messages_of(refused) == [plans.RESOURCE_NOT_OFFERED]
    assert not PlanAction.objects.exists()


def test_a_resource_of_another_skill_is_refused(add, version):
    other_slug = version.content["skills"][1]["slug"]
    [other_option] = plans.resource_options(plans.published_skill(other_slug))

    with pytest.raises(ValidationError) as refused:
        add(resource=other_option.key)

    assert messages_of(refused) == [plans.RESOURCE_NOT_OFFERED]


@pytest.mark.parametrize("level", ["nope/nope", "no-slash", "/"])
def test_a_forged_level_is_refused(add, level):
    with pytest.raises(ValidationError) as refused:
        add(level=level)

    assert messages_of(refused) == [plans.NO_SUCH_LEVEL]
    assert not PlanAction.objects.exists()


@pytest.mark.parametrize(
    ("target_date", "message"),
    [
        (datetime.date(2026, 3, 1), plans.TARGET_DATE_IN_PAST),
        (datetime.date(1999, 1, 1), plans.TARGET_DATE_IN_PAST),
        (datetime.date(2031, 3, 3), plans.TARGET_DATE_TOO_FAR),
        (datetime.date(9999, 12, 31), plans.TARGET_DATE_TOO_FAR),
    ],
)
def test_a_past_or_absurd_target_date_is_refused(add, target_date, message):
    with pytest.raises(ValidationError) as refused:
        add(target_date=target_date)

    assert messages_of(refused) == [message]
    assert refused.value.error_list[0].code == plans.TARGET_DATE
    assert not PlanAction.objects.exists()


@pytest.mark.parametrize("target_date", [TODAY, datetime.date(2031, 3, 2)])
def test_today_and_five_years_ahead_are_allowed(add, target_date):
    assert add(target_date=target_date).target_date == target_date


def test_five_years_from_29_february_is_28_february():
    assert plans.latest_target_date(datetime.date(2028, 2, 29)) == datetime.date(2033, 2, 28)


def test_every_rule_broken_at_once_is_reported_together(add):
    with pytest.raises(ValidationError) as refused:
        add(resource="forged", target_date=datetime.date(2020, 1, 1))

    assert set(messages_of(refused)) == {plans.TARGET_DATE_IN_PAST, plans.RESOURCE_NOT_OFFERED}


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "x" * 201},
        {"title": ""},
        {"details": "x" * 2001},
    ],
)
def test_forged_text_is_refused_by_the_database(add, changes):
    """The form refuses these with a message (test_plan_views.py); sent straight to the
    service, the database refuses them and nothing is written."""
    with pytest.raises(TOO_LONG), transaction.atomic():
        add(**changes)

    assert not PlanAction.objects.exists()


def test_windows_line_endings_count_once(add):
    action = add(details="line one\r\nline two")

    assert stored(action).details == "line one\nline two"


def test_an_inactive_person_cannot_add(add, author):
    author.is_active = False
    author.save(update_fields=["is_active"])

    with pytest.raises(PermissionDenied) as refused:
        add()

    assert str(refused.value) == plans.NOT_ACTIVE
    assert not PlanAction.objects.exists()


# --- changing -------------------------------------------------------------------------------
def update(action, by, **changes):
    values = {
        "action": action,
        "by": by,
        "title": "Run a data project",
        "details": "",
        "resource": "",
        "target_date": datetime.date(2026, 6, 1),
        "lock_version": action.lock_version,
        "today": TODAY,
    }
    values.update(changes)
    return plans.plan_action_update(**values)


def test_the_owner_changes_an_action(action, author):
    update(action, author)

    saved = stored(action)
    assert saved.title == "Run a data project"
    assert saved.target_date == datetime.date(2026, 6, 1)
    assert saved.lock_version == 2
    assert action.lock_version == 2  # the caller's instance is brought up to date


@pytest.mark.parametrize("who", ["manager", "director", "colleague"])
def test_nobody_else_changes_an_action(action, request, who):
    by = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied) as refused:
        update(action, by)

    assert str(refused.value) == plans.NOT_YOUR_PLAN
    assert stored(action).title == "Take the data course"
    assert stored(action).lock_version == 1


def test_nobody_at_all_changes_an_action(action):
    with pytest.raises(PermissionDenied):
        update(action, None)


def test_an_inactive_owner_changes_nothing(action, author):
    author.is_active = False
    author.save(update_fields=["is_active"])

    with pytest.raises(PermissionDenied) as refused:
        update(action, author)

    assert str(refused.value) == plans.NOT_ACTIVE
    assert stored(action).lock_version == 1


@pytest.mark.parametrize("lock_version", [0, 2, "", None, "one"])
def test_a_stale_or_missing_lock_changes_nothing(action, author, lock_version):
    with pytest.raises(plans.StalePlanEdit) as refused:
        update(action, author, lock_version=lock_version)

    assert messages_of(refused) == [plans.STALE_PLAN_EDIT]
    assert stored(action).title == "Take the data course"


def test_an_edit_from_a_page_drawn_before_another_change_is_refused(action, author):
    first_tab = PlanAction.objects.get(pk=action.pk)
    update(action, author, title="Changed in another tab")

    with pytest.raises(plans.StalePlanEdit):
        update(first_tab, author, title="Changed in the first tab")

    assert stored(action).title == "Changed in another tab"


def test_a_passed_target_date_may_be_kept_but_not_chosen(action, author):
    """An overdue action can still be changed (its details, say) without moving its date;
    moving it to another past date is refused."""
    later = datetime.date(2026, 5, 1)

    update(action, author, target_date=NEXT_MONTH, today=later)  # unchanged, now passed
    assert stored(action).lock_version == 2

    with pytest.raises(ValidationError) as refused:
        update(action, author, target_date=datetime.date(2026, 4, 3), today=later)
    assert messages_of(refused) == [plans.TARGET_DATE_IN_PAST]
    assert stored(action).target_date == NEXT_MONTH


def test_a_changed_target_date_may_not_be_absurd(action, author):
    with pytest.raises(ValidationError) as refused:
        update(action, author, target_date=datetime.date(2040, 1, 1))

    assert messages_of(refused) == [plans.TARGET_DATE_TOO_FAR]
    assert stored(action).lock_version == 1


def test_the_resource_chosen_is_kept_after_the_framework_drops_it(
    add, author, framework, skill_slug
):
    [option] = plans.resource_options(plans.published_skill(skill_slug))
    action = add(resource=option.key)
    profession, _version = framework

    LearningResource.objects.filter(skill__slug=skill_slug).delete()
    framework_publish(profession=profession, by=None, change_note="Resource dropped")
    options = plans.update_options(stored(action))
    assert [(o.title, o.hint) for o in options] == [(option.title, "Your current choice")]

    update(action, author, resource=option.key)

    assert stored(action).resource_title == option.title


def test_a_forged_resource_is_refused_on_update(action, author):
    with pytest.raises(ValidationError) as refused:
        update(action, author, resource="forged")

    assert messages_of(refused) == [plans.RESOURCE_NOT_OFFERED]
    assert stored(action).lock_version == 1


@pytest.mark.parametrize("changes", [{"title": "x" * 201}, {"details": "x" * 2001}])
def test_forged_text_on_update_is_refused_by_the_database(action, author, changes):
    with pytest.raises(TOO_LONG), transaction.atomic():
        update(action, author, **changes)

    assert stored(action).title == "Take the data course"
    assert stored(action).lock_version == 1


# --- status ---------------------------------------------------------------------------------
def set_status(action, by, status, lock_version=None):
    return plans.plan_action_set_status(
        action=action,
        by=by,
        status=status,
        lock_version=action.lock_version if lock_version is None else lock_version,
    )


def test_done_records_when_and_going_back_clears_it(action, author):
    set_status(action, author, PlanStatus.DONE)
    done = stored(action)
    assert done.status == PlanStatus.DONE
    assert done.completed_at is not None

    set_status(action, author, PlanStatus.DONE)  # done again keeps the first time
    assert stored(action).completed_at == done.completed_at

    set_status(action, author, PlanStatus.IN_PROGRESS)
    assert stored(action).status == PlanStatus.IN_PROGRESS
    assert stored(action).completed_at is None
    assert stored(action).lock_version == 4


@pytest.mark.parametrize("status", ["finished", "", "DONE"])
def test_a_forged_status_is_refused_by_the_database(action, author, status):
    with pytest.raises(IntegrityError), transaction.atomic():
        set_status(action, author, status)

    assert stored(action).status == PlanStatus.NOT_STARTED


@pytest.mark.parametrize("who", ["manager", "director", "colleague"])
def test_only_the_owner_changes_the_status(action, request, who):
    with pytest.raises(PermissionDenied):
        set_status(action, request.getfixturevalue(who), PlanStatus.DONE)

    assert stored(action).status == PlanStatus.NOT_STARTED


def test_a_stale_status_change_is_refused(action, author):
    with pytest.raises(plans.StalePlanEdit):
        set_status(action, author, PlanStatus.DONE, lock_version=7)

    assert stored(action).status == PlanStatus.NOT_STARTED


# --- deleting -------------------------------------------------------------------------------
def test_the_owner_deletes_an_action_with_its_comments(action, author, manager):
    plans.plan_comment_add(action=action, by=manager, text="Good idea")

    plans.plan_action_delete(action=action, by=author, lock_version=1)

    assert not PlanAction.objects.exists()
    assert not PlanComment.objects.exists()


@pytest.mark.parametrize("who", ["manager", "director", "colleague"])
def test_only_the_owner_deletes(action, request, who):
    with pytest.raises(PermissionDenied):
        plans.plan_action_delete(action=action, by=request.getfixturevalue(who), lock_version=1)

    assert PlanAction.objects.filter(pk=action.pk).exists()


@pytest.mark.parametrize("lock_version", [2, None, "x"])
def test_a_stale_delete_is_refused(action, author, lock_version):
    with pytest.raises(plans.StalePlanEdit):
        plans.plan_action_delete(action=action, by=author, lock_version=lock_version)

    assert PlanAction.objects.filter(pk=action.pk).exists()


def test_a_change_to_an_action_already_deleted_is_refused(action, author):
    PlanAction.objects.filter(pk=action.pk).delete()

    with pytest.raises(ValidationError) as refused:
        update(action, author)

    assert messages_of(refused) == [plans.ACTION_GONE]


# --- comments -------------------------------------------------------------------------------
def test_the_line_manager_comments(action, manager):
    comment = plans.plan_comment_add(action=action, by=manager, text="Ask Jo\r\nabout it")

    assert comment.author == manager
    assert PlanComment.objects.get().text == "Ask Jo\nabout it"
    assert stored(action).lock_version == 1  # a comment never makes the owner's page stale


@pytest.mark.parametrize("who", ["author", "director", "colleague"])
def test_only_the_line_manager_comments(action, request, who):
    with pytest.raises(PermissionDenied) as refused:
        plans.plan_comment_add(action=action, by=request.getfixturevalue(who), text="Hello")

    assert str(refused.value) == plans.ONLY_LINE_MANAGER_COMMENTS
    assert not PlanComment.objects.exists()


def test_nobody_comments_without_a_staff_record(action):
    with pytest.raises(PermissionDenied):
        plans.plan_comment_add(action=action, by=None, text="Hello")


def test_an_inactive_line_manager_cannot_comment(action, manager):
    manager.is_active = False
    manager.save(update_fields=["is_active"])

    with pytest.raises(PermissionDenied):
        plans.plan_comment_add(action=action, by=manager, text="Hello")

    assert not PlanComment.objects.exists()


def test_a_former_line_manager_cannot_comment(action, author, manager):
    author.line_manager = PersonFactory()
    author.save(update_fields=["line_manager"])

    with pytest.raises(PermissionDenied):
        plans.plan_comment_add(action=action, by=manager, text="Hello")


@pytest.mark.parametrize("text", ["", "x" * 2001])
def test_forged_comments_are_refused_by_the_database(action, manager, text):
    with pytest.raises(IntegrityError), transaction.atomic():
        plans.plan_comment_add(action=action, by=manager, text=text)

    assert not PlanComment.objects.exists()


# --- invariants the database holds ----------------------------------------------------------
@pytest.mark.parametrize(
    "fields",
    [
        {"status": PlanStatus.DONE, "completed_at": None},
        {
            "status": PlanStatus.IN_PROGRESS,
            "completed_at": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        },
        {"resource_title": "", "resource_url": "https://example.gov.uk/"},
        {"resource_title": "A link", "resource_url": "javascript:alert(1)"},
        {"skill_name": ""},
        {"lock_version": 0},
    ],
)
def test_the_database_refuses_a_broken_action(action, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanAction.objects.filter(pk=action.pk).update(**fields)


# --- reading --------------------------------------------------------------------------------
def test_plan_order_puts_overdue_first_and_done_last(add, author):
    add(title="Later", target_date=datetime.date(2026, 9, 1))
    add(title="Soon", target_date=datetime.date(2026, 3, 10))
    overdue = add(title="Overdue", target_date=datetime.date(2026, 3, 5))
    done_late = add(title="Done late", target_date=datetime.date(2026, 3, 3))
    set_status(done_late, author, PlanStatus.DONE)
    a_week_on = datetime.date(2026, 3, 9)

    ordered = list(PlanAction.objects.filter(person=author).in_plan_order(a_week_on))

    assert [a.title for a in ordered] == ["Overdue", "Soon", "Later", "Done late"]
    assert [a.is_overdue for a in ordered] == [True, False, False, False]
    assert set(PlanAction.objects.overdue(a_week_on)) == {overdue}


def test_published_skills_lists_each_skill_once_by_name(version):
    make_framework(levels=1, skills=1)

    names = [name for _slug, name in plans.published_skills()]

    assert names == sorted(names, key=str.lower)
    assert len(names) == len(set(names)) == 4


# --- subject access -------------------------------------------------------------------------
def test_the_plan_is_ready_for_a_subject_access_export(
    action, author, manager, django_assert_num_queries, monkeypatch
):
    """The section is not registered yet (assessments' AppConfig.ready() does not import it):
    registering it here goes into a copy of the registry, so other tests see the export as
    it is."""
    monkeypatch.setattr(subject_access, "SECTIONS", dict(subject_access.SECTIONS))
    from assessments.plan_subject_access import development_plan_held

    plans.plan_comment_add(action=action, by=manager, text="Good idea")
    plans.plan_action_set_status(action=action, by=author, status=PlanStatus.DONE, lock_version=1)

    with django_assert_num_queries(2):
        [exported] = development_plan_held(author)

    assert exported["title"] == "Take the data course"
    assert exported["target_date"] == NEXT_MONTH.isoformat()
    assert exported["status"] == "done"
    assert exported["completed_at"]
    assert exported["comments"][0]["text"] == "Good idea"
    assert exported["comments"][0]["by"]["staff_number"] == manager.staff_number
