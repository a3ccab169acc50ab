"""Line management that would not fit, or that two administrators change at once, gets a clear
error, never a server error (issue 11, finding 5)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from people import importer
from people.importer import ImportFailed, staff_import
from people.models import Person
from people.services import (
    CHAIN_TOO_DEEP,
    MANAGER_LOOP,
    MAX_MANAGEMENT_DEPTH,
    person_set_line_manager,
)
from tests.factories import DepartmentFactory, PersonFactory, UserFactory

HEADER = ",".join(importer.HEADER)


def chain(length, top=None):
    """`length` people each managing the next; returns them from the top down."""
    people = []
    manager = top
    for _ in range(length):
        manager = PersonFactory(line_manager=manager)
        people.append(manager)
    return people


def change_data(person, manager):
    return {
        "staff_number": person.staff_number,
        "name": person.name,
        "email": person.email,
        "department": person.department_id,
        "grade": person.grade,
        "line_manager": manager.pk if manager is not None else "",
        "user": person.user_id or "",
        "is_active": "on",
    }


def paths():
    return dict(Person.objects.values_list("pk", "management_path"))


@pytest.mark.django_db
def test_a_chain_deeper_than_allowed_is_a_clear_admin_error_and_nothing_changes(admin_client):
    full = chain(MAX_MANAGEMENT_DEPTH)
    mover = PersonFactory()
    before = paths()

    response = admin_client.post(
        reverse("admin:people_person_change", args=[mover.pk]), change_data(mover, full[-1])
    )

    assert response.status_code == 200
    assert CHAIN_TOO_DEEP in response.content.decode()
    assert 'class="errornote"' in response.content.decode()
    assert paths() == before


@pytest.mark.django_db
def test_moving_a_team_counts_the_people_below_them(admin_client):
    upper = chain(MAX_MANAGEMENT_DEPTH - 2)
    team = chain(3)  # a manager with two levels below: 3 deep on their own
    before = paths()

    response = admin_client.post(
        reverse("admin:people_person_change", args=[team[0].pk]), change_data(team[0], upper[-1])
    )

    assert CHAIN_TOO_DEEP in response.content.decode()
    assert paths() == before
    # One level higher fits exactly.
    response = admin_client.post(
        reverse("admin:people_person_change", args=[team[0].pk]), change_data(team[0], upper[-2])
    )
    assert response.status_code == 302
    team[-1].refresh_from_db()
    assert team[-1].management_path.count("/") - 1 == MAX_MANAGEMENT_DEPTH


@pytest.mark.django_db
def test_adding_a_person_below_the_deepest_is_a_clear_admin_error(admin_client):
    full = chain(MAX_MANAGEMENT_DEPTH)
    user = UserFactory()
    data = change_data(
        Person(staff_number="NEW1", name="New Person", email=user.email, grade="EO"), full[-1]
    )
    data |= {"department": full[0].department_id, "user": user.pk}

    response = admin_client.post(reverse("admin:people_person_add"), data)

    assert CHAIN_TOO_DEEP in response.content.decode()
    assert not Person.objects.filter(staff_number="NEW1").exists()


@pytest.mark.django_db
def test_the_service_refuses_it_too(db):
    full = chain(MAX_MANAGEMENT_DEPTH)
    mover = PersonFactory()

    with pytest.raises(ValidationError) as refused:
        person_set_line_manager(person=mover, manager=full[-1])

    assert refused.value.message_dict == {"line_manager": [CHAIN_TOO_DEEP]}


@pytest.mark.django_db
def test_an_import_with_a_chain_too_deep_is_refused_with_the_row(admin_client):
    DepartmentFactory(name="Home Office", acronym="HO")
    depth = MAX_MANAGEMENT_DEPTH + 1
    rows = [
        f"S{n},Person {n},p{n}@example.gov.uk,HO,,,EO,{f'S{n - 1}' if n > 1 else ''}"
        for n in range(1, depth + 1)
    ]
    text = "\n".join([HEADER, *rows]) + "\n"

    with pytest.raises(ImportFailed) as refused:
        staff_import(lines=text.splitlines(keepends=True))
    response = admin_client.post(
        reverse("admin:people_person_import"),
        {"file": __import__("io").BytesIO(text.encode())},
    )

    expected = importer.CHAIN_TOO_DEEP.format(
        row=depth + 1, value=f"S{depth}", depth=depth, most=MAX_MANAGEMENT_DEPTH
    )
    assert [str(problem) for problem in refused.value.errors] == [expected]
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert Person.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_administrators_making_each_other_managers_at_once_get_one_save_and_one_error():
    # On PostgreSQL (CI) the two saves race; SQLite has no row locks, so there they take turns
    # and the test shows only the outcome.
    concurrently = connection.vendor == "postgresql"
    admin = UserFactory(is_staff=True, is_superuser=True)
    first, second = PersonFactory(), PersonFactory()
    moves = [(second, first), (first, second)]  # A manages B, and B manages A
    results = [None, None]
    start = threading.Barrier(2 if concurrently else 1)

    def save(index):
        person, manager = moves[index]
        client = Client(raise_request_exception=False)
        client.force_login(admin)
        try:
            start.wait()
            results[index] = client.post(
                reverse("admin:people_person_change", args=[person.pk]),
                change_data(person, manager),
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
        if not concurrently:
            thread.join(timeout=30)
    for thread in threads:
        thread.join(timeout=30)

    statuses = sorted(response.status_code for response in results)
    assert statuses == [200, 302]
    [refused] = [response for response in results if response.status_code == 200]
    assert MANAGER_LOOP in refused.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    managed = {first.line_manager_id, second.line_manager_id}
    assert managed in ({first.pk, None}, {second.pk, None})
    for person in (first, second):
        manager = person.line_manager
        expected = (manager.management_path if manager else "/") + f"{person.pk}/"
        assert person.management_path == expected


@pytest.mark.django_db
def test_an_import_that_would_push_people_below_a_row_too_deep_names_that_row():
    home_office = DepartmentFactory(name="Home Office", acronym="HO")
    held = [PersonFactory(department=home_office)]
    for _ in range(MAX_MANAGEMENT_DEPTH - 2):
        held.append(PersonFactory(department=home_office, line_manager=held[-1]))
    top = held[0]
    # The file moves the top of that held chain under two new people: 41 deep at the bottom.
    rows = [
        "N1,New Top,n1@example.gov.uk,HO,,,G6,",
        "N2,New Middle,n2@example.gov.uk,HO,,,G7,N1",
        f"{top.staff_number},{top.name},{top.email},HO,,,HEO,N2",
    ]
    text = "\n".join([HEADER, *rows]) + "\n"
    before = paths()

    with pytest.raises(ImportFailed) as refused:
        staff_import(lines=text.splitlines(keepends=True))

    expected = importer.CHAIN_TOO_DEEP.format(
        row=4, value=top.staff_number, depth=MAX_MANAGEMENT_DEPTH + 1, most=MAX_MANAGEMENT_DEPTH
    )
    assert [str(problem) for problem in refused.value.errors] == [expected]
    assert paths() == before
