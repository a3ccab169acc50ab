"""careers:home, the personal home after sign-in: your job, your assessments, what to do next,
and for managers and heads of profession what waits for them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentStatus
from roles.services import head_of_profession_appoint
from tests.factories import (
    PersonFactory,
    make_assessment_for_review,
    make_person_at_level,
    start_assessment,
)

pytestmark = pytest.mark.django_db

HOME = "/your-career/"


def html_of(client):
    response = client.get(reverse("careers:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_url_and_the_sign_in_redirect(settings):
    assert reverse("careers:home") == HOME
    assert settings.LOGIN_REDIRECT_URL == "careers:home"


def test_signing_in_lands_on_your_career(client, author):
    author.user.set_password("a-long-test-password-123")
    author.user.save()

    response = client.post(
        reverse("login"), {"username": author.email, "password": "a-long-test-password-123"}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == HOME


def test_it_shows_your_job(author_client, author, profession, levels):
    html = html_of(author_client)

    assert reverse("roles:pathway", args=[profession.slug]) in html
    assert profession.name in html
    assert reverse("roles:level", args=[profession.slug, levels[0].slug]) in html
    assert levels[0].name in html
    assert "Higher Executive Officer (HEO)" in html
    assert author.department.name in html
    assert "Mo Manager" in html
    assert "app-no-line-manager" not in html


def test_with_no_line_manager_it_says_what_is_true_and_what_to_do(client, profession):
    alone = make_person_at_level(profession, rank=1, name="Olu Alone")
    client.force_login(alone.user)

    html = html_of(client)

    assert "govuk-warning-text" in html
    assert "We do not have a line manager on record for you" in html
    assert "nobody can review a self-assessment of yours yet" in html
    assert "you can submit it once your line manager is on record" in html
    assert "Ask your HR team to add your line manager" in html
    # Nothing promises what cannot happen.
    assert "nobody will be told" not in html
    assert "withdraw" not in html


def test_a_line_manager_who_has_left_counts_as_none(author_client, manager):
    manager.is_active = False
    manager.save()

    html = html_of(author_client)

    assert "We do not have a line manager on record for you" in html
    assert "Mo Manager" not in html


@pytest.mark.parametrize(
    ("status", "url_name"),
    [
        (AssessmentStatus.DRAFT, "assessments:assessment_task_list"),
        (AssessmentStatus.RETURNED, "assessments:assessment_task_list"),
        (AssessmentStatus.SUBMITTED, "assessments:assessment_detail"),
        (AssessmentStatus.IN_REVIEW, "assessments:assessment_detail"),
    ],
)
def test_an_assessment_in_progress_links_to_where_to_carry_on(
    author_client, author, version, status, url_name
):
    assessment = make_assessment_for_review(person=author, version=version, status=status)

    html = html_of(author_client)

    assert reverse(url_name, args=[assessment.pk]) in html
    assert "In progress: your assessment against" in html
    # With one in progress, starting another is not the next thing to do.
    assert reverse("assessments:assessment_start") not in html


def test_the_last_signed_off_outcome(author_client, signed_off):
    html = html_of(author_client)

    assert "Your last signed-off assessment" in html
    assert signed_off.level_name in html
    assert f"{signed_off.signed_off_at:%-d %B %Y} by Mo Manager" in html
    # Expected Awareness in all three; agreed Awareness, Working, Awareness.
    assert "2 met, 0 below, 1 above what the level expects" in html
    assert reverse("assessments:assessment_detail", args=[signed_off.pk]) in html


def test_a_newer_draft_does_not_hide_the_last_outcome(author_client, author, version, signed_off):
    draft = start_assessment(author, version, rank=2)

    html = html_of(author_client)

    assert reverse("assessments:assessment_task_list", args=[draft.pk]) in html
    assert reverse("assessments:assessment_detail", args=[signed_off.pk]) in html
    assert "2 met, 0 below, 1 above" in html


def test_the_latest_of_several_sign_offs_is_shown(author_client, author, version, signed_off):
    from tests.careers.conftest import sign_off

    sign_off(
        author,
        version,
        agreed=["awareness", "awareness", "awareness"],
        when=timezone.now() - timedelta(days=400),
    )

    html = html_of(author_client)

    assert reverse("assessments:assessment_detail", args=[signed_off.pk]) in html
    assert "2 met, 0 below, 1 above" in html


def test_what_to_do_next(author_client, profession, levels, signed_off):
    html = html_of(author_client)

    assert reverse("assessments:assessment_start") in html
    assert reverse("careers:profile") in html
    readiness = f"{reverse('careers:readiness')}?level={profession.slug}/{levels[1].slug}"
    assert readiness in html
    assert f"See how ready you are for {levels[1].name}" in html
    assert reverse("careers:moves") in html


def test_with_nothing_signed_off_it_says_so(author_client):
    html = html_of(author_client)

    assert "You have not assessed yourself yet" in html
    assert reverse("assessments:assessment_start") in html


def test_the_home_links_to_the_plan(author_client):
    html = html_of(author_client)

    assert "Your development plan" in html
    assert 'href="/your-career/plan/"' in html


def test_staff_with_no_reports_see_no_reviews(author_client):
    html = html_of(author_client)

    assert "Reviews for you" not in html
    assert "Your line" not in html


def test_a_line_manager_sees_how_many_reviews_wait_and_since_when(
    client, manager, author, colleague, version
):
    now = timezone.now()
    make_assessment_for_review(
        person=author, version=version, submitted_at=now - timedelta(days=40)
    )
    make_assessment_for_review(
        person=colleague, version=version, status="in_review", submitted_at=now - timedelta(days=3)
    )
    client.force_login(manager.user)

    html = html_of(client)

    assert "Reviews for you" in html
    assert "2 assessments are waiting for your review" in html
    oldest = timezone.localtime(now - timedelta(days=40))  # the date as London has it
    assert f"The oldest has been waiting since {oldest:%-d %B %Y}" in html
    assert reverse("assessments:review_queue") in html
    # Direct reports only: no line of their own below them.
    assert "Your line" not in html


def test_a_line_manager_with_nothing_waiting(client, manager, author):
    client.force_login(manager.user)

    html = html_of(client)

    assert "No assessments are waiting for your review" in html


def test_a_manager_further_up_sees_a_summary_of_their_line(
    client, director, manager, author, colleague, version
):
    make_assessment_for_review(person=author, version=version)
    make_assessment_for_review(person=colleague, version=version, status="draft")
    PersonFactory(line_manager=manager, is_active=False)  # a leaver is not counted
    client.force_login(director.user)

    html = html_of(client)

    assert "3 people work below you, 1 of them reporting to you directly" in html
    assert "1 assessment is waiting for review in your line" in html
    # Their own direct report has nothing waiting.
    assert "No assessments are waiting for your review" in html


def test_a_head_of_profession_is_linked_to_their_report_and_the_admin(client, profession):
    head = PersonFactory(name="Hana Head")
    head_of_profession_appoint(user=head.user, profession=profession)
    client.force_login(head.user)

    html = html_of(client)

    assert reverse("insights:capability_report", args=[profession.slug]) in html
    assert f"Capability in {profession.name}" in html
    assert reverse("admin:index") in html


def test_staff_who_head_nothing_get_no_profession_links(author_client):
    html = html_of(author_client)

    assert "Your profession</h2>" not in html
    assert reverse("admin:index") not in html
