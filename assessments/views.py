"""Staff side: "Your assessments" and the self-assessment journey (GOV.UK task list pattern).

Every page here is personal: it needs a signed-in user with a staff record, answers 404 for
anyone else's assessment and is never cached (`staff_page`). Writes go through
assessments.services, and so through assessments.lifecycle.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from people.models import Person
from people.permissions import person_for
from roles.models import Proficiency
from roles.selectors import framework_for_version_id, latest_framework_or_404, latest_frameworks

from . import services
from .emails import base_url_of
from .forms import ChooseLevelForm, LockForm, RatingForm, SubmitForm
from .lifecycle import CANNOT_WITHDRAW_REVIEW_STARTED, StaleEdit
from .models import AssessmentEvent, AssessmentStatus, Rating, SelfAssessment
from .permissions import EDITABLE_BY_AUTHOR, get_own_assessment
from .personal_pages import kept_personal_page

NO_STAFF_RECORD_TEMPLATE = "assessments/no_staff_record.html"
SAVED = "Your answers have been saved. You can come back to them at any time"
WITHDRAWN = "You have withdrawn your assessment. It is a draft again, so you can change it"
ALREADY_OPEN = "You already have an assessment of this level in progress, so we opened it"
DELETED = "Your draft assessment has been deleted"
START_FROM_REQUIRED = "Select whether to start from your last assessment or with a blank one"
START_FROM_CHOICES = ("last", "blank")


def staff_page(view):
    """Signed in, with a staff record (request.person), and never stored by any cache."""

    @login_required
    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        person = person_for(request.user)
        if person is None:
            if "pk" in kwargs:
                # Someone else's assessment, whoever asks: never say whether it exists.
                raise Http404("No such assessment")
            return render(request, NO_STAFF_RECORD_TEMPLATE, status=403)
        request.person = person
        return view(request, *args, **kwargs)

    return wrapper


def _own(request, pk):
    return get_own_assessment(request.user, pk)


def _editable_or_redirect(assessment):
    if assessment.status not in EDITABLE_BY_AUTHOR:
        return redirect("assessments:assessment_detail", pk=assessment.pk)
    return None


def _framework_level(assessment):
    """The pinned version's Framework and the assessed level as it was published."""
    framework = framework_for_version_id(assessment.framework_version_id)
    return framework, framework.level(assessment.level_slug)


def _agreed(assessment, rating):
    if assessment.status == AssessmentStatus.SIGNED_OFF and rating.manager_proficiency:
        return rating.manager_proficiency
    return rating.self_proficiency


def _gaps(assessment):
    """Skills of an assessment below the expected proficiency, each with learning resources."""
    framework, _level = _framework_level(assessment)
    ratings = assessment.ratings.select_related("skill").only(
        "pk",
        "skill_name",
        "position",
        "expected_proficiency",
        "self_proficiency",
        "manager_proficiency",
        "assessment_id",
        "skill__slug",
    )
    gaps = []
    for rating in ratings.order_by("position"):
        agreed = _agreed(assessment, rating)
        if not agreed:
            continue
        have, want = Proficiency.rank(agreed), Proficiency.rank(rating.expected_proficiency)
        if have >= want:
            continue
        skill = framework.skills.get(rating.skill.slug)
        resources = skill.resources_between(agreed, rating.expected_proficiency) if skill else []
        gaps.append(
            {
                "name": rating.skill_name,
                "slug": rating.skill.slug,
                "agreed": Proficiency(agreed).label,
                "expected": Proficiency(rating.expected_proficiency).label,
                "resources": resources,
                "level": f"{framework.profession_slug}/{assessment.level_slug}",
            }
        )
    return gaps


@kept_personal_page
@staff_page
def assessment_list(request):
    me = request.person
    assessments = list(SelfAssessment.objects.filter(person=me).order_by("-created_at", "-pk"))
    events = list(
        AssessmentEvent.objects.filter(assessment__person=me)
        .select_related("by")
        .order_by("-at", "-pk")
    )
    by_id = {assessment.pk: assessment for assessment in assessments}
    for event in events:
        event.assessment = by_id[event.assessment_id]
    latest = assessments[0] if assessments else None
    return render(
        request,
        "assessments/assessment_list.html",
        {
            "person": me,
            "assessments": assessments,
            "events": events,
            "latest": latest,
            "gaps": _gaps(latest) if latest else [],
            "editable_statuses": EDITABLE_BY_AUTHOR,
        },
    )


