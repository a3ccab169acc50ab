"""Sign-in helpers."""

from django.contrib.auth import get_user_model


def lockout_username(request, credentials):
    """The email address a sign-in attempt was for, as stored, so that changing its case or
    adding spaces does not count as another account for the lockout (django-axes).

    axes passes the credentials keyed by the user model's USERNAME_FIELD ("email"); the sign-in
    forms post it as "username".
    """
    credentials = credentials or {}
    value = credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username")
    if not value and request is not None:
        value = request.POST.get("username", "")
    return (value or "").strip().lower() or None
