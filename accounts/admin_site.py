"""The admin site: service administrators who signed in with a password also need a code.

A superuser whose session came from a password (not from single sign-on, where the department's
provider does its own checks) is sent to the second-factor page before any admin page opens,
while settings.ADMIN_SECOND_FACTOR is on (the default with DEBUG off).
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from careerpath.admin import GovukDatesAdminMixin

from . import oidc


def needs_second_factor(request) -> bool:
    """True while this signed-in service administrator has still to enter a code."""
    user = request.user
    return bool(
        settings.ADMIN_SECOND_FACTOR
        and user.is_authenticated
        and user.is_superuser
        and not request.session.get(oidc.SESSION_SIGNED_IN_WITH)
        and not user.is_verified()
    )


class CareerpathAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and not needs_second_factor(request)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def second_factor_first(request, *args, **kwargs):
            if needs_second_factor(request):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('accounts:two_factor')}?{query}")
            return inner(request, *args, **kwargs)

        return second_factor_first

    def register(self, model_or_iterable, admin_class=None, **options):
        """Register as Django does, with dates in GOV.UK's style on every admin page
        (careerpath.admin.GovukDatesAdminMixin), whoever wrote the ModelAdmin."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, GovukDatesAdminMixin):
            admin_class = type(
                admin_class.__name__,
                (GovukDatesAdminMixin, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)
