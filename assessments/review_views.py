"""Manager side: the review queue and the review of a report's assessment.

Who may open what is decided by assessments.permissions; on these URLs the author of an
assessment gets 404 (they have their own pages), a manager further up or a service
administrator may read (team_assessment) but not review (403), and anyone else gets 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from people.models import Person
from people.permissions import person_for
from roles.selectors import framework_for_version_id

from . import services
from .emails import base_url_of
from .forms import SIGN_OFF, DecisionForm, ReviewForm
from .lifecycle import StaleEdit
from .models import SelfAssessment
from .permissions import (
    VISIBLE_TO_MANAGERS,
    can_review_assessment,
    get_assessment_for_reviewer,
    get_decided_for_line_manager,
    get_report_assessment,
)
from .plan_views import plan_for_review

# ?sort= values of the queue: the order_by fields when sorted ascending.
QUEUE_SORTS = {
    "name": ("person__name", "pk"),
    "level": ("level_name", "person__name"),
    "submitted": ("submitted_at", "pk"),
    # Waiting longest first is the same order as submitted earliest first.
    "waited": ("-submitted_at", "-pk"),
    "status": ("status", "submitted_at"),
}
DEFAULT_SORT = "submitted"
FURTHER_DOWN_LIMIT = 50


def waited(since, now):
    """How long something has waited, in words: 'Less than a day', '1 day', '3 days'."""
    days = (now - since).days
    if days < 1:
        return "Less than a day"
    return "1 day" if days == 1 else f"{days} days"


def _ratings(assessment):
    return list(assessment.ratings.select_related("skill").order_by("position"))


def _descriptors(assessment, ratings):
    """{rating id: {proficiency: what it looks like}} from the assessment's pinned version."""
    framework = framework_for_version_id(assessment.framework_version_id)
    return {
        rating.pk: framework.skills[rating.skill.slug].descriptors
        for rating in ratings
        if rating.skill.slug in framework.skills
    }


def _flip(field):
    return field[1:] if field.startswith("-") else f"-{field}"


def _queue_sort(request):
    requested = request.GET.get("sort", DEFAULT_SORT)
    descending = requested.startswith("-")
    key = requested.lstrip("-")
    if key not in QUEUE_SORTS:
        key, descending = DEFAULT_SORT, False
    order = [_flip(field) if descending else field for field in QUEUE_SORTS[key]]
    return key, descending, order


