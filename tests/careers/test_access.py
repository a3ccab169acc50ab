"""Who may open "Your career" (the access matrix: own home, skill profile, readiness, moves).

These pages are only ever about the signed-in person: no URL carries an id, so there is no one
else's page to ask for. Every role in the matrix row gets their own page (or, without a staff
record, the "no staff record" page with 403), never the member of staff's; anonymous visitors
are sent to sign in; inactive people cannot sign in at all.
"""

import pytest
from django.urls import reverse

from people.models import DepartmentalHead
from roles.services import head_of_profession_appoint
from tests.conftest import PASSWORD
from tests.factories import PersonFactory, UserFactory, make_head_of_profession

pytestmark = pytest.mark.django_db

PAGES = [
    "careers:home",
    "careers:profile",
    "careers:readiness",
    "careers:moves",
    "careers:your_data",
]
NO_STAFF_RECORD = "There is no staff record for your account"


@pytest.fixture
def users(profession, author, manager, director, colleague, admin_user):
    """The user each role of the matrix row signs in as. Heads of profession and departmental
    heads come with and without a staff record of their own."""
    head = PersonFactory(name="Hana Head")
    head_of_profession_appoint(user=head.user, profession=profession)
    head_without_record = make_head_of_profession(profession)
    departmental = PersonFactory(name="Dev Departmental")
    DepartmentalHead.objects.create(
        user=departmental.user, profession=profession, department=author.department
    )
    departmental_without_record = UserFactory()
    DepartmentalHead.objects.create(
        user=departmental_without_record, profession=profession, department=author.department
    )
    return {
        "staff": author.user,
        "line manager": manager.user,
        "manager further up": director.user,
        "other staff": colleague.user,
        "head of profession": head.user,
        "head of profession, no staff record": head_without_record,
        "departmental head": departmental.user,
        "departmental head, no staff record": departmental_without_record,
        "admin": admin_user,
    }


OWN_NAME = {
    "staff": "Sam Staff",
    "line manager": "Mo Manager",
    "manager further up": "Dana Director",
    "other staff": "Cam Colleague",
    "head of profession": "Hana Head",
    "departmental head": "Dev Departmental",
}
NO_RECORD = [
    "head of profession, no staff record",
    "departmental head, no staff record",
    "admin",
]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", list(OWN_NAME))
def test_everyone_with_a_staff_record_sees_only_their_own(client, users, signed_off, name, role):
    client.force_login(users[role])

    response = client.get(reverse(name))

    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert OWN_NAME[role] in html
    if role != "staff":
        # Nothing of the member of staff's: not their name, nor their signed-off assessment.
        assert "Sam Staff" not in html
        assert reverse("assessments:assessment_detail", args=[signed_off.pk]) not in html


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", NO_RECORD)
def test_without_a_staff_record_the_page_says_so(client, users, signed_off, name, role):
    client.force_login(users[role])

    response = client.get(reverse(name))

    html = response.content.decode()
    assert response.status_code == 403
    assert "no-store" in response.headers["Cache-Control"]
    assert NO_STAFF_RECORD in html
    assert "Sam Staff" not in html


@pytest.mark.parametrize("name", PAGES)
def test_an_id_in_the_query_string_changes_nothing(client, users, signed_off, author, name):
    client.force_login(users["line manager"])
    url = reverse(name)

    plain = client.get(url).content.decode()
    probing = client.get(
        f"{url}?person={author.pk}&pk={author.pk}&id={signed_off.pk}&user={author.user.pk}"
    ).content.decode()

    assert "Sam Staff" not in probing
    assert probing.count("Mo Manager") == plain.count("Mo Manager")


def test_heads_and_administrators_are_shown_where_to_go_instead(client, users, profession):
    client.force_login(users["head of profession, no staff record"])
    head_html = client.get(reverse("careers:home")).content.decode()
    client.force_login(users["admin"])
    admin_html = client.get(reverse("careers:home")).content.decode()

    assert reverse("insights:capability_report", args=[profession.slug]) in head_html
    assert reverse("admin:index") in head_html  # heads of profession are staff users
    assert reverse("admin:index") in admin_html
    assert reverse("roles:profession_list") in admin_html


@pytest.mark.parametrize("name", PAGES)
def test_an_inactive_account_is_signed_out(client, author, name):
    client.force_login(author.user)
    author.user.is_active = False
    author.user.save()

    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))


def test_an_inactive_account_cannot_sign_in(client, author):
    author.user.set_password(PASSWORD)
    author.user.is_active = False
    author.user.save()

    response = client.post(reverse("login"), {"username": author.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("name", PAGES)
def test_a_leaver_s_staff_record_gives_no_career(client, author, signed_off, name):
    # The HR import closes a leaver's account with their record; if only the record is closed,
    # the pages still show nothing of it.
    author.is_active = False
    author.save()
    client.force_login(author.user)

    response = client.get(reverse(name))

    assert response.status_code == 403
    assert NO_STAFF_RECORD in response.content.decode()
    assert "Sam Staff" not in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_only_get_is_allowed(author_client, name):
    response = author_client.post(reverse(name), {})

    assert response.status_code == 405