def _level_from_params(profession_slug, level_slug):
    framework = latest_framework_or_404(profession_slug)
    return framework, framework.level(level_slug)


def _choice_page(request, form):
    me = request.person
    frameworks = list(latest_frameworks())
    suggestions = []
    if me.profession_id and me.role_level_id:
        current = Person.objects.select_related("role_level", "profession").get(pk=me.pk)
        framework = next(
            (f for f in frameworks if f.profession_slug == current.profession.slug), None
        )
        level = None
        if framework is not None:
            level = next(
                (lv for lv in framework.levels if lv.slug == current.role_level.slug), None
            )
        if level is not None:
            suggestions.append(("Your current level", framework, level))
            following = framework.next_level(level)
            if following is not None:
                suggestions.append(("The next level up", framework, following))
    if form is None:
        form = ChooseLevelForm(frameworks=frameworks)
    return render(
        request,
        "assessments/assessment_choose.html",
        {"form": form, "suggestions": suggestions},
    )


@staff_page
@require_http_methods(["GET", "POST"])
def assessment_start(request):
    me = request.person
    source = request.POST if request.method == "POST" else request.GET
    if "choice" in request.GET:
        form = ChooseLevelForm(request.GET, frameworks=list(latest_frameworks()))
        if not form.is_valid():
            return _choice_page(request, form)
        profession_slug, _, level_slug = form.cleaned_data["choice"].partition("/")
        url = reverse("assessments:assessment_start")
        return redirect(f"{url}?profession={profession_slug}&level={level_slug}")
    profession_slug = source.get("profession", "")
    level_slug = source.get("level", "")
    if not profession_slug or not level_slug:
        return _choice_page(request, None)
    framework, level = _level_from_params(profession_slug, level_slug)
    error = None
    last = services.latest_signed_off(me)
    if request.method == "POST":
        how = request.POST.get("start_from", "")
        try:
            if last is not None and how not in START_FROM_CHOICES:
                raise ValidationError(START_FROM_REQUIRED)
            assessment, created = services.assessment_start(
                person=me,
                profession_slug=profession_slug,
                level_slug=level_slug,
                from_last=how == "last",
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            if not created:
                messages.info(request, ALREADY_OPEN)
            return redirect("assessments:assessment_task_list", pk=assessment.pk)
    existing = (
        SelfAssessment.objects.open()
        .filter(
            person=me,
            role_level__profession__slug=profession_slug,
            role_level__slug=level_slug,
        )
        .first()
    )
    return render(
        request,
        "assessments/assessment_start.html",
        {
            "framework": framework,
            "level": level,
            "existing": existing,
            "error": error,
            "last": last,
            "start_from": request.POST.get("start_from", ""),
            "has_reviewer": services.has_reviewer(me),
        },
    )


@kept_personal_page
@staff_page
def assessment_task_list(request, pk):
    assessment = _own(request, pk)
    if response := _editable_or_redirect(assessment):
        return response
    ratings = list(assessment.ratings.order_by("position"))
    returned = assessment.status == AssessmentStatus.RETURNED
    for rating in ratings:
        if returned and rating.manager_comment:
            rating.task_status = "changes"
        elif rating.copied and rating.self_proficiency:
            rating.task_status = "copied"
        elif rating.self_proficiency:
            rating.task_status = "completed"
        else:
            rating.task_status = "not_started"
    done = sum(1 for rating in ratings if rating.task_status == "completed")
    return render(
        request,
        "assessments/assessment_task_list.html",
        {
            "assessment": assessment,
            "ratings": ratings,
            "done": done,
            "copied": any(rating.task_status == "copied" for rating in ratings),
            "all_done": all(rating.task_status != "not_started" for rating in ratings)
            and not any(rating.task_status == "copied" for rating in ratings),
            "has_reviewer": services.has_reviewer(request.person),
        },
    )


@staff_page
@require_http_methods(["GET", "POST"])
def assessment_skill(request, pk, rating_pk):
    assessment = _own(request, pk)
    if response := _editable_or_redirect(assessment):
        return response
    rating = get_object_or_404(
        Rating.objects.select_related("skill"), pk=rating_pk, assessment=assessment
    )
    framework, level = _framework_level(assessment)
    skill = framework.skills.get(rating.skill.slug)
    expectation = level.expectation_for(rating.skill.slug) if level else None
    descriptors = skill.descriptors if skill else {}
    from_check = request.GET.get("from") == "check"
    form_kwargs = {"skill_name": rating.skill_name, "descriptors": descriptors}
    stale = None
    if request.method == "POST":
        action = request.POST.get("action", "continue")
        form = RatingForm(request.POST, require_proficiency=action != "later", **form_kwargs)
        if form.is_valid():
            try:
                services.rating_save(
                    assessment=assessment,
                    rating_id=rating.pk,
                    self_proficiency=form.cleaned_data["self_proficiency"],
                    evidence=form.cleaned_data["evidence"],
                    lock_version=form.cleaned_data["lock_version"],
                    by=request.person,
                )
            except StaleEdit as exc:
                # Show what they typed with the stored version's lock, so a second save is a
                # deliberate choice; what is stored now is shown beside it.
                stale = Rating.objects.get(pk=rating.pk)
                fresh_lock = SelfAssessment.objects.values_list("lock_version", flat=True).get(
                    pk=assessment.pk
                )
                data = request.POST.copy()
                data["lock_version"] = str(fresh_lock)
                form = RatingForm(data, **form_kwargs)
                form.is_valid()
                form.add_error(None, exc.messages)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                if action == "later":
                    messages.success(request, SAVED)
                    return redirect("assessments:assessment_task_list", pk=assessment.pk)
                if from_check:
                    return redirect("assessments:assessment_check", pk=assessment.pk)
                following = (
                    Rating.objects.filter(assessment=assessment, position__gt=rating.position)
                    .order_by("position")
                    .values_list("pk", flat=True)
                    .first()
                )
                if following is None:
                    return redirect("assessments:assessment_check", pk=assessment.pk)
                return redirect(
                    "assessments:assessment_skill", pk=assessment.pk, rating_pk=following
                )
    else:
        form = RatingForm(
            initial={
                "self_proficiency": rating.self_proficiency,
                "evidence": rating.evidence,
                "lock_version": assessment.lock_version,
            },
            **form_kwargs,
        )
    return render(
        request,
        "assessments/assessment_skill.html",
        {
            "assessment": assessment,
            "rating": rating,
            "skill": skill,
            "expectation": expectation,
            "expected_label": Proficiency(rating.expected_proficiency).label,
            "expected_descriptor": descriptors.get(rating.expected_proficiency, ""),
            "form": form,
            "stale": stale,
            "from_check": from_check,
        },
    )


def _check_page(request, assessment, form, status=200):
    ratings = list(assessment.ratings.order_by("position"))
    unrated = [rating for rating in ratings if not rating.self_proficiency]
    return render(
        request,
        "assessments/assessment_check.html",
        {
            "assessment": assessment,
            "ratings": ratings,
            "unrated": unrated,
            # Evidence is not required, but a review without it is hard: say which have none.
            "without_evidence": [rating for rating in ratings if not rating.evidence.strip()],
            "has_reviewer": services.has_reviewer(request.person),
            "form": form,
        },
        status=status,
    )


@kept_personal_page
@staff_page
def assessment_check(request, pk):
    assessment = _own(request, pk)
    if response := _editable_or_redirect(assessment):
        return response
    form = SubmitForm(initial={"lock_version": assessment.lock_version})
    return _check_page(request, assessment, form)


@staff_page
@require_POST
def assessment_submit(request, pk):
    assessment = _own(request, pk)
    if response := _editable_or_redirect(assessment):
        return response
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_submit(
                assessment=assessment,
                by=request.person,
                declaration=form.cleaned_data["declaration"],
                lock_version=form.cleaned_data["lock_version"],
                base_url=base_url_of(request),
            )
        except StaleEdit as exc:
            assessment.refresh_from_db()
            data = request.POST.copy()
            data["lock_version"] = str(assessment.lock_version)
            form = SubmitForm(data)
            form.is_valid()
            form.add_error(None, exc.messages)
        except ValidationError as exc:
            for error in exc.error_list:
                field = "declaration" if error.code == "declaration" else None
                form.add_error(field, error)
        else:
            return redirect("assessments:assessment_confirmation", pk=assessment.pk)
    return _check_page(request, assessment, form)


@staff_page
def assessment_confirmation(request, pk):
    assessment = _own(request, pk)
    if assessment.status not in (AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW):
        return redirect("assessments:assessment_detail", pk=assessment.pk)
    manager = (
        Person.objects.filter(pk=request.person.line_manager_id, is_active=True)
        .only("name")
        .first()
    )
    return render(
        request,
        "assessments/assessment_confirmation.html",
        {"assessment": assessment, "manager": manager},
    )


@staff_page
@require_http_methods(["GET", "POST"])
def assessment_withdraw(request, pk):
    assessment = _own(request, pk)
    if request.method == "POST":
        form = LockForm(request.POST)
        try:
            services.assessment_withdraw(
                assessment=assessment,
                by=request.person,
                # A missing or mangled lock is refused as stale by the lifecycle, after it has
                # said whether the assessment can be withdrawn at all.
                lock_version=form.cleaned_data["lock_version"] if form.is_valid() else None,
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("assessments:assessment_detail", pk=assessment.pk)
        messages.success(request, WITHDRAWN)
        return redirect("assessments:assessment_task_list", pk=assessment.pk)
    if assessment.status != AssessmentStatus.SUBMITTED:
        if assessment.status == AssessmentStatus.IN_REVIEW:
            messages.error(request, CANNOT_WITHDRAW_REVIEW_STARTED)
        return redirect("assessments:assessment_detail", pk=assessment.pk)
    form = LockForm(initial={"lock_version": assessment.lock_version})
    return render(
        request, "assessments/assessment_withdraw.html", {"assessment": assessment, "form": form}
    )


@staff_page
@require_http_methods(["GET", "POST"])
def assessment_delete(request, pk):
    """Delete a draft: a confirmation page, then the lifecycle's delete."""
    assessment = _own(request, pk)
    if request.method == "POST":
        form = LockForm(request.POST)
        try:
            services.assessment_delete(
                assessment=assessment,
                by=request.person,
                lock_version=form.cleaned_data["lock_version"] if form.is_valid() else None,
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("assessments:assessment_detail", pk=assessment.pk)
        messages.success(request, DELETED)
        return redirect("assessments:assessment_list")
    if assessment.status != AssessmentStatus.DRAFT:
        return redirect("assessments:assessment_detail", pk=assessment.pk)
    form = LockForm(initial={"lock_version": assessment.lock_version})
    return render(
        request, "assessments/assessment_delete.html", {"assessment": assessment, "form": form}
    )


@kept_personal_page
@staff_page
def assessment_detail(request, pk):
    assessment = _own(request, pk)
    ratings = list(assessment.ratings.order_by("position"))
    outcome_visible = assessment.status in (
        AssessmentStatus.SIGNED_OFF,
        AssessmentStatus.RETURNED,
    )
    for rating in ratings:
        rating.agreed = _agreed(assessment, rating)
    reviewer = None
    if assessment.reviewer_id and outcome_visible:
        reviewer = Person.objects.filter(pk=assessment.reviewer_id).only("name").first()
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "ratings": ratings,
            "outcome_visible": outcome_visible,
            "reviewer": reviewer,
            "editable": assessment.status in EDITABLE_BY_AUTHOR,
        },
    )


urlpatterns = [
    path("assessments/", assessment_list, name="assessment_list"),
    path("assessments/start/", assessment_start, name="assessment_start"),
    path("assessments/<int:pk>/", assessment_task_list, name="assessment_task_list"),
    path(
        "assessments/<int:pk>/skills/<int:rating_pk>/",
        assessment_skill,
        name="assessment_skill",
    ),
    path("assessments/<int:pk>/check/", assessment_check, name="assessment_check"),
    path("assessments/<int:pk>/submit/", assessment_submit, name="assessment_submit"),
    path(
        "assessments/<int:pk>/submitted/",
        assessment_confirmation,
        name="assessment_confirmation",
    ),
    path("assessments/<int:pk>/withdraw/", assessment_withdraw, name="assessment_withdraw"),
    path("assessments/<int:pk>/view/", assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/delete/", assessment_delete, name="assessment_delete"),
]
