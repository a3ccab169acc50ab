"""Manager side: the review queue and the review of a report's assessment.

Who may open what is decided by assessments.permissions; on these URLs the author of an
assessment gets 404 (they have their own pages), a manager further up or a service
administrator may read (team_assessment): a review page they open leads there, a write is 403;
anyone else gets 404. After sign-off every review page leads to the read-only record.

The review is a task list of steps (REVIEW_STEP_SIZE skills each), a summary and the decision;
every button on a step saves before it goes anywhere (docs/reviews.md).
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, F, Q, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from people.models import Person
from people.permissions import person_for
from roles.selectors import framework_for_version_id

from . import services
from .emails import base_url_of
from .forms import SIGN_OFF, DecisionForm, LockForm, ReviewForm, SummaryForm
from .lifecycle import StaleEdit
from .models import AssessmentStatus, SelfAssessment
from .permissions import (
    DECIDED,
    VISIBLE_TO_MANAGERS,
    can_review_assessment,
    get_assessment_for_reviewer,
    get_decided_for_line_manager,
    get_report_assessment,
    review_moved_to,
)
from .personal_pages import keep_until, kept_personal_page
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
# Skills per step of a review: a page a busy manager can get through at a sitting.
REVIEW_STEP_SIZE = 5
REVIEWED_PER_PAGE = 25
STEP_COMPLETED = "completed"
STEP_IN_PROGRESS = "in_progress"
STEP_NOT_STARTED = "not_started"
SAVED = "Your review has been saved"
AGREED_REMAINING = "You agreed with their own rating for {count} skill{s}"
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


def _further_down(me):
    """Everyone further down `me`'s line than their direct reports. For the newest-first list
    the planner reads a small line through the management-path index and a large one by walking
    the newest visible assessments (the `visible_newest_first` index) until the list is full:
    measured at 280,000 people, from 0.3 to 6.5 ms for lines of 9 to 70,000 people, against 110
    to 185 ms for large lines without the index (docs/performance.md)."""
    return Q(person__in=Person.objects.below(me).exclude(line_manager=me))


@kept_personal_page
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
                _further_down(me),
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
        # A kept queue holds until the first "waiting for" changes (assessments.personal_pages).
        changes = assessment.submitted_at + timedelta(days=assessment.waited_days + 1)
        keep_until(request, changes.timestamp())
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


def _reviewable(request, pk):
    """(assessment, None) when the signed-in person may review it; otherwise, for a GET from
    someone who may read it or who decided it, (None, a redirect to that page); anyone else
    gets what get_assessment_for_reviewer raises (404, or 403 for a forbidden write)."""
    try:
        return get_assessment_for_reviewer(request.user, pk), None
    except (PermissionDenied, Http404):
        if request.method != "GET":
            raise
        where = review_moved_to(request.user, pk)
        if where is None:
            raise
        return None, redirect(where)


def review_steps(ratings, size=REVIEW_STEP_SIZE):
    """The review split into steps of `size` skills, in the assessment's order: each a dict of
    its number, ratings, how many are agreed and its status."""
    steps = []
    for start in range(0, len(ratings), size):
        chunk = ratings[start : start + size]
        agreed = sum(1 for rating in chunk if rating.manager_proficiency)
        if agreed == len(chunk):
            status = STEP_COMPLETED
        elif agreed:
            status = STEP_IN_PROGRESS
        else:
            status = STEP_NOT_STARTED
        steps.append(
            {
                "number": len(steps) + 1,
                "ratings": chunk,
                "first": start + 1,
                "last": start + len(chunk),
                "agreed": agreed,
                "status": status,
            }
        )
    return steps


def _after_save(request, assessment, steps, number):
    """Where a saved step goes: the decision when asked for, else the next step, else the
    summary."""
    if request.POST.get("next") == "decision":
        return redirect("assessments:review_decision", pk=assessment.pk)
    if number < len(steps):
        return redirect("assessments:review_step", pk=assessment.pk, step=number + 1)
    return redirect("assessments:review_summary", pk=assessment.pk)


@kept_personal_page
@login_required
@never_cache
@require_GET
def review(request, pk):
    """The review's task list: each step of skills with its status, the summary, the decision."""
    assessment, elsewhere = _reviewable(request, pk)
    if elsewhere:
        return elsewhere
    ratings = _ratings(assessment)
    steps = review_steps(ratings)
    remaining = sum(
        1 for rating in ratings if not rating.manager_proficiency and rating.self_proficiency
    )
    return render(
        request,
        "assessments/review/review.html",
        {
            "assessment": assessment,
            "steps": steps,
            "agreed": sum(step["agreed"] for step in steps),
            "total": len(ratings),
            "remaining": remaining,
            "lock_form": LockForm(initial={"lock_version": assessment.lock_version}),
            # The development plan, beside the review (assessments.plan_views).
            "plan": plan_for_review(request.user, assessment.person),
        },
    )


