"""The self-assessment journey page by page: start, skills, check, submit, withdraw, history."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import forms, lifecycle, services
from assessments.models import AssessmentEvent, AssessmentStatus, EventKind, Rating, SelfAssessment
from assessments.views import ALREADY_OPEN, SAVED
from roles import selectors
from tests.factories import (
    PersonFactory,
    level_slug,
    make_assessment_for_review,
    make_framework,
    rate_all,
    start_assessment,
    submit_assessment,
)

pytestmark = pytest.mark.django_db


def skill_url(assessment, rating):
    return reverse("assessments:assessment_skill", args=[assessment.pk, rating.pk])


# --- starting ----------------------------------------------------------------------------
def test_start_confirmation_page_names_the_level(author_client, framework):
    profession, version = framework
    level = version.content["levels"][1]

    response = author_client.get(
        reverse("assessments:assessment_start"),
        {"profession": profession.slug, "level": level["slug"]},
    )

    assert response.status_code == 200
    assert f"Assess yourself against {level['name']}" in response.content.decode()
    assert not SelfAssessment.objects.exists()


def test_start_choice_page_offers_current_and_next_level_and_any_level(author_client, version):
    levels = version.content["levels"]

    response = author_client.get(reverse("assessments:assessment_start"))

    html = response.content.decode()
    assert "Your current level" in html
    assert "The next level up" in html
    assert f"level={levels[1]['slug']}" in html
    for level in levels:
        assert f'value="{version.content["profession"]["slug"]}/{level["slug"]}"' in html


def test_start_choice_select_leads_to_the_confirmation(author_client, framework):
    profession, version = framework
    level = version.content["levels"][2]["slug"]

    response = author_client.get(
        reverse("assessments:assessment_start"), {"choice": f"{profession.slug}/{level}"}
    )
    empty = author_client.get(reverse("assessments:assessment_start"), {"choice": ""})

    assert response.headers["Location"].endswith(f"?profession={profession.slug}&level={level}")
    assert empty.status_code == 200
    assert "Choose a level to assess yourself against" in empty.context["form"].errors["choice"]


def test_posting_start_creates_it_once(author_client, framework, author):
    profession, version = framework
    data = {"profession": profession.slug, "level": version.content["levels"][0]["slug"]}

    first = author_client.post(reverse("assessments:assessment_start"), data)
    second = author_client.post(reverse("assessments:assessment_start"), data, follow=True)

    assessment = SelfAssessment.objects.get(person=author)
    task_list = reverse("assessments:assessment_task_list", args=[assessment.pk])
    assert first.headers["Location"] == task_list
    assert second.redirect_chain[-1][0] == task_list
    assert ALREADY_OPEN in second.content.decode()
    assert SelfAssessment.objects.count() == 1


def test_start_ignores_a_forged_owner(author_client, framework, author):
    profession, version = framework
    other = PersonFactory()

    author_client.post(
        reverse("assessments:assessment_start"),
        {
            "profession": profession.slug,
            "level": version.content["levels"][0]["slug"],
            "person": other.pk,
            "status": "signed_off",
        },
    )

    assessment = SelfAssessment.objects.get()
    assert assessment.person == author
    assert assessment.status == AssessmentStatus.DRAFT


def test_start_for_an_unknown_level_is_404(author_client, framework):
    profession, _version = framework

    response = author_client.get(
        reverse("assessments:assessment_start"), {"profession": profession.slug, "level": "nope"}
    )

    assert response.status_code == 404


# --- the task list and skill pages ---------------------------------------------------------
def test_task_list_shows_each_skill_status(author_client, version, author):
    assessment = start_assessment(author, version)
    first = assessment.ratings.order_by("position").first()
    services.rating_save(
        assessment=assessment,
        rating_id=first.pk,
        self_proficiency="working",
        evidence="",
        lock_version=1,
        by=author,
    )

    response = author_client.get(reverse("assessments:assessment_task_list", args=[assessment.pk]))

    html = response.content.decode()
    assert "govuk-task-list" in html
    assert html.count("Not started") == 2
    assert "Completed" in html
    assert "You have rated 1 of 3 skills" in html


def test_returned_skills_with_comments_say_changes_requested(author_client, version, author):
    assessment = make_assessment_for_review(
        person=author, version=version, status="returned", return_reason="Say more please"
    )
    Rating.objects.filter(pk=assessment.ratings.first().pk).update(manager_comment="More here")

    response = author_client.get(reverse("assessments:assessment_task_list", args=[assessment.pk]))

    html = response.content.decode()
    assert "Changes requested" in html
    assert "Say more please" in html


def test_skill_page_shows_expected_proficiency_and_descriptors_as_hints(
    author_client, version, author
):
    assessment = start_assessment(author, version, rank=2)
    rating = assessment.ratings.order_by("position").first()
    skill = next(s for s in version.content["skills"] if s["name"] == rating.skill_name)

    response = author_client.get(skill_url(assessment, rating))

    html = response.content.decode()
    assert "This level expects <strong>Working</strong>" in html
    for descriptor in skill["descriptors"].values():
        assert descriptor in html
    assert "govuk-radios__hint" in html
    assert 'data-module="govuk-character-count"' in html
    assert "Save and continue" in html
    assert "Save and come back later" in html


def test_save_and_continue_goes_to_the_next_skill_then_the_check_page(
    author_client, version, author
):
    assessment = start_assessment(author, version)
    ratings = list(assessment.ratings.order_by("position"))

    first = author_client.post(
        skill_url(assessment, ratings[0]),
        {
            "self_proficiency": "working",
            "evidence": "Did it",
            "lock_version": 1,
            "action": "continue",
        },
    )
    author_client.post(
        skill_url(assessment, ratings[1]),
        {"self_proficiency": "working", "evidence": "", "lock_version": 2, "action": "continue"},
    )
    last = author_client.post(
        skill_url(assessment, ratings[2]),
        {"self_proficiency": "expert", "evidence": "", "lock_version": 3, "action": "continue"},
    )

    assert first.headers["Location"] == skill_url(assessment, ratings[1])
    assert last.headers["Location"] == reverse("assessments:assessment_check", args=[assessment.pk])
    assert list(assessment.ratings.values_list("self_proficiency", flat=True)) == [
        "working",
        "working",
        "expert",
    ]


def test_save_and_come_back_later_keeps_a_blank_rating_and_the_evidence(
    author_client, version, author
):
    assessment = start_assessment(author, version)
    rating = assessment.ratings.first()

    response = author_client.post(
        skill_url(assessment, rating),
        {"self_proficiency": "", "evidence": "Half written", "lock_version": 1, "action": "later"},
        follow=True,
    )

    rating.refresh_from_db()
    assert rating.evidence == "Half written"
    assert rating.self_proficiency == ""
    assert SAVED in response.content.decode()


def test_continue_without_a_proficiency_shows_an_error_and_keeps_the_text(
    author_client, version, author
):
    assessment = start_assessment(author, version)
    rating = assessment.ratings.first()

    response = author_client.post(
        skill_url(assessment, rating),
        {"evidence": "Typed but unrated", "lock_version": 1, "action": "continue"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert forms.PROFICIENCY_REQUIRED in html
    assert "Typed but unrated" in html
    assert "<title>Error: " in html
    rating.refresh_from_db()
    assert rating.evidence == ""


def test_over_long_evidence_is_refused_and_shown_back(author_client, version, author):
    assessment = start_assessment(author, version)
    rating = assessment.ratings.first()
    long_text = "y" * 3001

    response = author_client.post(
        skill_url(assessment, rating),
        {"self_proficiency": "working", "evidence": long_text, "lock_version": 1},
    )

    html = response.content.decode()
    assert forms.EVIDENCE_TOO_LONG in html
    assert long_text in html
    rating.refresh_from_db()
    assert rating.evidence == ""


def test_a_stale_save_from_a_second_tab_keeps_the_typed_text_and_overwrites_nothing(
    author_client, version, author
):
    assessment = start_assessment(author, version)
    rating = assessment.ratings.first()
    url = skill_url(assessment, rating)
    author_client.get(url)  # tab one
    author_client.get(url)  # tab two, drawn from the same lock_version
    author_client.post(
        url, {"self_proficiency": "working", "evidence": "Tab one", "lock_version": 1}
    )

    response = author_client.post(
        url, {"self_proficiency": "expert", "evidence": "Tab two's words", "lock_version": 1}
    )

    html = response.content.decode()
    assert "This assessment changed since you opened it" in html
    assert "Tab two&#x27;s words" in html
    assert 'value="expert" checked' in html
    assert response.context["form"]["lock_version"].value() == "2"
    rating.refresh_from_db()
    assert (rating.self_proficiency, rating.evidence) == ("working", "Tab one")


def test_forged_fields_on_the_skill_page_are_ignored(author_client, version, author):
    assessment = start_assessment(author, version)
    rating = assessment.ratings.first()

    author_client.post(
        skill_url(assessment, rating),
        {
            "self_proficiency": "working",
            "evidence": "Mine",
            "lock_version": 1,
            "manager_proficiency": "expert",
            "manager_comment": "Forged",
            "status": "signed_off",
            "person": PersonFactory().pk,
            "expected_proficiency": "awareness",
        },
    )

    rating.refresh_from_db()
    assessment.refresh_from_db()
    assert rating.self_proficiency == "working"
    assert (rating.manager_proficiency, rating.manager_comment) == ("", "")
    assert rating.expected_proficiency == "awareness"  # rank 1 of make_framework: unchanged
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.person == author


def test_another_assessments_rating_id_is_404(author_client, version, author):
    mine = start_assessment(author, version)
    theirs = start_assessment(PersonFactory(), version)
    their_rating = theirs.ratings.first()

    response = author_client.post(
        skill_url(mine, their_rating),
        {"self_proficiency": "expert", "evidence": "Forged", "lock_version": 1},
    )

    assert response.status_code == 404
    their_rating.refresh_from_db()
    assert their_rating.self_proficiency == ""


# --- check, submit, confirmation, withdraw ----------------------------------------------
def test_check_page_lists_answers_with_change_links_and_escapes_evidence(
    author_client, version, author
):
    assessment = start_assessment(author, version)
    rating = assessment.ratings.first()
    services.rating_save(
        assessment=assessment,
        rating_id=rating.pk,
        self_proficiency="working",
        evidence="<script>alert(1)</script>",
        lock_version=1,
        by=author,
    )

    response = author_client.get(reverse("assessments:assessment_check", args=[assessment.pk]))

    html = response.content.decode()
    assert "govuk-summary-list" in html
    assert f"{skill_url(assessment, rating)}?from=check" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "You have not rated 2 skills yet" in html


def test_submit_without_declaration_or_ratings_shows_errors(author_client, version, author):
    assessment = start_assessment(author, version)

    response = author_client.post(
        reverse("assessments:assessment_submit", args=[assessment.pk]), {"lock_version": 1}
    )

    html = response.content.decode()
    assert services.DECLARATION_REQUIRED in html
    assert services.SKILLS_NOT_RATED.format(count=3) in html
    assert SelfAssessment.objects.get(pk=assessment.pk).status == AssessmentStatus.DRAFT
    assert not mail.outbox


def test_submit_sends_it_and_confirms(
    author_client, version, author, manager, django_capture_on_commit_callbacks
):
    assessment = start_assessment(author, version)
    rate_all(assessment)

    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(
            reverse("assessments:assessment_submit", args=[assessment.pk]),
            {"declaration": "on", "lock_version": assessment.lock_version, "status": "signed_off"},
            follow=True,
        )

    html = response.content.decode()
    assert "Assessment submitted" in html
    assert manager.name in html
    assert SelfAssessment.objects.get(pk=assessment.pk).status == AssessmentStatus.SUBMITTED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [manager.email]
    assert f"http://testserver/reviews/{assessment.pk}/" in mail.outbox[0].body


def test_submitting_from_a_stale_check_page_is_refused(author_client, version, author):
    assessment = start_assessment(author, version)
    rate_all(assessment)
    stale_lock = assessment.lock_version
    rating = assessment.ratings.first()
    services.rating_save(  # another tab changes an answer after the check page was drawn
        assessment=assessment,
        rating_id=rating.pk,
        self_proficiency="expert",
        evidence="Changed elsewhere",
        lock_version=stale_lock,
        by=author,
    )

    response = author_client.post(
        reverse("assessments:assessment_submit", args=[assessment.pk]),
        {"declaration": "on", "lock_version": stale_lock},
    )

    html = response.content.decode()
    assert "This assessment changed since you opened it" in html
    assert "Changed elsewhere" in html  # the page now shows the answers as stored
    assert response.context["form"]["lock_version"].value() == str(stale_lock + 1)
    assert SelfAssessment.objects.get(pk=assessment.pk).status == AssessmentStatus.DRAFT
    assert not mail.outbox


@pytest.fixture
def loner_assessment(client, version):
    """A rated draft by someone with no line manager on record, signed in as them."""
    loner = PersonFactory()
    client.force_login(loner.user)
    assessment = start_assessment(loner, version)
    rate_all(assessment)
    return assessment


def test_check_answers_offers_no_submit_without_a_line_manager(client, loner_assessment):
    response = client.get(reverse("assessments:assessment_check", args=[loner_assessment.pk]))

    html = response.content.decode()
    assert "We do not have a line manager on record for you" in html
    assert "carry on with this assessment and save it" in html
    assert reverse("assessments:assessment_submit", args=[loner_assessment.pk]) not in html
    assert "Submit assessment" not in html
    assert "You can withdraw it until they start the review" not in html


def test_the_task_list_offers_no_submit_without_a_line_manager(client, loner_assessment):
    response = client.get(reverse("assessments:assessment_task_list", args=[loner_assessment.pk]))

    html = response.content.decode()
    assert "We do not have a line manager on record for you" in html
    assert (
        "submit"
        not in html.split('id="main-content"')[1]
        .replace("you can submit it once your line manager is on record", "")
        .lower()
    )


def test_submitting_without_a_line_manager_is_refused(client, loner_assessment):
    response = client.post(
        reverse("assessments:assessment_submit", args=[loner_assessment.pk]),
        {"declaration": "on", "lock_version": loner_assessment.lock_version},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert services.NO_LINE_MANAGER in html
    stored = SelfAssessment.objects.get(pk=loner_assessment.pk)
    assert stored.status == AssessmentStatus.DRAFT
    assert stored.lock_version == loner_assessment.lock_version
    assert not mail.outbox


def test_a_line_manager_who_has_left_counts_as_none_at_check_answers(
    author_client, author, manager, version
):
    assessment = start_assessment(author, version)
    rate_all(assessment)
    manager.is_active = False
    manager.save()

    html = author_client.get(reverse("assessments:assessment_check", args=[assessment.pk]))

    assert "Submit assessment" not in html.content.decode()


def test_the_start_page_says_there_is_no_line_manager(client, version, author):
    loner = PersonFactory()
    client.force_login(loner.user)
    url = reverse("assessments:assessment_start")
    query = {"profession": version.profession.slug, "level": level_slug(version, 1)}

    html = client.get(url, query).content.decode()

    assert "We do not have a line manager on record for you" in html
    assert "start an assessment and save it" in html
    client.force_login(author.user)
    assert "app-no-line-manager" not in client.get(url, query).content.decode()


def test_check_answers_warns_about_skills_without_evidence(author_client, author, version):
    assessment = start_assessment(author, version)
    rate_all(assessment)
    first, second, third = assessment.ratings.order_by("position")
    Rating.objects.filter(pk__in=[first.pk, third.pk]).update(evidence="  \n ")

    response = author_client.get(reverse("assessments:assessment_check", args=[assessment.pk]))

    html = response.content.decode()
    assert "You have not given evidence for 2 skills" in html
    warning = html.split('app-without-evidence-list">')[1].split("</ul>")[0]
    for rating in (first, third):
        link = reverse("assessments:assessment_skill", args=[assessment.pk, rating.pk])
        assert f'href="{link}?from=check">Add evidence for {rating.skill_name}</a>' in warning
    assert second.skill_name not in warning
    # Still allowed to submit.
    assert "Submit assessment" in html


def test_skills_without_evidence_can_still_be_submitted(author_client, author, version):
    assessment = start_assessment(author, version)
    rate_all(assessment)
    assessment.ratings.update(evidence="")

    response = author_client.post(
        reverse("assessments:assessment_submit", args=[assessment.pk]),
        {"declaration": "on", "lock_version": assessment.lock_version},
    )

    assert response.status_code == 302
    assert SelfAssessment.objects.get(pk=assessment.pk).status == AssessmentStatus.SUBMITTED


def test_check_answers_has_no_evidence_warning_when_all_have_evidence(
    author_client, author, version
):
    assessment = start_assessment(author, version)
    rate_all(assessment, evidence="What I did")

    html = author_client.get(reverse("assessments:assessment_check", args=[assessment.pk]))

    assert "app-without-evidence" not in html.content.decode()


def test_withdraw_returns_it_to_draft(author_client, version, author):
    assessment = start_assessment(author, version)
    rate_all(assessment)
    submit_assessment(assessment)
    url = reverse("assessments:assessment_withdraw", args=[assessment.pk])

    page = author_client.get(url)
    response = author_client.post(url, {"lock_version": assessment.lock_version})

    assert page.status_code == 200
    assert response.headers["Location"] == reverse(
        "assessments:assessment_task_list", args=[assessment.pk]
    )
    assert SelfAssessment.objects.get(pk=assessment.pk).status == AssessmentStatus.DRAFT


def test_withdraw_from_a_stale_page_is_refused(author_client, version, author):
    assessment = make_assessment_for_review(person=author, version=version)

    response = author_client.post(
        reverse("assessments:assessment_withdraw", args=[assessment.pk]),
        {"lock_version": assessment.lock_version + 1},
        follow=True,
    )

    assert lifecycle.STALE_EDIT in response.content.decode()
    assert SelfAssessment.objects.get(pk=assessment.pk).status == AssessmentStatus.SUBMITTED


def test_withdraw_after_the_review_started_is_refused(author_client, version, author):
    assessment = make_assessment_for_review(person=author, version=version, status="in_review")

    response = author_client.post(
        reverse("assessments:assessment_withdraw", args=[assessment.pk]), follow=True
    )

    assert lifecycle.CANNOT_WITHDRAW_REVIEW_STARTED in response.content.decode()
    assert SelfAssessment.objects.get(pk=assessment.pk).status == AssessmentStatus.IN_REVIEW


# --- your assessments ----------------------------------------------------------------------
def test_your_assessments_shows_the_timeline_and_gaps_with_resources(
    author_client, version, author, manager
):
    assessment = make_assessment_for_review(
        person=author,
        version=version,
        level_rank=3,
        status="signed_off",
        self_proficiency="practitioner",
        signed_off_at=timezone.now(),
        reviewer=manager,
    )
    ratings = list(assessment.ratings.order_by("position"))
    Rating.objects.filter(pk=ratings[0].pk).update(manager_proficiency="working")
    Rating.objects.filter(pk__in=[r.pk for r in ratings[1:]]).update(
        manager_proficiency="practitioner"
    )
    AssessmentEvent.objects.create(
        assessment=assessment, kind=EventKind.SIGNED_OFF, at=timezone.now(), by=manager
    )
    skill = next(s for s in version.content["skills"] if s["name"] == ratings[0].skill_name)

    response = author_client.get(reverse("assessments:assessment_list"))

    html = response.content.decode()
    assert "moj-timeline" in html
    assert f"Signed off: {assessment.level_name}" in html
    assert f"by {manager.name}" in html
    assert [gap["name"] for gap in response.context["gaps"]] == [ratings[0].skill_name]
    assert skill["resources"][0]["title"] in html
    assert skill["resources"][0]["url"] in html


# --- query counts on a large framework and a long history ---------------------------------
def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def build_history(person, version, manager, count):
    """`count` signed-off assessments with events, oldest first."""
    now = timezone.now()
    for index in range(count):
        at = now - datetime.timedelta(days=count - index)
        assessment = make_assessment_for_review(
            person=person,
            version=version,
            status="signed_off",
            signed_off_at=at,
            reviewer=manager,
        )
        AssessmentEvent.objects.bulk_create(
            AssessmentEvent(assessment=assessment, kind=kind, at=at, by=person)
            for kind in [EventKind.STARTED, EventKind.SUBMITTED, EventKind.SIGNED_OFF]
        )


@pytest.mark.parametrize("page", ["task_list", "skill", "check", "assessment_list", "detail"])
def test_query_count_does_not_grow_with_the_framework_or_the_history(
    client, page, django_assert_max_num_queries
):
    counts = []
    for skills, history in [(2, 1), (40, 30)]:
        profession, version = make_framework(levels=2, skills=skills)
        manager = PersonFactory()
        person = PersonFactory(line_manager=manager, profession=profession)
        build_history(person, version, manager, history)
        assessment = start_assessment(person, version, rank=2)
        rate_all(assessment)
        client.force_login(person.user)
        rating = assessment.ratings.order_by("position").last()
        url = {
            "task_list": reverse("assessments:assessment_task_list", args=[assessment.pk]),
            "skill": skill_url(assessment, rating),
            "check": reverse("assessments:assessment_check", args=[assessment.pk]),
            "assessment_list": reverse("assessments:assessment_list"),
            "detail": reverse("assessments:assessment_detail", args=[assessment.pk]),
        }[page]
        selectors._FRAMEWORKS.clear()  # the first view of a version reads its snapshot
        counts.append(count_queries(client, url))

    assert counts[0] == counts[1]
    with django_assert_max_num_queries(12):
        client.get(url)
