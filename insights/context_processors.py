from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .permissions import reports_for


def capability_reports(request: HttpRequest) -> dict:
    """`capability_reports`: {profession slug: (url, label)} of the reports the signed-in user
    may read, for links from their home page and the pathway. Asked of the database only when a
    template uses it, and never for anonymous visitors."""
    user = getattr(request, "user", None)

    def reports() -> dict[str, tuple[str, str]]:
        if user is None or not user.is_authenticated:
            return {}
        return {
            profession.slug: (
                reverse("insights:capability_report", args=[profession.slug]),
                f"Capability in {profession.name}" + ("" if whose == "whole" else f" ({whose})"),
            )
            for profession, whose in reports_for(user)
        }

    return {"capability_reports": SimpleLazyObject(reports)}