@login_required
@never_cache
def review_queue(request):
    me = person_for(request.user)
    now = timezone.now()
    key, descending, order = _queue_sort(request)
    waiting, further_down = [], []
    if me is not None:
        waiting = list(
            SelfAssessment.objects.awaiting_review_by(me)
            .select_related("person")
            .only(
                "pk",
                "status",
                "level_name",
                "submitted_at",
                "person__name",
                "person__line_manager_id",
            )
            .order_by(*order)
        )
        below = (
            SelfAssessment.objects.filter(
                person__in=Person.objects.below(me).exclude(line_manager=me),
                status__in=VISIBLE_TO_MANAGERS,
            )
            .select_related("person", "person__line_manager")
            .only(
                "pk",
                "status",
                "level_name",
                "submitted_at",
                "person__name",
                "person__line_manager__name",
            )
        )
        # One row more than is shown tells whether there are more, without counting them all.
        further_down = list(below.order_by("-submitted_at", "-pk")[: FURTHER_DOWN_LIMIT + 1])
    more_further_down = len(further_down) > FURTHER_DOWN_LIMIT
    further_down = further_down[:FURTHER_DOWN_LIMIT]
    for assessment in waiting:
        assessment.waited = waited(assessment.submitted_at, now)
        assessment.waited_days = (now - assessment.submitted_at).days
    columns = []
    for column, label in [
        ("name", "Name"),
        ("level", "Level"),
        ("submitted", "Submitted"),
        ("waited", "Waiting for"),
        ("status", "Status"),
    ]:
        current = column == key
        columns.append(
            {
                "label": label,
                "sort": "descending"
                if current and descending
                else ("ascending" if current else "none"),
                "href": f"?sort={'-' if current and not descending else ''}{column}",
            }
        )
    return render(
        request,
        "assessments/review/queue.html",
        {
            "waiting": waiting,
            "columns": columns,
            "further_down": further_down,
            "more_further_down": more_further_down,
            "further_down_limit": FURTHER_DOWN_LIMIT,
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def review(request, pk):
    assessment = get_assessment_for_reviewer(request.user, pk)
    ratings = _ratings(assessment)
    descriptors = _descriptors(assessment, ratings)
    if request.method == "POST":
        form = ReviewForm(
            request.POST, assessment=assessment, ratings=ratings, descriptors=descriptors
        )
        if form.is_valid():
            try:
                services.review_save(
                    assessment=assessment,
                    by=person_for(request.user),
                    ratings=form.rating_values(),
                    summary=form.cleaned_data["summary"],
                    lock_version=form.cleaned_data["lock_version"],
                )
            except StaleEdit as error:
                # Show the latest saved values beside what they typed, which is kept; saving
                # again (now knowingly) uses the current version.
                assessment = get_assessment_for_reviewer(request.user, pk)
                ratings = _ratings(assessment)
                data = request.POST.copy()
                data["lock_version"] = str(assessment.lock_version)
                form = ReviewForm(
                    data, assessment=assessment, ratings=ratings, descriptors=descriptors
                )
                form.is_valid()
                form.add_error(None, error.messages[0])
            except ValidationError as error:
                form.add_error(None, error.messages[0])
            else:
                messages.success(request, "Your review has been saved")
                return redirect("assessments:review", pk=assessment.pk)
    else:
        form = ReviewForm(assessment=assessment, ratings=ratings, descriptors=descriptors)
    return render(
        request,
        "assessments/review/review.html",
        {
            "assessment": assessment,
            "form": form,
            "changed": form.non_field_errors(),
            # The development plan, beside the review (assessments.plan_views).
            "plan": plan_for_review(request.user, assessment.person),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def review_decision(request, pk):
    assessment = get_assessment_for_reviewer(request.user, pk)
    ratings = _ratings(assessment)
    person_name = assessment.person.name
    if request.method == "POST":
        form = DecisionForm(request.POST, person_name=person_name)
        if form.is_valid():
            me = person_for(request.user)
            try:
                if form.cleaned_data["decision"] == SIGN_OFF:
                    services.review_sign_off(
                        assessment=assessment,
                        by=me,
                        lock_version=form.cleaned_data["lock_version"],
                        base_url=base_url_of(request),
                    )
                else:
                    services.review_return(
                        assessment=assessment,
                        by=me,
                        reason=form.cleaned_data["reason"],
                        lock_version=form.cleaned_data["lock_version"],
                        base_url=base_url_of(request),
                    )
            except ValidationError as error:
                if isinstance(error, StaleEdit):
                    assessment = get_assessment_for_reviewer(request.user, pk)
                    ratings = _ratings(assessment)
                    data = request.POST.copy()
                    data["lock_version"] = str(assessment.lock_version)
                    form = DecisionForm(data, person_name=person_name)
                    form.is_valid()
                form.add_error("decision", error.messages[0])
            else:
                return redirect("assessments:review_done", pk=assessment.pk)
    else:
        form = DecisionForm(
            initial={"lock_version": assessment.lock_version}, person_name=person_name
        )
    return render(
        request,
        "assessments/review/decision.html",
        {
            "assessment": assessment,
            "ratings": ratings,
            "form": form,
            "not_all_agreed": any(not rating.manager_proficiency for rating in ratings),
        },
    )


@login_required
@never_cache
def review_done(request, pk):
    """Confirmation for the line manager once they have signed off or returned an assessment."""
    assessment = get_decided_for_line_manager(request.user, pk)
    return render(request, "assessments/review/done.html", {"assessment": assessment})


@login_required
@never_cache
@require_GET
def team_assessment(request, pk):
    """Read only: for the line manager, managers further up and service administrators."""
    assessment = get_report_assessment(request.user, pk)
    ratings = _ratings(assessment)
    events = list(assessment.events.select_related("by").order_by("-at", "-pk"))
    reviewer = None
    if assessment.reviewer_id:
        reviewer = Person.objects.only("name").filter(pk=assessment.reviewer_id).first()
    return render(
        request,
        "assessments/review/read.html",
        {
            "assessment": assessment,
            "ratings": ratings,
            "events": events,
            "reviewer": reviewer,
            "can_review": can_review_assessment(request.user, assessment),
            # The development plan, beside the review (assessments.plan_views).
            "plan": plan_for_review(request.user, assessment.person),
        },
    )


urlpatterns = [
    path("reviews/", review_queue, name="review_queue"),
    path("reviews/<int:pk>/", review, name="review"),
    path("reviews/<int:pk>/decision/", review_decision, name="review_decision"),
    path("reviews/<int:pk>/done/", review_done, name="review_done"),
    path("reviews/<int:pk>/read/", team_assessment, name="team_assessment"),
]
