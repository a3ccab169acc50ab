import json
import re

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.urls import reverse

from accounts.models import User
from people.forms import EMAIL_INVALID, EMAIL_REQUIRED, PASSWORDS_DIFFER
from people.services import ACCOUNT_LINKED_ELSEWHERE
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-password-456"


@pytest.fixture
def imported():
    """A person as the HR import leaves them: a staff record and no account."""
    return PersonFactory(user=None, name="Imported Person", email="imported@example.gov.uk")


def ask(client, email):
    return client.post(reverse("people:set_up"), {"email": email})


def link_in(message):
    return re.search(r"https?://\S+", message.body).group(0)


def use_link(client, link, password=NEW_PASSWORD, again=None):
    """Follow a set-up link as a browser does (the token moves out of the address), then post
    the password twice. Returns the last response."""
    response = client.get(link)
    if response.status_code != 302:
        return response
    return client.post(
        response["Location"], {"new_password1": password, "new_password2": again or password}
    )


def test_page_is_public(client):
    response = client.get(reverse("people:set_up"))
    assert response.status_code == 200
    assert b"Set up your account" in response.content
    assert response["Cache-Control"].startswith("max-age=0")


def test_unknown_email_reveals_nothing(client, imported):
    unknown = ask(client, "nobody@example.gov.uk")
    known = ask(client, "Imported@Example.gov.uk")
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"] == reverse("people:set_up_sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["imported@example.gov.uk"]
    assert not User.objects.filter(email="nobody@example.gov.uk").exists()


def test_inactive_record_gets_no_email(client):
    PersonFactory(user=None, name="Left Person", email="left@example.gov.uk", is_active=False)
    response = ask(client, "left@example.gov.uk")
    assert response["Location"] == reverse("people:set_up_sent")
    assert mail.outbox == []


def test_form_errors(client):
    response = ask(client, "")
    assert EMAIL_REQUIRED in response.content.decode()
    response = ask(client, "not an email")
    content = response.content.decode()
    assert EMAIL_INVALID in content
    assert "govuk-error-summary" in content
    assert 'value="not an email"' in content
    assert mail.outbox == []


