"""Signing in and out: the sign-in page (password and single sign-on), the single sign-on
callback, sign-out (here and at the provider), and the administrators' second factor.

See docs/sign-in.md.
"""

import base64
import functools

import segno
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from careerpath.forms import SignInForm
from careerpath.views import public

from . import oidc
from .admin_site import needs_second_factor
from .forms import CodeForm, ProviderChoiceForm
from .security_log import SSO_SIGN_IN_REFUSED, SSO_SIGN_IN_SUCCEEDED, security_event
from .services import CODE_WRONG, totp_device_add

# Where to go once single sign-on has come back (a page of this service).
SESSION_NEXT = "sso_next"
# The secret of an authenticator app being set up waits here until it shows a right code.
SESSION_NEW_TOTP_KEY = "totp_key_being_set_up"


def password_sign_in_on(view):
    """For the pages that set up or use a password: with PASSWORD_SIGN_IN off they say to use
    the department's account instead, and do nothing (no email is sent, no password set)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.PASSWORD_SIGN_IN:
            return render(request, "registration/password_sign_in_off.html", status=404)
        return view(request, *args, **kwargs)

    return wrapper


class SignInView(auth_views.LoginView):
    """Django's sign-in with a password, plus the choice of department for single sign-on.
    With PASSWORD_SIGN_IN off, only single sign-on is offered and a password is not accepted."""

    template_name = "registration/sign_in.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not settings.PASSWORD_SIGN_IN:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["password_sign_in"] = settings.PASSWORD_SIGN_IN
        if settings.OIDC_PROVIDERS:
            context["provider_form"] = ProviderChoiceForm()
        return context


def _refused(request, refusal, key, status=403):
    security_event(SSO_SIGN_IN_REFUSED, request=request, reason=refusal.reason, provider=key[:64])
    return render(
        request, "registration/sso_refused.html", {"reason": refusal.reason}, status=status
    )


@public
@require_POST
def sso_start(request):
    """Send the browser to the chosen department's sign-in page."""
    form = ProviderChoiceForm(request.POST)
    if not form.is_valid():
        context = {
            "provider_form": form,
            "password_sign_in": settings.PASSWORD_SIGN_IN,
            "next": _asked_next(request),
        }
        if settings.PASSWORD_SIGN_IN:
            context["form"] = SignInForm(request)
        return render(request, "registration/sign_in.html", context, status=400)
    key = form.cleaned_data["provider"]
    redirect_uri = request.build_absolute_uri(reverse("accounts:sso_callback"))
    try:
        response = oidc.start(request, key=key, redirect_uri=redirect_uri)
    except oidc.SignInRefused as refusal:
        return _refused(request, refusal, key, status=503)
    # Where to go after signing in, if it is a page of this service.
    request.session[SESSION_NEXT] = _safe_next(request, default=settings.LOGIN_REDIRECT_URL)
    return response


@public
@never_cache
@require_GET
def sso_callback(request):
    """The provider sends the browser back here: check its answer, then whose account it is."""
    account_for_email = import_string(settings.OIDC_ACCOUNT_FOR_EMAIL)
    key = request.session.get(oidc.SESSION_PROVIDER) or ""
    next_url = request.session.get(SESSION_NEXT)
    try:
        key, claims, id_token = oidc.finish(request)
        user = account_for_email(email=oidc.verified_email(key, claims))
    except oidc.SignInRefused as refusal:
        return _refused(request, refusal, key)
    # The backend that reloads the account on later requests (it must be in the settings' list).
    login(request, user, backend=settings.ACCOUNT_BACKEND)
    request.session[SESSION_NEXT] = next_url
    request.session[oidc.SESSION_SIGNED_IN_WITH] = key
    request.session[oidc.SESSION_ID_TOKEN] = id_token
    security_event(SSO_SIGN_IN_SUCCEEDED, request=request, user_id=user.pk, provider=key)
    return redirect(request.session.pop(SESSION_NEXT, None) or settings.LOGIN_REDIRECT_URL)


class SignOutView(auth_views.LogoutView):
    """Sign out here; after single sign-on, go on to sign out at the provider if it says how."""

    template_name = "registration/signed_out.html"

    def post(self, request, *args, **kwargs):
        key = request.session.get(oidc.SESSION_SIGNED_IN_WITH)
        id_token = request.session.get(oidc.SESSION_ID_TOKEN, "")
        response = super().post(request, *args, **kwargs)
        if key in settings.OIDC_PROVIDERS:
            url = oidc.end_session_url(
                key,
                id_token=id_token,
                post_logout_redirect_uri=request.build_absolute_uri(reverse("accounts:signed_out")),
            )
            if url:
                return redirect(url)
        return response


@public
@require_GET
def signed_out(request):
    return render(request, "registration/signed_out.html")


def _asked_next(request) -> str:
    return request.POST.get("next") or request.GET.get("next") or ""


def _safe_next(request, default="admin:index") -> str:
    target = _asked_next(request)
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)


def _qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as a QR code, drawn as SVG here (nothing is fetched)."""
    qr = segno.make(device.config_url, error="m")
    return mark_safe(qr.svg_inline(dark="#0b0c0c", light="#ffffff", border=4, omitsize=True))


@never_cache
def two_factor(request):
    """A service administrator's code step: set up an authenticator app the first time (QR
    code and the secret as text), then enter its code whenever they sign in with a password."""
    if not request.user.is_superuser:
        raise Http404
    if not needs_second_factor(request):
        return redirect(_safe_next(request))
    form = CodeForm(request.POST or None)
    if user_has_device(request.user):
        if request.method == "POST" and form.is_valid():
            device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
            if device.verify_token(form.cleaned_data["code"]):
                otp_login(request, device)
                return redirect(_safe_next(request))
            form.add_error("code", CODE_WRONG)
        return render(
            request,
            "registration/two_factor.html",
            {"form": form, "set_up": False, "next": _asked_next(request)},
        )

    key = request.session.get(SESSION_NEW_TOTP_KEY) or default_key()
    request.session[SESSION_NEW_TOTP_KEY] = key
    if request.method == "POST" and form.is_valid():
        try:
            device = totp_device_add(user=request.user, key=key, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error.messages[0])
        else:
            del request.session[SESSION_NEW_TOTP_KEY]
            otp_login(request, device)
            return redirect(_safe_next(request))
    device = TOTPDevice(user=request.user, key=key)
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_factor.html",
        {
            "form": form,
            "set_up": True,
            "next": _asked_next(request),
            "qr_svg": _qr_svg(device),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        },
    )


sign_out = SignOutView.as_view()
