"""The insights page: a profession's self-assessments in aggregate, for its heads of profession.

The "aggregate only" cell of the access matrix: a head of profession (or a service administrator)
sees the counts from insights.reports, never a name or an individual record. Who heads what is
decided by roles.permissions; anyone else signed in gets 404, so the page does not even say the
profession exists, and LoginRequiredMiddleware sends anonymous visitors to sign in. URL name
`insights:profession_insights`, template insights/profession.html.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from roles.models import Profession
from roles.permissions import profession_for_head_or_404
from roles.selectors import Framework, latest_framework_or_404

from .reports import SMALL_NUMBER_TEXT, SMALL_NUMBER_THRESHOLD, profession_insights


def _latest_framework(profession: Profession) -> Framework | None:
    try:
        return latest_framework_or_404(profession.slug)
    except Http404:
        return None  # nothing published yet: the figures by level are left out


@login_required
@never_cache
@require_GET
def profession_insights_view(request: HttpRequest, profession: str) -> HttpResponse:
    found = profession_for_head_or_404(request.user, profession)
    framework = _latest_framework(found)
    insights = profession_insights(profession=found, framework=framework)
    return render(
        request,
        "insights/profession.html",
        {
            "profession": found,
            "framework": framework,
            "insights": insights,
            "threshold": SMALL_NUMBER_THRESHOLD,
            "small_number_text": SMALL_NUMBER_TEXT,
        },
    )
