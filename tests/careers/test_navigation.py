"""'Your career' in the service navigation and on the home page, for signed-in people only."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def navigation(html):
    nav = html.split('id="navigation"')[1].split("</ul>")[0]
    return [re.sub(r"<[^>]+>", "", text).strip() for text in re.findall(r"<a [^>]*>(.*?)</a>", nav)]


def test_it_is_first_among_the_signed_in_items(author_client):
    html = author_client.get(reverse("home")).content.decode()

    items = navigation(html)
    assert items[:4] == ["Professions", "Search", "Your career", "Your assessments"]
    assert f'href="{reverse("careers:home")}"' in html


def test_it_is_marked_as_the_current_page_on_every_career_page(author_client):
    for name in ["careers:home", "careers:profile", "careers:readiness", "careers:moves"]:
        html = author_client.get(reverse(name)).content.decode()
        current = re.search(r'aria-current="true"><strong[^>]*>(.*?)</strong>', html)
        assert current.group(1) == "Your career"


def test_anonymous_visitors_do_not_see_it(client):
    html = client.get(reverse("home")).content.decode()

    assert "Your career" not in navigation(html)
    assert "app-career-link" not in html


def test_the_home_page_links_signed_in_people_to_their_career(author_client):
    html = author_client.get(reverse("home")).content.decode()

    assert re.search(r'app-career-link">.*href="/your-career/"', html)
