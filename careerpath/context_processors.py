from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_urlconf, reverse

# Service navigation: (label, url name, who sees it). A name that does not resolve is left out
# rather than breaking every page.
NAVIGATION = [
    ("Professions", "roles:profession_list", "everyone"),
    ("Search", "search:search", "everyone"),
    ("Your career", "careers:home", "signed_in"),
    ("Your assessments", "assessments:assessment_list", "signed_in"),
    ("Reviews", "assessments:review_queue", "managers"),
    ("Admin", "admin:index", "admin_staff"),
]


def _visible(audience, user):
    if audience == "everyone":
        return True
    if audience == "signed_in":
        return user.is_authenticated
    if audience == "managers":
        # people.context_processors decides, through `is_line_manager` in the template.
        return user.is_authenticated
    if audience == "admin_staff":
        return user.is_authenticated and user.is_staff
    return False


@lru_cache(maxsize=8)
def _navigation_urls(urlconf):
    """The navigation with its URLs, worked out once per URL configuration (they never change
    while the process runs; reversing them on every request cost a tenth of a page's time)."""
    resolved = []
    for label, name, audience in NAVIGATION:
        try:
            resolved.append((label, reverse(name, urlconf=urlconf), audience))
        except NoReverseMatch:
            continue
    return tuple(resolved)


def service(request):
    user = getattr(request, "user", None)
    path = request.path
    items = []
    for label, url, audience in _navigation_urls(get_urlconf() or settings.ROOT_URLCONF):
        if user is None or not _visible(audience, user):
            continue
        items.append(
            {"text": label, "href": url, "current": path.startswith(url), "audience": audience}
        )
    return {
        "FEEDBACK_URL": settings.FEEDBACK_URL,
        "service_navigation": items,
    }