def test_link_sets_password_and_signs_in(client, imported):
    ask(client, "imported@example.gov.uk")
    imported.refresh_from_db()
    assert imported.user is None  # nothing is created until the link is used
    link = link_in(mail.outbox[0])
    response = client.get(link)
    # The token moves out of the address (history, logs, Referer) into the session.
    assert response.status_code == 302
    form_url = response["Location"]
    assert form_url == reverse("people:set_up_password", args=["set-password"])
    response = client.get(form_url)
    assert b"Choose your password" in response.content
    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": "something-else-789"}
    )
    assert PASSWORDS_DIFFER in response.content.decode()
    assert not User.objects.filter(email="imported@example.gov.uk").exists()
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("people:set_up_done")
    imported.refresh_from_db()
    user = imported.user
    assert user.check_password(NEW_PASSWORD)
    signed_in = client.post(
        reverse("login"), {"username": "imported@example.gov.uk", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)


def test_used_link_is_refused(client, imported):
    ask(client, "imported@example.gov.uk")
    link = link_in(mail.outbox[0])
    use_link(client, link)
    client.logout()
    again = client.get(link, follow=True)
    assert b"This link does not work" in again.content
    imported.refresh_from_db()
    assert imported.user.check_password(NEW_PASSWORD)


def _repointed(token, email):
    """The token with its address swapped for another, the signature kept."""
    payload, rest = token.split(":", 1)
    data = json.loads(signing.b64_decode(payload.encode()))
    data["e"] = email
    swapped = signing.b64_encode(json.dumps(data, separators=(",", ":")).encode()).decode()
    return f"{swapped}:{rest}"


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: "abc-0123456789abcdef",
        lambda token: token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),
        # A link signed for someone else's address cannot be re-pointed by editing it.
        lambda token: _repointed(token, "someone.else@example.gov.uk"),
    ],
)
def test_forged_token_is_refused_and_changes_nothing(client, imported, forge):
    ask(client, "imported@example.gov.uk")
    link = link_in(mail.outbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    forged = link.replace(token, forge(token))
    assert forged != link
    response = use_link(client, forged)
    assert b"This link does not work" in response.content
    # Posting a password straight to the form, with no good link behind it, does nothing either.
    client.post(
        reverse("people:set_up_password", args=["set-password"]),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    imported.refresh_from_db()
    assert imported.user is None
    assert not User.objects.filter(email=imported.email).exists()


def test_an_expired_link_is_refused(client, imported, settings):
    import datetime

    import time_machine

    with time_machine.travel("2026-11-25 09:00 +0000", tick=False) as clock:
        ask(client, imported.email)
        link = link_in(mail.outbox[0])
        form_url = client.get(link)["Location"]
        clock.shift(datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1))
        on_the_form = client.post(
            form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        from_the_email = use_link(client, link)
    assert b"This link does not work" in on_the_form.content
    assert b"This link does not work" in from_the_email.content
    assert not User.objects.filter(email=imported.email).exists()


def test_a_link_stops_working_once_another_has_been_used(client):
    person = PersonFactory()
    ask(client, person.email)
    cache.clear()  # past the resend throttle
    ask(client, person.email)
    first, second = (link_in(message) for message in mail.outbox)
    use_link(client, second)
    response = use_link(client, first, password="another-password-777")
    assert b"This link does not work" in response.content
    person.user.refresh_from_db()
    assert person.user.check_password(NEW_PASSWORD)


def test_existing_account_is_reused(client):
    person = PersonFactory()
    account = person.user
    ask(client, person.email)
    assert len(mail.outbox) == 1
    use_link(client, link_in(mail.outbox[0]))
    assert User.objects.filter(email=person.email).count() == 1
    person.refresh_from_db()
    assert person.user == account
    assert person.user.check_password(NEW_PASSWORD)


def test_account_linked_to_someone_else_is_not_taken_over_by_the_link(client):
    holder = PersonFactory()
    User.objects.filter(pk=holder.user.pk).update(email="moved@example.gov.uk")
    new_owner = PersonFactory(user=None, name="New Owner", email="moved@example.gov.uk")
    response = ask(client, "moved@example.gov.uk")
    assert response["Location"] == reverse("people:set_up_sent")
    response = use_link(client, link_in(mail.outbox[0]))
    assert ACCOUNT_LINKED_ELSEWHERE in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    new_owner.refresh_from_db()
    holder.user.refresh_from_db()
    assert new_owner.user is None
    assert not holder.user.check_password(NEW_PASSWORD)


def test_a_closed_account_gets_no_email(client):
    person = PersonFactory()
    User.objects.filter(pk=person.user.pk).update(is_active=False)
    response = ask(client, person.email)
    assert response["Location"] == reverse("people:set_up_sent")
    assert mail.outbox == []


def _writes(queries):
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_known_and_unknown_addresses_get_identical_answers_and_nothing_is_written(client, imported):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    answers = {}
    for label, email in [("known", imported.email), ("unknown", "nobody@example.gov.uk")]:
        with CaptureQueriesContext(connection) as queries:
            response = ask(client, email)
        answers[label] = (response, queries.captured_queries)

    known, known_queries = answers["known"]
    unknown, unknown_queries = answers["unknown"]
    assert known.status_code == unknown.status_code == 302
    assert known.content == unknown.content
    assert sorted(known.headers.items()) == sorted(unknown.headers.items())
    assert len(known_queries) == len(unknown_queries)
    assert _writes(known_queries) == _writes(unknown_queries) == []
    assert not User.objects.filter(email=imported.email).exists()
    imported.refresh_from_db()
    assert imported.user is None
    assert len(mail.outbox) == 1


def test_asking_again_within_five_minutes_sends_nothing_more(client, imported):
    import datetime

    import time_machine

    with time_machine.travel("2026-11-25 09:00 +0000", tick=False) as clock:
        first = ask(client, imported.email)
        again = ask(client, imported.email.upper())
        clock.shift(datetime.timedelta(minutes=6))
        later = ask(client, imported.email)

    assert first.status_code == again.status_code == later.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert len(mail.outbox) == 2
