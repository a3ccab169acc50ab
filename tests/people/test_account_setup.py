import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from people.forms import EMAIL_INVALID, EMAIL_REQUIRED, PASSWORDS_DIFFER
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
    user = imported.user
    assert user is not None
    assert not user.has_usable_password()
    link = link_in(mail.outbox[0])
    response = client.get(link)
    assert response.status_code == 302  # Django moves the token out of the address
    form_url = response["Location"]
    response = client.get(form_url)
    assert b"Choose your password" in response.content
    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": "something-else-789"}
    )
    assert PASSWORDS_DIFFER in response.content.decode()
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("people:set_up_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    signed_in = client.post(
        reverse("login"), {"username": "imported@example.gov.uk", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)


def test_used_link_is_refused(client, imported):
    ask(client, "imported@example.gov.uk")
    link = link_in(mail.outbox[0])
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.logout()
    again = client.get(link, follow=True)
    assert b"This link does not work" in again.content
    imported.refresh_from_db()
    assert imported.user.check_password(NEW_PASSWORD)


def test_forged_token_is_refused_and_changes_nothing(client, imported):
    ask(client, "imported@example.gov.uk")
    imported.refresh_from_db()
    link = link_in(mail.outbox[0])
    forged = link.rstrip("/").rsplit("/", 1)[0] + "/abc-0123456789abcdef/"
    response = client.get(forged, follow=True)
    assert b"This link does not work" in response.content
    # Posting a password to a forged link does nothing either.
    client.post(forged, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    imported.user.refresh_from_db()
    assert not imported.user.has_usable_password()


def test_existing_account_is_reused(client):
    person = PersonFactory()
    ask(client, person.email)
    assert len(mail.outbox) == 1
    assert User.objects.filter(email=person.email).count() == 1
    person.refresh_from_db()
    assert person.user is not None


def test_account_linked_to_someone_else_gets_no_email_and_no_error(client):
    holder = PersonFactory()
    User.objects.filter(pk=holder.user.pk).update(email="moved@example.gov.uk")
    PersonFactory(user=None, name="New Owner", email="moved@example.gov.uk")
    response = ask(client, "moved@example.gov.uk")
    assert response["Location"] == reverse("people:set_up_sent")
    assert mail.outbox == []


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
