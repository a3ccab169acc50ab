import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from people import importer
from people.admin import IMPORT_REFUSED
from people.models import Person
from people.services import ACCOUNT_EMAIL_MISMATCH, MANAGER_IS_SELF, MANAGER_LOOP
from roles.services import head_of_profession_appoint
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    ProfessionFactory,
    UserFactory,
    make_framework,
)

pytestmark = pytest.mark.django_db

HEADER = ",".join(importer.HEADER)


@pytest.fixture
def person():
    return PersonFactory()


def people_urls(person):
    return [
        reverse("admin:people_person_changelist"),
        reverse("admin:people_person_change", args=[person.pk]),
        reverse("admin:people_person_add"),
        reverse("admin:people_person_import"),
        reverse("admin:people_person_subject_access", args=[person.pk]),
        reverse("admin:people_department_changelist"),
        reverse("admin:assessments_selfassessment_changelist"),
    ]


def test_anonymous_is_sent_to_sign_in(client, person):
    for url in people_urls(person):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login/" in response["Location"] or "sign-in" in response["Location"]


def test_member_of_staff_has_no_access(client, person):
    client.force_login(person.user)
    for url in people_urls(person):
        response = client.get(url)
        assert response.status_code == 302, url  # not staff: the admin's sign-in page


def test_head_of_profession_sees_none_of_it(client, person):
    head = UserFactory()
    head_of_profession_appoint(user=head, profession=ProfessionFactory())
    # Even given every permission on people, a non-superuser sees nothing.
    group = Group.objects.get(name="Heads of profession")
    from django.contrib.auth.models import Permission

    group.permissions.add(*Permission.objects.filter(content_type__app_label="people"))
    client.force_login(head)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert b"people/person" not in index.content
    assert b"Staff records" not in index.content or b"/admin/people/" not in index.content
    for url in people_urls(person):
        response = client.get(url)
        assert response.status_code in (403, 404), url


def test_superuser_sees_everything(admin_client, person):
    for url in people_urls(person):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    change = admin_client.get(reverse("admin:people_person_change", args=[person.pk]))
    assert b"Download everything held about this person (JSON)" in change.content
    assert b'name="management_path"' not in change.content  # read only


def test_changelist_search_and_filters(admin_client):
    PersonFactory(name="Findable Person", staff_number="F123")
    PersonFactory(name="Someone Else")
    url = reverse("admin:people_person_changelist")
    response = admin_client.get(url, {"q": "F123"})
    assert b"Findable Person" in response.content
    assert b"Someone Else" not in response.content
    response = admin_client.get(url, {"is_active__exact": "1"})
    assert b"Someone Else" in response.content
    assert b"Import staff records" in response.content


def test_pages_run_a_fixed_number_of_queries_on_a_large_organisation(
    admin_client, django_assert_max_num_queries
):
    from assessments.seed import seed_organisation

    make_framework(levels=3, skills=3)
    seed_organisation(people=3000, seed=9)
    someone = Person.objects.filter(assessments__isnull=False).order_by("pk").last()
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:people_person_changelist"))
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:assessments_selfassessment_changelist"))
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:people_person_change", args=[someone.pk]))
    assert response.status_code == 200
    # One query more than before the development plan section joined the export; the count
    # still does not grow with the person's history.
    with django_assert_max_num_queries(11):
        response = admin_client.get(
            reverse("admin:people_person_subject_access", args=[someone.pk])
        )
    assert response.status_code == 200


