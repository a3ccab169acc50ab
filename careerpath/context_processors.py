from django.conf import settings
from django.urls import NoReverseMatch, reverse

# Service navigation: (label, url name, who sees it). Apps add their sections here as they
# land; a name that does not resolve yet is left out rather than breaking every page.
NAVIGATION = [
    ("Professions", "roles:profession_list", "everyone"),
    ("Search", "roles:search", "everyone"),
    ("Your assessments", "people:assessment_list", "signed_in"),
    ("Reviews", "people:review_queue", "managers"),
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


def service(request):
    user = getattr(request, "user", None)
    path = request.path
    items = []
    for label, name, audience in NAVIGATION:
        if user is None or not _visible(audience, user):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append(
            {"text": label, "href": url, "current": path.startswith(url), "audience": audience}
        )
    return {
        "FEEDBACK_URL": settings.FEEDBACK_URL,
        "service_navigation": items,
    }
