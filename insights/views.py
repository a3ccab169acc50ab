"""Aggregate figures on a profession's self-assessments, for its heads of profession.

The "aggregate only" cell of the access matrix: a head of profession sees counts, never a name
or an individual record. Anyone else signed in gets 404, so the page does not even say it exists
for that profession; LoginRequiredMiddleware sends anonymous visitors to sign in.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from roles.models import Profession
from roles.selectors import latest_framework_or_404

from .reports import SMALL_NUMBER_TEXT, SMALL_NUMBER_THRESHOLD, profession_insights


def profession_for_head_or_404(user, slug):
    """The profession with this slug when the user heads it (or is a superuser): one query."""
    profession = Profession.objects.headed_by(user).filter(slug=slug).first()
    if profession is None:
        raise Http404("No such page")
    return profession


def _latest_framework(profession):
    try:
        return latest_framework_or_404(profession.slug)
    except Http404:
        return None  # nothing published yet: the figures by level are left out


@login_required
@never_cache
@require_GET
def profession_insights_view(request, profession):
    profession = profession_for_head_or_404(request.user, profession)
    framework = _latest_framework(profession)
    insights = profession_insights(profession=profession, framework=framework)
    return render(
        request,
        "insights/profession.html",
        {
            "profession": profession,
            "framework": framework,
            "insights": insights,
            "threshold": SMALL_NUMBER_THRESHOLD,
            "small_number_text": SMALL_NUMBER_TEXT,
        },
    )


urlpatterns = [
    path(
        "professions/<slug:profession>/insights/",
        profession_insights_view,
        name="profession_insights",
    ),
]
