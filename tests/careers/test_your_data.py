""" "Your data" (/your-career/your-data/): the subject access export as a page the person reads.
Who may open it is in test_access.py (every role sees only their own)."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments.models import PlanAction, PlanComment, Rating
from careers.your_data import DATE_KEYS
from people.subject_access import person_subject_access
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

URL = "careers:your_data"


def _strings(value, key=""):
    """Every non-empty text the export holds, except dates (the page shows them formatted)."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _strings(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, key)
    elif isinstance(value, str) and value and key not in DATE_KEYS and not key.endswith("_at"):
        yield value


@pytest.fixture
def full_record(author, manager, signed_off, skills):
    Rating.objects.filter(assessment=signed_off).update(evidence="I <did> this & that")
    action = PlanAction.objects.create(
        person=author,
        skill=skills[0],
        skill_name=skills[0].name,
        title="Shadow a senior colleague",
        target_date=datetime.date(2030, 5, 1),
    )
    PlanComment.objects.create(action=action, author=manager, text="Good plan, Sam")
    return author


def test_every_section_and_value_of_the_export_is_on_the_page(client, full_record):
    client.force_login(full_record.user)

    response = client.get(reverse(URL))

    html = response.content.decode()
    assert response.status_code == 200
    data = person_subject_access(full_record)
    for key in data:
        if key not in ("format", "generated_at"):
            assert f'id="section-{key}"' in html, key
    assert {"person", "account", "assessments", "development_plan"} <= set(data)
    texts = set(_strings(data)) - {data["format"]}
    assert "I <did> this & that" in texts
    for text in texts:
        assert escape(text) in html, text
    assert full_record.user.password not in html


def test_a_person_with_nothing_yet(client, profession):
    person = PersonFactory(name="New Starter")
    client.force_login(person.user)

    html = client.get(reverse(URL)).content.decode()

    assert 'id="section-assessments"' in html
    assert "None held" in html


def test_home_links_to_it(author_client):
    html = author_client.get(reverse("careers:home")).content.decode()
    assert reverse(URL) in html


def test_query_count_does_not_grow_with_history(
    client, author, version, django_assert_max_num_queries
):
    from tests.careers.conftest import sign_off

    client.force_login(author.user)
    sign_off(author, version, agreed=["working"] * 3)
    with django_assert_max_num_queries(14) as small:
        client.get(reverse(URL))
    for rank in (2, 3):
        sign_off(author, version, rank=rank, agreed=["working"] * 3)
    with django_assert_max_num_queries(14) as large:
        client.get(reverse(URL))
    assert len(large.captured_queries) == len(small.captured_queries)
