"""First sign-in for imported staff, and a forgotten password: "Set up your account".

Someone enters their work email address. If an active staff record has it, the service emails
a signed, expiring, single-use link to choose a password; nothing is stored until the link is
used (people/account_set_up.py). The page that follows, and the time it takes, are the same
whether or not the address is known, so it cannot be used to find out who works here. See
docs/staff-records.md and docs/security.md.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from accounts import security_log
from accounts.views import password_sign_in_on
from careerpath.views import public

from .account_set_up import (
    SetUpLinkInvalid,
    account_for_validation,
    account_set_up,
    person_for_token,
    set_up_request,
)
from .forms import AccountSetUpForm, ChoosePasswordForm


@public
@never_cache
@password_sign_in_on
def set_up(request):
    form = AccountSetUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return set_up_request(request, form.cleaned_data["email"])
    return render(request, "people/account/set_up.html", {"form": form})


@public
@never_cache
def set_up_sent(request):
    return render(request, "people/account/set_up_sent.html")


# The link's token is kept in the session and replaced in the address by this word, so that it
# does not stay in the browser's history or reach server logs and Referer headers.
URL_TOKEN = "set-password"  # noqa: S105 - a URL segment, not a secret
TOKEN_SESSION_KEY = "_account_set_up_token"  # noqa: S105 - a session key name


def _link_does_not_work(request):
    return render(request, "people/account/set_up_password.html", {"validlink": False})


@public
@never_cache
@password_sign_in_on
def choose_password(request, token):
    if token != URL_TOKEN:
        if person_for_token(token) is None:
            return _link_does_not_work(request)
        request.session[TOKEN_SESSION_KEY] = token
        return redirect("people:set_up_password", token=URL_TOKEN)
    token = request.session.get(TOKEN_SESSION_KEY, "")
    person = person_for_token(token)
    if person is None:
        return _link_does_not_work(request)
    form = ChoosePasswordForm(account_for_validation(person), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = account_set_up(token=token, password=form.cleaned_data["new_password1"])
        except SetUpLinkInvalid:
            return _link_does_not_work(request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            del request.session[TOKEN_SESSION_KEY]
            security_log.security_event(
                security_log.SET_UP_LINK_USED, request=request, user_id=user.pk
            )
            return redirect("people:set_up_done")
    return render(request, "people/account/set_up_password.html", {"validlink": True, "form": form})


@public
@never_cache
def set_up_done(request):
    return render(request, "people/account/set_up_done.html")
