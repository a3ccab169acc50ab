"""Let the service's forms hand over to the departments' identity providers.

Choosing a department (sign-in) and signing out after single sign-on are form posts answered
with a redirect to the provider; browsers hold such redirects to the page's Content-Security-
Policy form-action, which otherwise allows only this site. Each configured provider's origin
(that of its discovery URL, where its sign-in and sign-out pages are) is added here.
"""

from urllib.parse import urlsplit

from django.conf import settings


def provider_origins() -> list[str]:
    origins = []
    for conf in settings.OIDC_PROVIDERS.values():
        parts = urlsplit(conf["discovery_url"])
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in origins:
            origins.append(origin)
    return origins


def sso_form_action(get_response):
    def middleware(request):
        response = get_response(request)
        origins = provider_origins()
        if origins and not hasattr(response, "_csp_update"):
            response._csp_update = {"form-action": origins}
        return response

    return middleware
