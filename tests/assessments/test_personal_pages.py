"""A signed-in person's kept pages (assessments.personal_pages, assessments.page_data): served
again to the same session while nothing they show has changed, and made afresh as soon as
anything has, however it was written."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import (
    AssessmentEvent,
    AssessmentStatus,
    PlanAction,
    Rating,
    SelfAssessment,
)
from assessments.page_data import read_tokens
from people.models import Person
from tests.factories import PersonFactory, make_assessment_for_review

pytestmark = pytest.mark.django_db

MY_ASSESSMENTS = reverse("assessments:assessment_list")
QUEUE = reverse("assessments:review_queue")


def visit(client, url):
    """(the page's HTML, whether its view ran: it reads self-assessments)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    made = any("assessments_selfassessment" in query["sql"] for query in queries)
    return response.content.decode(), made


def keep(client, url):
    """Make the page and keep it. The first page after signing in sets the CSRF cookie (a
    response that sets a new cookie is never kept); a browser sends it from then on."""
    visit(client, url)
    html, made = visit(client, url)
    assert made
    return html


@pytest.fixture
def kept(author_client, assessment):
    """The author's "Your assessments", made and kept."""
    return keep(author_client, MY_ASSESSMENTS)


def test_a_kept_page_is_served_again_with_two_reads_and_no_view(author_client, kept):
    with CaptureQueriesContext(connection) as queries:
        response = author_client.get(MY_ASSESSMENTS)

    assert response.content.decode() == kept
    # The session (from the database here; from Redis in production) and the two tokens.
    assert len(queries) <= 2
    assert all("assessments_selfassessment" not in q["sql"] for q in queries)
    assert response["Cache-Control"].startswith("max-age=0")
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response


def level_renamed(assessment):
    SelfAssessment.objects.filter(pk=assessment.pk).update(level_name="Renamed level")


def rating_changed(assessment):
    Rating.objects.filter(assessment=assessment).update(evidence="Changed evidence")


def event_added(assessment):
    AssessmentEvent.objects.create(assessment=assessment, kind="submitted", at=timezone.now())


def plan_action_added(assessment):
    rating = assessment.ratings.select_related("skill").first()
    PlanAction.objects.create(
        person=assessment.person,
        skill=rating.skill,
        skill_name=rating.skill_name,
        title="Shadow a colleague",
        target_date=dt.date(2027, 1, 1),
    )


def assessment_deleted(assessment):
    Rating.objects.filter(assessment=assessment).delete()
    SelfAssessment.objects.filter(pk=assessment.pk).delete()


def author_renamed(assessment):
    Person.objects.filter(pk=assessment.person_id).update(name="Sam Renamed")


def password_changed(assessment):
    user = assessment.person.user
    user.set_password("a new password for the test")
    user.save(update_fields=["password"])


@pytest.mark.parametrize(
    "write",
    [
        level_renamed,
        rating_changed,
        event_added,
        plan_action_added,
        assessment_deleted,
        author_renamed,
    ],
)
def test_any_write_to_what_the_page_shows_makes_it_afresh(author_client, assessment, kept, write):
    write(assessment)

    _html, made = visit(author_client, MY_ASSESSMENTS)

    assert made


def test_the_page_made_afresh_shows_the_change(author_client, assessment, kept):
    level_renamed(assessment)

    html, _made = visit(author_client, MY_ASSESSMENTS)

    assert "Renamed level" in html
    assert "Renamed level" not in kept


def test_a_change_to_a_report_s_assessment_reaches_every_manager_above(
    client, manager, director, assessment
):
    managers = {}
    for person in (manager, director):
        signed_in = Client()
        signed_in.force_login(person.user)
        keep(signed_in, QUEUE)
        managers[person.pk] = signed_in
    assert visit(managers[manager.pk], QUEUE)[1] is False  # kept

    level_renamed(assessment)

    for signed_in in managers.values():
        html, made = visit(signed_in, QUEUE)
        assert made
        assert "Renamed level" in html


def test_someone_else_s_writes_leave_a_page_kept(author_client, colleague, version, kept):
    make_assessment_for_review(person=colleague, version=version)  # not in the author's line

    assert visit(author_client, MY_ASSESSMENTS)[1] is False


def test_signing_in_again_does_not_change_the_people_directory(author, assessment):
    before = read_tokens(author.user_id)
    user = author.user
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])

    assert read_tokens(author.user_id) == before
    password_changed(assessment)
    assert read_tokens(author.user_id)[0] != before[0]


def test_one_statement_changing_two_people_s_ratings_changes_both_tokens(
    author, colleague, version
):
    mine = make_assessment_for_review(person=author, version=version)
    theirs = make_assessment_for_review(person=colleague, version=version)
    before = {person.pk: read_tokens(person.user_id)[1] for person in (author, colleague)}

    Rating.objects.filter(assessment__in=[mine, theirs]).update(evidence="Both at once")

    for person in (author, colleague):
        assert read_tokens(person.user_id)[1] != before[person.pk]


def test_a_page_is_kept_for_its_own_session_only(author, colleague, assessment, kept):
    again = Client()
    again.force_login(author.user)
    html, made = visit(again, MY_ASSESSMENTS)
    assert made  # another session (another CSRF secret): its own page
    assert "Sam Staff" in html or "Your assessments" in html

    other = Client()
    other.force_login(colleague.user)
    response = other.get(reverse("assessments:assessment_task_list", args=[assessment.pk]))
    assert response.status_code == 404


