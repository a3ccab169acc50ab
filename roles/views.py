"""Public pages of the published frameworks: professions, pathways, levels, skills, compare
(search is the search app's).

Every page reads published versions only, through roles.selectors: one query names the latest
version(s) and the Framework built from each snapshot is kept in memory per version, so each
page runs a fixed number of queries whatever the size of the frameworks. The rendered content of
the pathway, level and skill pages is also cached per published version (template fragments
keyed by Framework.cache_key), so a new publication shows at once.
"""

from django.http import Http404
from django.shortcuts import render

from careerpath.public_cache import cached_public_page
from careerpath.views import public

from . import selectors
from .compare import compare_levels as compare_two_levels
from .compare import compare_roles as compare_two_roles
from .forms import CompareLevelsForm, CompareRolesForm, role_value


@public
@cached_public_page
def profession_list(request):
    return render(
        request, "roles/profession_list.html", {"frameworks": selectors.latest_frameworks()}
    )


@public
@cached_public_page
def pathway(request, profession):
    framework = selectors.latest_framework_or_404(profession)
    return render(request, "roles/pathway.html", {"framework": framework})


@public
@cached_public_page
def level(request, profession, level):
    framework = selectors.latest_framework_or_404(profession)
    current = framework.level(level)
    return render(
        request,
        "roles/level.html",
        {
            "framework": framework,
            "level": current,
            "next_level": framework.next_level(current),
            "previous_level": framework.previous_level(current),
        },
    )


def _compare_levels_data(framework, query):
    """The form's data: from defaults to the first level, to to the level after from."""
    data = {"from": query.get("from", ""), "to": query.get("to", "")}
    levels = framework.levels
    if not data["from"] and not data["to"]:
        data["from"] = levels[0].slug
    if data["from"] and not data["to"]:
        current = framework.find_level(data["from"])
        following = framework.next_level(current) if current else None
        if following is not None:
            data["to"] = following.slug
        elif current is not None and len(levels) > 1:
            # From the highest level, look back at the one below it.
            data["to"] = data["from"]
            data["from"] = framework.previous_level(current).slug
    return data


@public
@cached_public_page
def compare_levels(request, profession):
    framework = selectors.latest_framework_or_404(profession)
    comparison = None
    form = None
    if len(framework.levels) > 1:
        form = CompareLevelsForm(
            _compare_levels_data(framework, request.GET), levels=framework.levels
        )
        if form.is_valid():
            comparison = compare_two_levels(
                framework.level(form.cleaned_data["from"]), framework.level(form.cleaned_data["to"])
            )
    return render(
        request,
        "roles/compare_levels.html",
        {"framework": framework, "form": form, "comparison": comparison},
    )


def _find_role(frameworks, value):
    for framework in frameworks:
        for candidate in framework.levels:
            if role_value(framework, candidate) == value:
                return framework, candidate
    raise Http404("No such role")  # the form has checked the value: cannot happen


@public
@cached_public_page
def compare_roles(request):
    frameworks = selectors.latest_frameworks()
    comparison = None
    if "to" in request.GET:
        form = CompareRolesForm(request.GET, frameworks=frameworks)
        if form.is_valid():
            current_framework, current = _find_role(frameworks, form.cleaned_data["from"])
            target_framework, target = _find_role(frameworks, form.cleaned_data["to"])
            comparison = compare_two_roles(current_framework, current, target_framework, target)
    else:
        # A link from a level page names only the current role: choose it, ask for the other.
        form = CompareRolesForm(
            initial={"from": request.GET.get("from", "")}, frameworks=frameworks
        )
    return render(
        request,
        "roles/compare_roles.html",
        {"form": form, "comparison": comparison, "frameworks": frameworks},
    )


def _skills_across(frameworks):
    """slug -> (SkillView from the most recent publication, [Framework that lists it])."""
    skills = {}
    newest_first = sorted(
        frameworks, key=lambda f: (f.published_at is not None, f.published_at), reverse=True
    )
    for framework in newest_first:
        for slug, skill in framework.skills.items():
            skills.setdefault(slug, (skill, []))[1].append(framework)
    for _skill, using in skills.values():
        using.sort(key=lambda f: f.profession_name.casefold())
    return skills


@public
@cached_public_page
def skill_list(request):
    skills = _skills_across(selectors.latest_frameworks())
    rows = sorted(skills.values(), key=lambda item: item[0].name.casefold())
    return render(request, "roles/skill_list.html", {"rows": rows})


@public
@cached_public_page
def skill(request, skill):
    frameworks = selectors.latest_frameworks()
    found = _skills_across(frameworks).get(skill)
    if found is None:
        raise Http404("No such skill")
    skill_view, using = found
    growth = [
        {
            "framework": framework,
            "rows": [
                (level, level.expectation_for(skill_view.slug))
                for level in framework.levels
                if level.expectation_for(skill_view.slug) is not None
            ],
        }
        for framework in using
    ]
    return render(
        request,
        "roles/skill.html",
        {
            "skill": skill_view,
            "growth": growth,
            "cache_key": "/".join(f.cache_key for f in using),
        },
    )
