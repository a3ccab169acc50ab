"""The development plan: the person's own pages under /your-career/plan/, and their plan as
their managers see it (/team/<person>/plan/), which the review pages also show beside the
review.

Who may open what is decided by assessments.plan_permissions: the person edits, their line
manager reads and comments, managers further up read; anyone else, the person themself on the
team URL, and an id that is not theirs get 404. Every page is personal, so never cached.
Writes go through assessments.plans, one call per write.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from people.models import Person
from roles.models import Proficiency

from . import plans
from .models import PlanAction, PlanComment, SelfAssessment
from .plan_forms import (
    NONE,
    ChooseSkillForm,
    PlanActionForm,
    PlanCommentForm,
    PlanDeleteForm,
    PlanStatusForm,
)
from .plan_permissions import (
    active_person_for,
    can_comment_on_plan,
    can_read_plan,
    get_own_plan_action,
    get_report_for_plan,
)

ADDED = "The action has been added to your development plan"
CHANGED = "The action has been changed"
STATUS_CHANGED = "The status of the action has been changed"
DELETED = "The action has been deleted from your development plan"
COMMENTED = "Your comment has been added"
NO_PLAN_TEMPLATE = "assessments/plan/no_plan.html"


def plan_page(view):
    """Signed in, with an active staff record (request.person), and never stored by a cache."""

    @login_required
    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        person = active_person_for(request.user)
        if person is None:
            if "pk" in kwargs:
                # Someone's action, whoever asks: never say whether it exists.
                raise Http404("No such action")
            # A leaver is told why; someone who never had a record is told that.
            inactive = Person.objects.filter(user_id=request.user.pk, is_active=False).exists()
            return render(request, NO_PLAN_TEMPLATE, {"inactive": inactive}, status=403)
        request.person = person
        return view(request, *args, **kwargs)

    return wrapper


def _actions(person, today):
    """The person's actions in plan order, each with its comments and their authors: two
    queries, however long the plan."""
    return list(
        PlanAction.objects.filter(person=person)
        .in_plan_order(today)
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=PlanComment.objects.select_related("author").only(
                    "pk", "action_id", "text", "created_at", "author__name"
                ),
            )
        )
    )


def plan_for_review(user, person):
    """The person's plan for the side of a review page, or None if `user` may not read it:
    one query."""
    if not can_read_plan(user, person):
        return None
    today = timezone.localdate()
    actions = list(
        PlanAction.objects.filter(person=person)
        .in_plan_order(today)
        .only("pk", "title", "skill_name", "target_date", "status", "completed_at")
    )
    return {
        "person": person,
        "actions": actions,
        "overdue": sum(1 for action in actions if action.is_overdue),
        "can_comment": can_comment_on_plan(user, person),
    }


# --- the person's own plan ------------------------------------------------------------------
@plan_page
@require_safe
def plan(request):
    today = timezone.localdate()
    actions = _actions(request.person, today)
    return render(
        request,
        "assessments/plan/plan.html",
        {
            "actions": actions,
            "overdue": sum(1 for action in actions if action.is_overdue),
            "today": today,
        },
    )


def _gap_suggestions(person):
    """Skills below what the level expects in the person's latest assessment, as the agreed
    (signed off) or their own ratings say, each with the level it was assessed against."""
    latest = (
        SelfAssessment.objects.filter(person=person)
        .select_related("framework_version__profession")
        .only("pk", "status", "level_slug", "level_name", "framework_version__profession__slug")
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is None:
        return None, []
    signed_off = latest.status == "signed_off"
    gaps = []
    for rating in latest.ratings.select_related("skill").order_by("position"):
        agreed = (signed_off and rating.manager_proficiency) or rating.self_proficiency
        if agreed and Proficiency.rank(agreed) < Proficiency.rank(rating.expected_proficiency):
            gaps.append({"slug": rating.skill.slug, "name": rating.skill_name})
    level_ref = f"{latest.framework_version.profession.slug}/{latest.level_slug}"
    return {"name": latest.level_name, "ref": level_ref}, gaps


def _choose_skill(request, form):
    level, gaps = _gap_suggestions(request.person)
    return render(
        request,
        "assessments/plan/choose_skill.html",
        {"form": form, "gaps": gaps, "level": level},
    )


def _put_errors(form, error):
    """A refusal from assessments.plans, each message beside the field it is about."""
    for item in error.error_list:
        message = item.messages[0]
        if item.code == plans.TARGET_DATE:
            form.add_date_error(message)
        elif item.code == plans.RESOURCE and "resource" in form.fields:
            form.add_error("resource", message)
        else:
            form.add_error(None, message)


@plan_page
@require_http_methods(["GET", "POST"])
def plan_add(request):
    if "skill" not in request.GET:
        return _choose_skill(request, ChooseSkillForm(skills=plans.published_skills()))
    choose = ChooseSkillForm(request.GET, skills=plans.published_skills())
    if not choose.is_valid():
        return _choose_skill(request, choose)
    skill_slug = choose.cleaned_data["skill"]
    skill = plans.published_skill(skill_slug)
    # The level the gap was found at, for its qualifications; one that is not published
    # (changed since, or mistyped) is left out rather than refused.
    level_ref = request.GET.get("level", "")
    found = plans.published_level(level_ref) if level_ref else None
    level = found[1] if found else None
    today = timezone.localdate()
    options = plans.resource_options(skill, level)
    if request.method == "POST":
        form = PlanActionForm(request.POST, options=options, today=today)
        if form.is_valid():
            try:
                action = plans.plan_action_add(
                    person=request.person,
                    skill_slug=skill_slug,
                    title=form.cleaned_data["title"],
                    details=form.cleaned_data["details"],
                    resource=form.cleaned_data.get("resource", ""),
                    target_date=form.cleaned_data["target_date"],
                    today=today,
                    level=level_ref if level else "",
                )
            except ValidationError as error:
                _put_errors(form, error)
            else:
                messages.success(request, ADDED)
                return redirect(f"{reverse('assessments:plan')}#action-{action.pk}")
    else:
        form = PlanActionForm(options=options, today=today)
    return render(
        request,
        "assessments/plan/action_form.html",
        {
            "form": form,
            "skill": skill,
            "level": level,
            "profession_name": found[0].profession_name if found else "",
            "adding": True,
        },
    )


@plan_page
@require_http_methods(["GET", "POST"])
def plan_action_edit(request, pk):
    action = get_own_plan_action(request.user, pk)
    today = timezone.localdate()
    options = plans.update_options(action)
    stale = False
    if request.method == "POST":
        form = PlanActionForm(request.POST, options=options, with_lock=True, today=today)
        if form.is_valid():
            try:
                plans.plan_action_update(
                    action=action,
                    by=request.person,
                    title=form.cleaned_data["title"],
                    details=form.cleaned_data["details"],
                    resource=form.cleaned_data.get("resource", ""),
                    target_date=form.cleaned_data["target_date"],
                    lock_version=form.cleaned_data["lock_version"],
                    today=today,
                )
            except plans.StalePlanEdit as error:
                # Keep what they typed, drawn now from the stored version, and show what is
                # stored beside it: saving again is a deliberate choice.
                action = get_own_plan_action(request.user, pk)
                data = request.POST.copy()
                data["lock_version"] = str(action.lock_version)
                form = PlanActionForm(data, options=options, with_lock=True, today=today)
                form.is_valid()
                form.add_error(None, error.messages[0])
                stale = True
            except ValidationError as error:
                _put_errors(form, error)
            else:
                messages.success(request, CHANGED)
                return redirect(f"{reverse('assessments:plan')}#action-{action.pk}")
    else:
        initial = {
            "title": action.title,
            "details": action.details,
            "resource": (
                plans.resource_key(action.resource_title, action.resource_url)
                if action.resource_title
                else NONE
            ),
            "lock_version": action.lock_version,
            **PlanActionForm.date_initial(action.target_date),
        }
        form = PlanActionForm(initial=initial, options=options, with_lock=True, today=today)
    return render(
        request,
        "assessments/plan/action_form.html",
        {"form": form, "action": action, "stale": action if stale else None, "adding": False},
    )


@plan_page
@require_http_methods(["GET", "POST"])
def plan_action_status(request, pk):
    action = get_own_plan_action(request.user, pk)
    if request.method == "POST":
        form = PlanStatusForm(request.POST)
        if form.is_valid():
            try:
                plans.plan_action_set_status(
                    action=action,
                    by=request.person,
                    status=form.cleaned_data["status"],
                    lock_version=form.cleaned_data["lock_version"],
                )
            except plans.StalePlanEdit as error:
                action = get_own_plan_action(request.user, pk)
                data = request.POST.copy()
                data["lock_version"] = str(action.lock_version)
                form = PlanStatusForm(data)
                form.is_valid()
                form.add_error("status", error.messages[0])
            except ValidationError as error:
                form.add_error("status", error.messages[0])
            else:
                messages.success(request, STATUS_CHANGED)
                return redirect(f"{reverse('assessments:plan')}#action-{action.pk}")
    else:
        form = PlanStatusForm(
            initial={"status": action.status, "lock_version": action.lock_version}
        )
    return render(request, "assessments/plan/status.html", {"form": form, "action": action})


@plan_page
@require_http_methods(["GET", "POST"])
def plan_action_delete(request, pk):
    action = get_own_plan_action(request.user, pk)
    if request.method == "POST":
        form = PlanDeleteForm(request.POST)
        try:
            plans.plan_action_delete(
                action=action,
                by=request.person,
                # A missing or mangled lock is refused as stale by the service.
                lock_version=form.cleaned_data["lock_version"] if form.is_valid() else None,
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("assessments:plan_action_delete", pk=action.pk)
        messages.success(request, DELETED)
        return redirect("assessments:plan")
    form = PlanDeleteForm(initial={"lock_version": action.lock_version})
    comments = action.comments.count()
    return render(
        request,
        "assessments/plan/delete.html",
        {"form": form, "action": action, "comments": comments},
    )


# --- a report's plan, for their managers ----------------------------------------------------
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def team_plan(request, person_pk):
    """Read only for managers further up; the line manager may also comment on each action."""
    person = get_report_for_plan(request.user, person_pk)
    can_comment = can_comment_on_plan(request.user, person)
    today = timezone.localdate()
    bound = None
    if request.method == "POST":
        if not can_comment:
            raise PermissionDenied(plans.ONLY_LINE_MANAGER_COMMENTS)
        action = get_object_or_404(
            PlanAction.objects.only("pk", "title", "person_id"),
            pk=_int_or_none(request.POST.get("action")),
            person=person,
        )
        bound = PlanCommentForm(
            request.POST, prefix=f"action-{action.pk}", action_title=action.title
        )
        bound.action_pk = action.pk
        if bound.is_valid():
            try:
                plans.plan_comment_add(
                    action=action,
                    by=active_person_for(request.user),
                    text=bound.cleaned_data["text"],
                )
            except ValidationError as error:
                bound.add_error("text", error.messages[0])
            else:
                messages.success(request, COMMENTED)
                url = reverse("assessments:team_plan", args=[person.pk])
                return redirect(f"{url}#action-{action.pk}")
    actions = _actions(person, today)
    if can_comment:
        for action in actions:
            if bound is not None and bound.action_pk == action.pk:
                action.comment_form = bound
            else:
                action.comment_form = PlanCommentForm(
                    prefix=f"action-{action.pk}", action_title=action.title
                )
    return render(
        request,
        "assessments/plan/team_plan.html",
        {
            "person": person,
            "actions": actions,
            "overdue": sum(1 for action in actions if action.is_overdue),
            "can_comment": can_comment,
            "form": bound,
            "today": today,
        },
    )


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


urlpatterns = [
    path("your-career/plan/", plan, name="plan"),
    path("your-career/plan/add/", plan_add, name="plan_add"),
    path("your-career/plan/<int:pk>/", plan_action_edit, name="plan_action_edit"),
    path("your-career/plan/<int:pk>/status/", plan_action_status, name="plan_action_status"),
    path("your-career/plan/<int:pk>/delete/", plan_action_delete, name="plan_action_delete"),
    path("team/<int:person_pk>/plan/", team_plan, name="team_plan"),
]