def _save(request, assessment, form, remake, **values):
    """review_save what a valid step or summary form holds; (saved, form to show if not).

    A page drawn before another save (another tab) gets `remake(fresh assessment, data)`: what
    they typed, which is kept, with the current lock_version and the error, beside the latest
    saved values, so that saving again (now knowingly) works. Other refusals go on the form."""
    try:
        services.review_save(
            assessment=assessment,
            by=person_for(request.user),
            lock_version=form.cleaned_data["lock_version"],
            **values,
        )
    except StaleEdit as error:
        fresh = get_assessment_for_reviewer(request.user, assessment.pk)
        data = request.POST.copy()
        data["lock_version"] = str(fresh.lock_version)
        form = remake(fresh, data)
        form.is_valid()
        form.add_error(None, error.messages[0])
        return False, form
    except ValidationError as error:
        form.add_error(None, error.messages[0])
        return False, form
    return True, form


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def review_step(request, pk, step):
    """One step of the review: up to REVIEW_STEP_SIZE skills, each side by side with radios
    for the agreed proficiency (none chosen until the manager chooses) and a comment. Every
    button saves first, including the one that goes on to the decision, so nothing typed is
    left behind."""
    assessment, elsewhere = _reviewable(request, pk)
    if elsewhere:
        return elsewhere
    ratings = _ratings(assessment)
    steps = review_steps(ratings)
    if not 1 <= step <= len(steps):
        raise Http404("No such step")
    chunk = steps[step - 1]["ratings"]
    descriptors = _descriptors(assessment, chunk)
    if request.method == "POST":
        form = ReviewForm(
            request.POST, assessment=assessment, ratings=chunk, descriptors=descriptors
        )
        if form.is_valid():

            def remake(fresh, data):
                fresh_chunk = review_steps(_ratings(fresh))[step - 1]["ratings"]
                return ReviewForm(
                    data, assessment=fresh, ratings=fresh_chunk, descriptors=descriptors
                )

            saved, form = _save(request, assessment, form, remake, ratings=form.rating_values())
            if saved:
                messages.success(request, SAVED)
                return _after_save(request, assessment, steps, step)
    else:
        form = ReviewForm(assessment=assessment, ratings=chunk, descriptors=descriptors)
    return render(
        request,
        "assessments/review/step.html",
        {
            "assessment": assessment,
            "form": form,
            "step": steps[step - 1],
            "steps": steps,
            "is_last": step == len(steps),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def review_summary(request, pk):
    """The last step: the overall summary, saved before going on to the decision."""
    assessment, elsewhere = _reviewable(request, pk)
    if elsewhere:
        return elsewhere
    if request.method == "POST":
        form = SummaryForm(request.POST)
        if form.is_valid():
            saved, form = _save(
                request,
                assessment,
                form,
                lambda _fresh, data: SummaryForm(data),
                ratings={},
                summary=form.cleaned_data["summary"],
            )
            if saved:
                messages.success(request, SAVED)
                if request.POST.get("next") == "tasks":
                    return redirect("assessments:review", pk=assessment.pk)
                return redirect("assessments:review_decision", pk=assessment.pk)
    else:
        form = SummaryForm(
            initial={"summary": assessment.manager_summary, "lock_version": assessment.lock_version}
        )
    return render(
        request, "assessments/review/summary.html", {"assessment": assessment, "form": form}
    )


@login_required
@never_cache
@require_POST
def review_agree_remaining(request, pk):
    """Agree with the member of staff's own rating for every skill not yet agreed or adjusted."""
    assessment = get_assessment_for_reviewer(request.user, pk)
    form = LockForm(request.POST)
    try:
        count = services.review_agree_remaining(
            assessment=assessment,
            by=person_for(request.user),
            lock_version=form.cleaned_data["lock_version"] if form.is_valid() else None,
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, AGREED_REMAINING.format(count=count, s=pluralize(count)))
    return redirect("assessments:review", pk=assessment.pk)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def review_decision(request, pk):
    assessment, elsewhere = _reviewable(request, pk)
    if elsewhere:
        return elsewhere
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
            "first_incomplete": next(
                (step for step in review_steps(ratings) if step["status"] != STEP_COMPLETED),
                None,
            ),
        },
    )


