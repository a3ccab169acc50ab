"""Each page of "Your career" runs a fixed number of queries, whatever the size of the
organisation, the line below a manager or the number of professions: published versions are
read through roles.selectors (parsed once per version), and counts are aggregates."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careerpath import public_cache
from roles.models import RoleLevel
from tests.careers.conftest import sign_off
from tests.factories import (
    PersonFactory,
    make_assessment_for_review,
    make_framework,
    make_person_at_level,
)

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("careers:home"),
    reverse("careers:profile"),
    reverse("careers:readiness"),
    reverse("careers:moves"),
    reverse("careers:moves") + "?sideways=on",
]
# Every signed-in page: the session, then the user with their staff record and the navigation's
# `is_line_manager` in one query (people.auth), and saving the session (a savepoint, the update,
# its release: sessions end after 30 minutes idle). Then home: the latest version of your
# profession, your open assessments, your last sign-off and its ratings, your line (2 aggregates)
# and your capability reports (2); profile, readiness and moves: the latest versions of every
# profession, your last sign-off and its ratings.
# Since the session is written at most once a minute, not on every request, none of these
# includes the three queries of saving it.
# With a shared cache (Redis: production and CI) the session is read from it, not the database.
SESSION_READ = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
EXPECTED = {
    "/your-career/": 10 + SESSION_READ,
    "/your-career/profile/": 5 + SESSION_READ,
    "/your-career/ready/": 5 + SESSION_READ,
    "/your-career/moves/": 5 + SESSION_READ,
    "/your-career/moves/?sideways=on": 5 + SESSION_READ,
}


def organisation(size):
    """(staff member, their line manager, the manager's manager): a member of staff with a
    signed-off assessment, in an organisation of `size` "small" or "large"."""
    professions = 1 if size == "small" else 6
    frameworks = [make_framework(levels=3 if size == "small" else 8, skills=3)]
    frameworks += [make_framework(levels=8, skills=12) for _ in range(professions - 1)]
    profession, version = frameworks[0]
    director = PersonFactory()
    manager = PersonFactory(line_manager=director)
    staff = make_person_at_level(profession, rank=1, line_manager=manager)
    sign_off(staff, version, agreed=["awareness"] * 3)
    if size == "large":
        for _ in range(3):
            team_leader = PersonFactory(line_manager=manager)
            for _ in range(15):
                report = PersonFactory(line_manager=team_leader)
                make_assessment_for_review(person=report, version=version)
        for _ in range(20):
            report = PersonFactory(line_manager=manager)
            make_assessment_for_review(person=report, version=version)
    return staff, manager, director


def count(client, url, *, rendered=False):
    client.get(url)  # parse the published versions once, as a running service has
    if rendered:  # an anonymous visitor's page, rendered rather than served whole from the cache
        public_cache.published()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("size", ["small", "large"])
def test_a_member_of_staff_s_pages(client, size):
    staff, _manager, _director = organisation(size)
    client.force_login(staff.user)

    counts = {url: count(client, url) for url in PAGES}

    assert counts == EXPECTED


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.parametrize("who", ["manager", "director"])
def test_a_manager_s_home(client, size, who):
    _staff, manager, director = organisation(size)
    client.force_login({"manager": manager, "director": director}[who].user)

    # No level of their own and nothing signed off: no version to read, no ratings.
    assert count(client, reverse("careers:home")) == EXPECTED["/your-career/"] - 2


@pytest.mark.parametrize("size", ["small", "large"])
def test_your_place_on_the_pathway_costs_one_query(client, size):
    staff, _manager, _director = organisation(size)
    profession = RoleLevel.objects.get(pk=staff.role_level_id).profession
    url = reverse("roles:pathway", args=[profession.slug])
    anonymous = count(client, url, rendered=True)
    kept_whole = count(client, url)
    client.force_login(staff.user)

    signed_in = count(client, url)

    assert anonymous == 1  # nothing asked for an anonymous visitor's position
    assert kept_whole == 0  # careerpath/public_cache.py
    # Session (read, unless from the cache), user with the navigation's `is_line_manager`,
    # capability reports (2, the pathway asks), and one for your position: your staff record
    # with the latest version of its profession, in one query. The session is not written (at
    # most once a minute).
    assert signed_in == anonymous + 4 + SESSION_READ
