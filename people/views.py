"""First sign-in for imported staff, and a forgotten password: "Set up your account".

Someone enters their work email address. If an active staff record has it, the service makes
sure there is an account linked to that record (with no password yet) and emails a one-time
link to choose a password. The page that follows says the same thing whether or not the address
is known, so it cannot be used to find out who works here. The link is Django's password reset
token: it stops working once used (the password changes), when a newer password is set, or after
PASSWORD_RESET_TIMEOUT. See docs/staff-records.md.
"""

import logging

from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.decorators.cache import never_cache

from accounts.views import password_sign_in_on
from careerpath.views import public

from .forms import AccountSetUpForm, ChoosePasswordForm
from .models import Person
from .services import person_link_account

logger = logging.getLogger(__name__)

EMAIL_SUBJECT = "Set up your account for Civil Service career pathways"
# One set-up email per person per 5 minutes (the cache must be shared between processes in
# production: set CACHE_URL, for example to Redis).
RESEND_AFTER_SECONDS = 5 * 60
SENT_KEY = "account-set-up-sent:"


def send_set_up_link(request: HttpRequest, person: Person) -> bool:
    """Email a one-time 'choose your password' link to a person (linking an account, created
    if need be). Returns False, sending nothing, when that account is closed."""
    user = person_link_account(person=person)
    if not user.is_active:
        return False
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = request.build_absolute_uri(
        reverse("people:set_up_password", kwargs={"uidb64": uid, "token": token})
    )
    body = render_to_string(
        "people/account/set_up_email.txt", {"name": person.name, "link": link, "email": user.email}
    )
    send_mail(EMAIL_SUBJECT, body, None, [user.email])
    return True


@public
@never_cache
@password_sign_in_on
def set_up(request):
    form = AccountSetUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = (
            Person.objects.filter(email=form.cleaned_data["email"], is_active=True)
            .select_related("user")
            .first()
        )
        if person is not None and not cache.add(
            f"{SENT_KEY}{person.pk}", True, timeout=RESEND_AFTER_SECONDS
        ):
            # A link went to this address a few minutes ago: asking again sends nothing more,
            # so the form cannot be used to flood someone's inbox. The page reads the same.
            logger.info("Account set-up asked again too soon for staff record %s", person.pk)
        elif person is not None:
            try:
                send_set_up_link(request, person)
            except ValidationError:
                # For example an account with this address linked to someone else: the
                # administrator has to sort it out; the page still says the same thing.
                logger.warning("Account set-up could not link staff record %s", person.pk)
        else:
            logger.info("Account set-up asked for an address with no active staff record")
        return redirect("people:set_up_sent")
    return render(request, "people/account/set_up.html", {"form": form})


@public
@never_cache
def set_up_sent(request):
    return render(request, "people/account/set_up_sent.html")


class ChoosePasswordView(auth_views.PasswordResetConfirmView):
    form_class = ChoosePasswordForm
    template_name = "people/account/set_up_password.html"
    success_url = reverse_lazy("people:set_up_done")
    reset_url_token = "choose-password"  # noqa: S105 - a URL segment, not a secret
    post_reset_login = False


@public
@never_cache
def set_up_done(request):
    return render(request, "people/account/set_up_done.html")


choose_password = public(password_sign_in_on(ChoosePasswordView.as_view()))