def reviewed_by(me):
    """Assessments `me` has signed off or returned (and that are still so), newest decision
    first, each with `decided_at`."""
    decided_at = Case(
        When(status=AssessmentStatus.SIGNED_OFF, then=F("signed_off_at")),
        default=F("returned_at"),
    )
    return (
        SelfAssessment.objects.filter(reviewer=me, status__in=DECIDED)
        .select_related("person")
        .only(
            "pk",
            "status",
            "level_name",
            "signed_off_at",
            "returned_at",
            "reviewer_id",
            "person__name",
        )
        .annotate(decided_at=decided_at)
        .order_by("-decided_at", "-pk")
    )


@login_required
@never_cache
@require_GET
def review_history(request):
    """The assessments the signed-in manager has signed off or returned, newest first."""
    me = person_for(request.user)
    page = None
    if me is not None:
        page = Paginator(reviewed_by(me), REVIEWED_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/review/reviewed.html",
        {"page": page, "pagination": pagination(page) if page else None},
    )


def pagination(page):
    """What GOV.UK's pagination component needs: previous, next and the numbered links, with
    the first, the last and those around the current page, and gaps as ellipses."""
    count, current = page.paginator.num_pages, page.number
    items, last_shown = [], 0
    for number in range(1, count + 1):
        if number in (1, count) or abs(number - current) <= 1:
            if number - last_shown > 1:
                items.append({"ellipsis": True})
            items.append({"number": number, "current": number == current})
            last_shown = number
    return {
        "items": items if count > 1 else [],
        "previous": current - 1 if page.has_previous() else None,
        "next": current + 1 if page.has_next() else None,
    }


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
    me = person_for(request.user)
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
            "reviewed_by_me": me is not None and assessment.reviewer_id == me.pk,
            # The development plan, beside the review (assessments.plan_views).
            "plan": plan_for_review(request.user, assessment.person),
        },
    )


urlpatterns = [
    path("reviews/", review_queue, name="review_queue"),
    path("reviews/reviewed/", review_history, name="review_history"),
    path("reviews/<int:pk>/", review, name="review"),
    path("reviews/<int:pk>/skills/<int:step>/", review_step, name="review_step"),
    path("reviews/<int:pk>/summary/", review_summary, name="review_summary"),
    path(
        "reviews/<int:pk>/agree-remaining/",
        review_agree_remaining,
        name="review_agree_remaining",
    ),
    path("reviews/<int:pk>/decision/", review_decision, name="review_decision"),
    path("reviews/<int:pk>/done/", review_done, name="review_done"),
    path("reviews/<int:pk>/read/", team_assessment, name="team_assessment"),
]