def test_admin_change_of_manager_moves_the_subtree(admin_client):
    top, other = PersonFactory(), PersonFactory()
    middle = PersonFactory(line_manager=top)
    below = PersonFactory(line_manager=middle)
    url = reverse("admin:people_person_change", args=[middle.pk])
    data = {
        "staff_number": middle.staff_number,
        "name": middle.name,
        "email": middle.email,
        "department": middle.department_id,
        "grade": "SEO",
        "line_manager": other.pk,
        "user": middle.user_id,
        "is_active": "on",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302
    below.refresh_from_db()
    assert below.management_path == f"/{other.pk}/{middle.pk}/{below.pk}/"
    # A loop is refused in the form, and nothing changes.
    response = admin_client.post(url, {**data, "line_manager": below.pk})
    assert response.status_code == 200
    assert MANAGER_LOOP in response.content.decode()
    middle.refresh_from_db()
    assert middle.line_manager == other
    # So is managing oneself, with its own message.
    response = admin_client.post(url, {**data, "line_manager": middle.pk})
    assert response.status_code == 200
    assert MANAGER_IS_SELF in response.content.decode()
    middle.refresh_from_db()
    assert middle.line_manager == other
    # An account with a different email address cannot be linked.
    stranger = UserFactory()
    response = admin_client.post(url, {**data, "user": stranger.pk})
    assert escape(ACCOUNT_EMAIL_MISMATCH) in response.content.decode()
    middle.refresh_from_db()
    assert middle.user_id == data["user"]


def test_admin_add_sets_the_path(admin_client):
    top = PersonFactory()
    department = DepartmentFactory()
    response = admin_client.post(
        reverse("admin:people_person_add"),
        {
            "staff_number": "A1",
            "name": "Added Person",
            "email": "Added@Example.gov.uk",
            "department": department.pk,
            "grade": "EO",
            "line_manager": top.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    added = Person.objects.get(staff_number="A1")
    assert added.email == "added@example.gov.uk"
    assert added.management_path == f"/{top.pk}/{added.pk}/"


def test_selfassessment_admin_is_read_only(admin_client):
    response = admin_client.get(reverse("admin:assessments_selfassessment_changelist"))
    assert response.status_code == 200
    assert admin_client.get("/admin/assessments/selfassessment/add/").status_code == 403


def _upload(admin_client, text, deactivate=False):
    data = {"file": SimpleUploadedFile("hr.csv", text.encode(), content_type="text/csv")}
    if deactivate:
        data["deactivate_missing"] = "on"
    return admin_client.post(reverse("admin:people_person_import"), data)


def test_upload_page_imports(admin_client):
    DepartmentFactory(name="Home Office", acronym="HO")
    make_framework(levels=1, skills=1)
    leaver = PersonFactory()
    text = f"{HEADER}\nS1,Ann,ann@example.gov.uk,HO,,,EO,\nS2,Bob,bob@example.gov.uk,HO,,,AO,S1\n"
    response = _upload(admin_client, text, deactivate=True)
    assert response.status_code == 302
    page = admin_client.get(response["Location"])
    assert b"2 created, 0 updated, 0 unchanged, 1 deactivated" in page.content
    assert Person.objects.get(staff_number="S2").line_manager.staff_number == "S1"
    leaver.refresh_from_db()
    assert not leaver.is_active


def test_upload_page_lists_problems_and_changes_nothing(admin_client):
    DepartmentFactory(name="Home Office", acronym="HO")
    text = f"{HEADER}\nS1,Ann,ann@example.gov.uk,Nowhere,,,EO,\nS2,Bob,bad,HO,,,AO,S9\n"
    response = _upload(admin_client, text)
    assert response.status_code == 200
    content = response.content.decode()
    assert IMPORT_REFUSED in content
    assert "Row 2: unknown department &quot;Nowhere&quot;" in content
    assert "Row 3: line manager S9 is neither in the file nor in the staff records" in content
    # In row, then column, order.
    assert (
        content.index("Row 2: unknown department")
        < content.index("Row 3: &quot;bad&quot; is not a valid email address")
        < content.index("Row 3: line manager S9")
    )
    assert 'class="errornote"' in content
    assert Person.objects.count() == 0


def test_upload_page_refuses_non_utf8_and_missing_file(admin_client):
    response = _upload(admin_client, "")
    assert response.status_code == 200
    assert Person.objects.count() == 0
    data = {"file": SimpleUploadedFile("hr.csv", b"\xff\xfe\x00bad", content_type="text/csv")}
    response = admin_client.post(reverse("admin:people_person_import"), data)
    assert importer.NOT_UTF8 in response.content.decode()
