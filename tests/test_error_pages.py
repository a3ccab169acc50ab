import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path

from careerpath import urls as project_urls
from careerpath import views


def boom(request):
    raise RuntimeError("something broke")


def denied(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("forged")


# This module doubles as a URL configuration with views that fail on purpose.
urlpatterns = [
    path("boom/", views.public(boom)),
    path("denied/", views.public(denied)),
    path("suspicious/", views.public(suspicious)),
    *project_urls.urlpatterns,
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@pytest.mark.django_db
def test_404_page(client):
    response = client.get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page not found - Civil Service career pathways</title>" in html
    assert 'class="govuk-heading-xl">Page not found<' in html


@pytest.mark.django_db
@pytest.mark.urls("tests.test_error_pages")
def test_500_page_is_gov_uk_styled():
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")

    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "govuk-template" in html
    assert "something broke" not in html


@pytest.mark.django_db
def test_csrf_failure_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/sign-in/", {"username": "a@example.gov.uk", "password": "x"})

    assert response.status_code == 403
    assert "Sorry, your form could not be sent" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.test_error_pages")
@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/suspicious/", 400, "Sorry, there is a problem with your request"),
        ("/denied/", 403, "You do not have permission to see this page"),
    ],
)
def test_400_and_403_pages(client, url, status, heading):
    response = client.get(url)

    assert response.status_code == status
    assert heading in response.content.decode()
    assert "govuk-template" in response.content.decode()