def test_a_signed_out_session_gets_nothing_kept(author_client, kept):
    cookie = author_client.cookies["sessionid"].value
    author_client.post(reverse("logout"))

    stale = Client()
    stale.cookies["sessionid"] = cookie
    stale.cookies["csrftoken"] = author_client.cookies["csrftoken"].value
    response = stale.get(MY_ASSESSMENTS)

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_message_is_shown_once_and_the_page_after_it_is_kept_without_it(
    author_client, version, author
):
    draft = make_assessment_for_review(person=author, version=version, status="draft")
    task_list = reverse("assessments:assessment_task_list", args=[draft.pk])
    keep(author_client, task_list)
    rating = draft.ratings.order_by("position").first()

    response = author_client.post(
        reverse("assessments:assessment_skill", args=[draft.pk, rating.pk]),
        {
            "self_proficiency": "practitioner",
            "evidence": "What I did",
            "lock_version": draft.lock_version,
            "action": "later",
        },
        follow=True,
    )
    assert "Your answers have been saved" in response.content.decode()

    html, _made = visit(author_client, task_list)
    assert "Your answers have been saved" not in html
    html, made = visit(author_client, task_list)
    assert not made
    assert "Your answers have been saved" not in html


def test_becoming_staff_makes_the_page_again_with_the_admin_link(author_client, author, kept):
    assert 'href="/admin/"' not in kept
    get_user_model().objects.filter(pk=author.user_id).update(is_staff=True)

    html, made = visit(author_client, MY_ASSESSMENTS)

    assert made
    assert 'href="/admin/"' in html


def test_when_the_session_is_due_a_refresh_the_request_goes_through_and_saves_it(
    author_client, kept, settings
):
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=90), tick=False):
        response = author_client.get(MY_ASSESSMENTS)

    assert "sessionid" in response.cookies  # the expiry moved on


def test_a_kept_page_never_outlives_personal_page_seconds(author_client, kept, settings):
    settings.SESSION_REFRESH_SECONDS = 3600

    with time_machine.travel(timezone.now() + dt.timedelta(seconds=30), tick=False):
        assert visit(author_client, MY_ASSESSMENTS)[1] is False
    with time_machine.travel(
        timezone.now() + dt.timedelta(seconds=settings.PERSONAL_PAGE_SECONDS + 1), tick=False
    ):
        assert visit(author_client, MY_ASSESSMENTS)[1]


def test_the_review_queue_is_kept_only_until_a_wait_reaches_another_day(
    manager_client, author, version, settings
):
    settings.SESSION_REFRESH_SECONDS = 3600
    settings.PERSONAL_PAGE_SECONDS = 3600
    submitted = timezone.now() - dt.timedelta(hours=23, minutes=58)
    make_assessment_for_review(person=author, version=version, submitted_at=submitted)

    html = keep(manager_client, QUEUE)
    assert "Less than a day" in html
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=1), tick=False):
        assert visit(manager_client, QUEUE)[1] is False
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=3), tick=False):
        html, made = visit(manager_client, QUEUE)
    assert made
    assert "1 day" in html


@pytest.mark.parametrize("settings_off", ["PERSONAL_PAGES_IN_MEMORY"])
def test_none_kept_when_turned_off(author_client, assessment, settings, settings_off):
    setattr(settings, settings_off, 0)
    visit(author_client, MY_ASSESSMENTS)
    visit(author_client, MY_ASSESSMENTS)

    assert visit(author_client, MY_ASSESSMENTS)[1]


def test_a_session_that_does_not_exist_is_sent_to_sign_in():
    forged = Client()
    forged.cookies["sessionid"] = "x" * 32
    forged.cookies["csrftoken"] = "a" * 32

    response = forged.get(MY_ASSESSMENTS)

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_review_page_is_kept_and_made_afresh_after_a_review_is_saved(
    manager_client, assessment
):
    url = reverse("assessments:review", args=[assessment.pk])
    before = keep(manager_client, url)
    assert visit(manager_client, url)[1] is False

    Rating.objects.filter(assessment=assessment).update(manager_proficiency="expert")
    SelfAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.IN_REVIEW)

    html, made = visit(manager_client, url)
    assert made
    assert html != before  # every skill now agreed: the steps say so


def test_a_process_keeps_at_most_personal_pages_in_memory(author_client, assessment, settings):
    settings.PERSONAL_PAGES_IN_MEMORY = 1
    detail = reverse("assessments:assessment_detail", args=[assessment.pk])
    keep(author_client, MY_ASSESSMENTS)
    assert visit(author_client, MY_ASSESSMENTS)[1] is False

    visit(author_client, detail)  # kept in its place

    assert visit(author_client, detail)[1] is False
    assert visit(author_client, MY_ASSESSMENTS)[1]


def test_linking_an_account_changes_only_the_accounts_concerned(author, colleague, kept):
    """At a first sign-in the person is linked to their account: that changes no one else's
    pages, so the directory's token stays (at 280,000 people first sign-ins are frequent)."""
    newcomer = PersonFactory(line_manager=author.line_manager)
    account = newcomer.user
    before = read_tokens(author.user_id), read_tokens(colleague.user_id)
    Person.objects.filter(pk=newcomer.pk).update(user=None)
    unlinked = read_tokens(account.pk)

    newcomer.user = account
    newcomer.save(update_fields=["user"])

    assert read_tokens(account.pk)[1] != unlinked[1]
    assert (read_tokens(author.user_id), read_tokens(colleague.user_id)) == before
    assert unlinked[0] == before[0][0]  # the directory


def test_an_account_unlinked_from_its_person_gets_no_kept_page(author_client, author, kept):
    Person.objects.filter(pk=author.pk).update(user=None)

    response = author_client.get(MY_ASSESSMENTS)

    assert response.status_code == 403  # no staff record any more
    assert "Sam Staff" not in response.content.decode()
