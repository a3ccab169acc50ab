from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import Person


def line_management(request: HttpRequest) -> dict[str, Any]:
    """`is_line_manager` for the service navigation. The sign-in backend has usually worked it
    out with the user (`has_reports`, people.auth); otherwise it is asked of the database, and
    only if a template uses it."""
    user = getattr(request, "user", None)

    def has_reports():
        if user is None or not user.is_authenticated:
            return False
        known = getattr(user, "has_reports", None)
        if known is not None:
            return known
        return Person.objects.filter(line_manager__user=user, is_active=True).exists()

    return {"is_line_manager": SimpleLazyObject(has_reports)}
