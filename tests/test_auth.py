import pytest

from tests.conftest import PASSWORD


@pytest.mark.django_db
def test_sign_in_page_renders_gov_uk_form(client):
    response = client.get("/sign-in/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Sign in - Civil Service career pathways</title>" in html
    assert 'class="govuk-input"' in html
    assert 'autocomplete="email"' in html


def test_sign_in_with_email_and_password(client, user):
    response = client.post("/sign-in/", {"username": user.email.upper(), "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/your-career/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_in_redirects_to_next_on_this_site_only(client, user):
    response = client.post(
        "/sign-in/",
        {"username": user.email, "password": PASSWORD, "next": "https://evil.example.com/"},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/your-career/"


def test_wrong_password_shows_error_summary_and_error_title(client, user):
    response = client.post("/sign-in/", {"username": user.email, "password": "wrong"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in - Civil Service career pathways</title>" in html
    assert "Enter a correct email address and password" in html
    assert 'href="#id_username"' in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_empty_form_says_what_to_enter(client):
    response = client.post("/sign-in/", {"username": "", "password": ""})

    html = response.content.decode()
    assert "Enter your email address" in html
    assert "Enter your password" in html
    assert 'class="govuk-input govuk-input--error"' in html


def test_inactive_account_cannot_sign_in(client, user):
    user.is_active = False
    user.save()

    response = client.post("/sign-in/", {"username": user.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_and_ends_the_session(user_client):
    get_response = user_client.get("/sign-out/")
    response = user_client.post("/sign-out/")

    assert get_response.status_code == 405
    assert response.status_code == 200
    assert "You have signed out" in response.content.decode()
    assert "_auth_user_id" not in user_client.session


def test_signed_in_pages_offer_sign_out(user_client):
    html = user_client.get("/").content.decode()

    assert 'action="/sign-out/"' in html
    assert ">Sign in<" not in html
