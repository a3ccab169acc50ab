"""Your career: a personal home, your skill profile, your readiness for a level and where you
could move.

Every page is about the signed-in person and nobody else: no URL carries an id. Anonymous
visitors are sent to sign in (LoginRequiredMiddleware and login_required); a signed-in user with
no current staff record (a service administrator, a leaver) gets the "no staff record" page with
403, as the assessment pages do; nothing here is stored by any cache. Each page runs a fixed
number of queries whatever the size of the organisation or the number of professions
(tests/careers/test_queries.py).
"""

from functools import wraps
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from assessments.permissions import EDITABLE_BY_AUTHOR
from careerpath.charts import DotRow, dot_chart
from people.subject_access import person_subject_access
from roles.models import PROFICIENCY_RANK, Grade, Proficiency
from roles.selectors import latest_framework_or_404, latest_frameworks

from .forms import MovesForm, TargetForm
from .selectors import (
    BELOW,
    NOT_ASSESSED,
    Target,
    current_target,
    find_target,
    line_for,
    open_assessments,
    profile_for,
    rank_moves,
    skill_rows,
    staff_record,
    tally,
)
from .your_data import readable
from .your_data import sections as your_data_sections

NO_STAFF_RECORD_TEMPLATE = "careers/no_staff_record.html"
PROFICIENCY_LABELS = [Proficiency(value).label for value in PROFICIENCY_RANK]
CHART_SERIES = ["Expected at this level", "Your own rating", "Agreed at sign-off"]


def career_page(view):
    """Signed in, with a current staff record (request.person), GET only, never cached."""

    @login_required
    @never_cache
    @require_GET
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        person = staff_record(request.user)
        if person is None:
            return render(request, NO_STAFF_RECORD_TEMPLATE, status=403)
        request.person = person
        return view(request, *args, **kwargs)

    return wrapper


def _target_from_request(request, frameworks, default):
    """(form, target): the level named by ?level=, or `default` when none is named; a value
    that names no published level gives a form with its error and no target."""
    if request.GET.get("level"):
        form = TargetForm(request.GET, frameworks=frameworks)
        if not form.is_valid():
            return form, None
        return form, find_target(frameworks, form.cleaned_data["level"])
    initial = {"level": default.value} if default else {}
    return TargetForm(initial=initial, frameworks=frameworks), default


def _readiness_url(target: Target | None) -> str:
    if target is None:
        return ""
    return reverse("careers:readiness") + "?level=" + quote(target.value, safe="/")


@career_page
def home(request: HttpRequest) -> HttpResponse:
    me = request.person
    current = next_up = None
    if me.profession_id and me.role_level_id:
        try:
            framework = latest_framework_or_404(me.profession.slug)
        except Http404:
            framework = None
        if framework is not None:
            current = current_target([framework], me)
            next_up = current.next if current else None
    profile = profile_for(me)
    in_progress = open_assessments(me)
    line = line_for(me)
    manager = me.line_manager if me.line_manager and me.line_manager.is_active else None
    return render(
        request,
        "careers/home.html",
        {
            "person": me,
            "grade_label": Grade(me.grade).label,
            "manager": manager,
            "current": current,
            "next_up": next_up,
            "next_readiness_url": _readiness_url(next_up),
            "profile": profile,
            "outcome": profile.counts() if profile else None,
            "in_progress": in_progress,
            "editable_statuses": EDITABLE_BY_AUTHOR,
            "line": line,
        },
    )


@career_page
def your_data(request: HttpRequest) -> HttpResponse:
    """Everything held about the signed-in person, from the subject access export's own data."""
    data = person_subject_access(request.person)
    return render(
        request,
        "careers/your_data.html",
        {
            "person": request.person,
            "generated_at": readable("generated_at", data["generated_at"]).text,
            "sections": your_data_sections(data),
        },
    )


def _profile_chart(target: Target, rows, counted) -> object:
    def column(value):
        return PROFICIENCY_RANK[value] - 1 if value else None

    summary = (
        f"Against {target.level.name} in {target.framework.profession_name}, your agreed "
        f"proficiency meets or is above what the level expects in {counted.met} of "
        f"{counted.total} skills; {counted.below} below"
    )
    if counted.not_assessed:
        summary += f"; {counted.not_assessed} not assessed"
    return dot_chart(
        chart_id="profile-chart",
        title=f"Your proficiency in each skill of {target.level.name}, with what it expects",
        summary=summary + ".",
        columns=PROFICIENCY_LABELS,
        series=CHART_SERIES,
        rows=[
            DotRow(
                label=row.skill.name,
                values=(column(row.expected), column(row.own), column(row.agreed)),
                note="not assessed" if row.status == NOT_ASSESSED else "",
            )
            for row in rows
        ],
    )


@career_page
def profile(request: HttpRequest) -> HttpResponse:
    me = request.person
    frameworks = latest_frameworks()
    current = current_target(frameworks, me)
    form, target = _target_from_request(request, frameworks, current)
    mine = profile_for(me)
    context = {
        "person": me,
        "form": form,
        "current": current,
        "next_up": current.next if current else None,
        "target": target,
        "profile": mine,
        "in_progress": open_assessments(me) if mine is None else [],
    }
    if mine is not None and target is not None:
        rows = skill_rows(target.level, mine)
        counted = tally(rows)
        context.update(
            rows=rows,
            tally=counted,
            chart=_profile_chart(target, rows, counted),
            readiness_url=_readiness_url(target),
        )
    return render(request, "careers/profile.html", context)


@career_page
def readiness(request: HttpRequest) -> HttpResponse:
    me = request.person
    frameworks = latest_frameworks()
    current = current_target(frameworks, me)
    next_up = current.next if current else None
    form, target = _target_from_request(request, frameworks, next_up)
    mine = profile_for(me)
    context = {
        "person": me,
        "form": form,
        "current": current,
        "next_up": next_up,
        "target": target,
        "profile": mine,
    }
    if target is not None:
        rows = skill_rows(target.level, mine)
        context.update(
            met=[row for row in rows if row.met],
            gaps=[row for row in rows if row.status in (BELOW, NOT_ASSESSED)],
            tally=tally(rows),
            qualifications=list(getattr(target.level, "qualifications", ()) or ()),
            is_current=current is not None and target.value == current.value,
        )
    return render(request, "careers/readiness.html", context)


@career_page
def moves(request: HttpRequest) -> HttpResponse:
    me = request.person
    grade_label = Grade(me.grade).label
    form = MovesForm(request.GET or None)
    sideways_only = form.is_valid() and form.cleaned_data["sideways"]
    frameworks = latest_frameworks()
    current = current_target(frameworks, me)
    mine = profile_for(me)
    ranked = rank_moves(frameworks, mine, person=me, current=current) if mine else []
    shown = [move for move in ranked if move.sideways] if sideways_only else ranked
    return render(
        request,
        "careers/moves.html",
        {
            "person": me,
            "form": form,
            "grade_label": grade_label,
            "current": current,
            "profile": mine,
            "in_progress": open_assessments(me) if mine is None else [],
            "moves": shown,
            "sideways_only": sideways_only,
            "sideways_count": sum(1 for move in ranked if move.sideways),
        },
    )
