"""Accredited qualifications of a level in the admin: the model's rules, the inline on the level
form for every role (head of that profession, head of another, superuser, anyone else), forms
tampered with, and restoring a qualification from the level's history page.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from roles.admin import QUALIFICATION_TITLE_REPEATED, QUALIFICATION_TITLE_STILL_IN_USE
from roles.apps import _heads_group_in_step
from roles.models import Qualification, RoleLevel
from roles.services import (
    HEAD_PERMISSIONS,
    HEADS_GROUP,
    RESTORE_PARENT_GONE,
    framework_part_restore,
)
from tests.factories import (
    PersonFactory,
    ProfessionFactory,
    QualificationFactory,
    make_head_of_profession,
    role_level_admin_data,
)

pytestmark = pytest.mark.django_db


def first_level(profession):
    return RoleLevel.objects.filter(profession=profession).order_by("rank").first()


def change_url(level):
    return reverse("admin:roles_rolelevel_change", args=[level.pk])


def history_url(level):
    return reverse("admin:roles_rolelevel_history", args=[level.pk])


def restore_url(level, record, part="qualification"):
    return reverse("admin:roles_rolelevel_restore_part", args=[level.pk, part, record.history_id])


def everything():
    """Every qualification as stored, to show that nothing changed."""
    return list(Qualification.objects.order_by("pk").values())


def with_new_row(data, index=None, **fields):
    """`data` with one more qualification row (a new one), fields as given."""
    index = int(data["qualifications-TOTAL_FORMS"]) if index is None else index
    data["qualifications-TOTAL_FORMS"] = str(index + 1)
    row = {"position": "1", "title": "", "awarding_body": "", "url": "", "summary": ""}
    row.update(fields)
    for name, value in row.items():
        data[f"qualifications-{index}-{name}"] = value
    return data


@pytest.fixture
def level(product):
    return first_level(product)


@pytest.fixture
def operations_qualification(operations):
    return QualificationFactory(
        role_level=first_level(operations), title="Level 2 in customer service"
    )


# --- the model ---------------------------------------------------------------------------
def test_a_title_is_used_once_per_level_whatever_its_case(level, product):
    QualificationFactory(role_level=level, title="Level 3 in management")
    clash = Qualification(role_level=level, title="LEVEL 3 IN MANAGEMENT", awarding_body="CMI")

    with pytest.raises(ValidationError) as caught:
        clash.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        clash.save()

    assert "already has a qualification with this title" in str(caught.value)
    # Another level may have a qualification of the same title.
    other = product.levels.order_by("rank")[1]
    QualificationFactory(role_level=other, title="Level 3 in management")


@pytest.mark.parametrize("field", ["title", "awarding_body"])
def test_a_title_and_an_awarding_body_are_required_by_the_database(level, field):
    values = {"title": "A title", "awarding_body": "A body", field: ""}

    with pytest.raises(IntegrityError), transaction.atomic():
        Qualification.objects.create(role_level=level, **values)


def test_qualifications_are_ordered_by_position_then_title(level):
    QualificationFactory(role_level=level, position=2, title="B second")
    QualificationFactory(role_level=level, position=1, title="Z first")
    QualificationFactory(role_level=level, position=2, title="A second")

    assert [q.title for q in level.qualifications.all()] == ["Z first", "A second", "B second"]


def test_changes_keep_their_history(level, head_of_product):
    qualification = QualificationFactory(role_level=level)
    qualification.summary = "Changed"
    qualification._history_user = head_of_product
    qualification.save()

    assert [r.history_type for r in qualification.history.order_by("history_id")] == ["+", "~"]
    assert qualification.history.latest().history_user == head_of_product


# --- head of that profession ---------------------------------------------------------------
def test_heads_may_view_add_change_and_delete_qualifications():
    assert HEAD_PERMISSIONS["qualification"] == ["view", "add", "change", "delete"]


def test_the_level_form_lists_the_qualifications_inline(head_client, level):
    QualificationFactory(role_level=level, title="Level 4 certificate in product work")

    response = head_client.get(change_url(level))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Accredited qualifications at this level" in content
    assert "Level 4 certificate in product work" in content


def test_a_head_adds_changes_and_deletes_qualifications(head_client, head_of_product, level):
    kept = QualificationFactory(role_level=level, title="Kept")
    gone = QualificationFactory(role_level=level, title="Deleted")
    data = role_level_admin_data(level)
    kept_index = 0 if kept.pk < gone.pk else 1
    data[f"qualifications-{kept_index}-summary"] = "A better summary"
    data[f"qualifications-{1 - kept_index}-DELETE"] = "on"
    with_new_row(
        data,
        position="3",
        title="Level 5 diploma in management and leadership",
        awarding_body="Chartered Management Institute",
        url="www.managers.org.uk/qualifications",
        summary="For managers of managers.",
    )

    response = head_client.post(change_url(level), data)

    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.summary == "A better summary"
    assert not Qualification.objects.filter(pk=gone.pk).exists()
    added = level.qualifications.get(title="Level 5 diploma in management and leadership")
    assert added.url == "https://www.managers.org.uk/qualifications"  # a bare address is https
    assert (added.position, added.awarding_body) == (3, "Chartered Management Institute")
    assert added.history.latest().history_user == head_of_product
    level.refresh_from_db()
    assert level.lock_version == 2


def test_two_rows_with_the_same_title_are_refused(head_client, level):
    data = role_level_admin_data(level)
    with_new_row(data, title="Level 3 in leadership", awarding_body="CMI")
    with_new_row(data, title="level 3 in LEADERSHIP", awarding_body="CMI")

    response = head_client.post(change_url(level), data)

    assert response.status_code == 200
    assert QUALIFICATION_TITLE_REPEATED in response.content.decode()
    assert not level.qualifications.exists()


def test_a_title_the_level_already_has_is_refused(head_client, level):
    QualificationFactory(role_level=level, title="Level 3 in leadership")
    data = with_new_row(
        role_level_admin_data(level), title="LEVEL 3 IN LEADERSHIP", awarding_body="CMI"
    )

    response = head_client.post(change_url(level), data)

    assert response.status_code == 200
    assert QUALIFICATION_TITLE_REPEATED in response.content.decode()
    assert level.qualifications.count() == 1


def test_a_title_someone_else_has_just_given_the_level_is_refused(head_client, level):
    data = with_new_row(
        role_level_admin_data(level), title="LEVEL 3 IN LEADERSHIP", awarding_body="CMI"
    )
    QualificationFactory(role_level=level, title="Level 3 in leadership")  # after the form loaded

    response = head_client.post(change_url(level), data)

    assert response.status_code == 200
    assert QUALIFICATION_TITLE_REPEATED in response.content.decode()
    assert level.qualifications.count() == 1


@pytest.mark.parametrize("how", ["renamed", "deleted"])
def test_taking_a_title_another_row_gives_up_in_the_same_save_is_refused(head_client, level, how):
    first = QualificationFactory(role_level=level, title="Title A")
    QualificationFactory(role_level=level, title="Title B")
    before = everything()
    data = role_level_admin_data(level)
    index = 0 if first.pk == level.qualifications.order_by("pk").first().pk else 1
    data[f"qualifications-{index}-title"] = "Title B"
    if how == "renamed":
        data[f"qualifications-{1 - index}-title"] = "Title A"
    else:
        data[f"qualifications-{1 - index}-DELETE"] = "on"

    response = head_client.post(change_url(level), data)

    assert response.status_code == 200
    assert QUALIFICATION_TITLE_STILL_IN_USE in response.content.decode()
    assert everything() == before


def test_changing_only_the_case_of_a_title_is_fine(head_client, level):
    qualification = QualificationFactory(role_level=level, title="level 3 in leadership")
    data = role_level_admin_data(level)
    data["qualifications-0-title"] = "Level 3 in Leadership"

    response = head_client.post(change_url(level), data)

    assert response.status_code == 302
    qualification.refresh_from_db()
    assert qualification.title == "Level 3 in Leadership"


def test_a_row_without_a_title_or_awarding_body_is_refused(head_client, level):
    data = with_new_row(role_level_admin_data(level), summary="Only a summary")

    response = head_client.post(change_url(level), data)

    assert response.status_code == 200
    inline = response.context["inline_admin_formsets"][1].formset
    assert {"title", "awarding_body"} <= set(inline.errors[0])
    assert not level.qualifications.exists()


def test_a_new_level_can_have_qualifications(head_client, product):
    data = role_level_admin_data(
        first_level(product),
        name="Principal product manager",
        slug="principal",
        rank="10",
        **{
            "expectations-TOTAL_FORMS": "0",
            "expectations-INITIAL_FORMS": "0",
            "qualifications-TOTAL_FORMS": "0",
            "qualifications-INITIAL_FORMS": "0",
        },
    )
    data.pop("loaded_version")
    with_new_row(data, title="Level 7 in product leadership", awarding_body="A body")

    response = head_client.post(reverse("admin:roles_rolelevel_add"), data)

    assert response.status_code == 302
    created = product.levels.get(slug="principal")
    assert [q.title for q in created.qualifications.all()] == ["Level 7 in product leadership"]


# --- head of another profession ------------------------------------------------------------
def test_a_head_cannot_see_another_professions_qualifications(
    head_client, operations, operations_qualification
):
    level = operations_qualification.role_level
    record = operations_qualification.history.get()

    for url in [change_url(level), history_url(level)]:
        response = head_client.get(url)
        assert response.status_code == 404, url
        assert "Level 2 in customer service" not in response.content.decode()
    assert head_client.post(restore_url(level, record)).status_code == 404


def test_a_head_cannot_change_another_professions_qualifications_by_url(
    head_client, operations, operations_qualification
):
    level = operations_qualification.role_level
    before = everything()
    data = role_level_admin_data(level)
    data["qualifications-0-title"] = "Forged"
    with_new_row(data, title="Forged too", awarding_body="Forger")

    response = head_client.post(change_url(level), data)

    assert response.status_code == 404
    assert everything() == before


def test_a_head_cannot_reach_another_levels_qualification_through_their_own_form(
    head_client, level, operations_qualification
):
    before = everything()
    data = role_level_admin_data(level, description="Changed")
    # A row of my level's form pointed at an Operations qualification.
    with_new_row(data, title="Forged", awarding_body="Forger")
    data["qualifications-INITIAL_FORMS"] = "1"
    data["qualifications-0-id"] = str(operations_qualification.pk)
    data["qualifications-0-role_level"] = str(operations_qualification.role_level_id)

    response = head_client.post(change_url(level), data)

    assert response.status_code == 200
    assert everything() == before
    level.refresh_from_db()
    assert level.description == "A longer description of the job at this level."


def test_a_head_cannot_add_a_qualification_to_another_professions_level(
    head_client, level, operations
):
    other_level = first_level(operations)
    data = with_new_row(role_level_admin_data(level), title="Forged", awarding_body="Forger")
    data["qualifications-0-role_level"] = str(other_level.pk)

    response = head_client.post(change_url(level), data)

    assert response.status_code == 200
    assert not Qualification.objects.exists()


def test_a_head_cannot_restore_another_levels_qualification_under_their_own(
    head_client, level, operations_qualification
):
    record = operations_qualification.history.get()
    operations_qualification.delete()

    response = head_client.post(restore_url(level, record))

    assert response.status_code == 404
    assert not Qualification.objects.exists()


# --- superuser, staff who head nothing, anonymous -----------------------------------------
def test_a_superuser_edits_any_professions_qualifications(
    client, admin_user, operations, operations_qualification
):
    level = operations_qualification.role_level
    client.force_login(admin_user)
    data = role_level_admin_data(level)
    data["qualifications-0-summary"] = "Set by the service administrator"

    assert client.get(change_url(level)).status_code == 200
    assert client.get(history_url(level)).status_code == 200
    response = client.post(change_url(level), data)

    assert response.status_code == 302
    operations_qualification.refresh_from_db()
    assert operations_qualification.summary == "Set by the service administrator"


def test_staff_who_head_nothing_and_anonymous_visitors_get_nothing(
    client, product, operations, operations_qualification
):
    level = operations_qualification.role_level
    before = everything()

    anonymous = client.get(change_url(level))
    client.force_login(make_head_of_profession(ProfessionFactory()))
    other_head = client.get(change_url(level))
    client.force_login(PersonFactory().user)
    civil_servant = client.get(change_url(level))

    assert anonymous.status_code == 302
    assert other_head.status_code == 404
    assert civil_servant.status_code == 302  # no staff flag: the admin's sign-in page
    assert everything() == before


# --- history and restore -------------------------------------------------------------------
def test_the_history_page_lists_qualification_changes_with_restore_buttons(head_client, level):
    qualification = QualificationFactory(role_level=level, title="Level 3 in team leading")
    qualification.delete()

    response = head_client.get(history_url(level))

    content = response.content.decode()
    parts = content[content.index('id="part-history-qualification"') :]
    assert "Changes to its qualifications" in parts
    assert "Level 3 in team leading" in parts
    assert "Restore this deleted row" in parts
    deletion = Qualification.history.filter(role_level_id=level.pk, history_type="-").get()
    assert restore_url(level, deletion) in parts


def test_a_deleted_qualification_comes_back(head_client, head_of_product, level):
    qualification = QualificationFactory(role_level=level, title="Level 3 in team leading")
    values = everything()
    qualification.delete()
    deletion = Qualification.history.filter(role_level_id=level.pk, history_type="-").get()

    response = head_client.post(restore_url(level, deletion))

    assert response.status_code == 302
    assert response.headers["Location"] == history_url(level)
    assert everything() == values
    assert Qualification.history.filter(role_level_id=level.pk).latest().history_user == (
        head_of_product
    )
    level.refresh_from_db()
    assert level.lock_version == 2  # an open edit form cannot save over it


def test_an_earlier_state_of_a_qualification_comes_back(head_client, level):
    qualification = QualificationFactory(role_level=level, summary="First words")
    earlier = qualification.history.get()
    qualification.summary = "Second words"
    qualification.save()

    head_client.post(restore_url(level, earlier))

    qualification.refresh_from_db()
    assert qualification.summary == "First words"


def test_a_restore_that_clashes_is_refused_and_changes_nothing(head_client, level):
    qualification = QualificationFactory(role_level=level, title="Level 3 in team leading")
    qualification.delete()
    deletion = Qualification.history.filter(role_level_id=level.pk, history_type="-").get()
    replacement = QualificationFactory(role_level=level, title="level 3 in team leading")
    before = everything()

    response = head_client.post(restore_url(level, deletion), follow=True)

    assert "cannot be restored because it clashes" in response.content.decode()
    assert everything() == before
    assert list(level.qualifications.all()) == [replacement]


def test_an_unknown_part_is_404(head_client, level):
    record = QualificationFactory(role_level=level).history.get()

    response = head_client.post(restore_url(level, record, part="resources"))

    assert response.status_code == 404


def test_the_address_without_a_part_still_restores_expectations(head_client, level):
    expectation = level.expectations.order_by("pk").first()
    earlier = expectation.history.get()
    expectation.proficiency = "expert"
    expectation.save()

    head_client.post(
        reverse("admin:roles_rolelevel_restore_part", args=[level.pk, earlier.history_id])
    )

    expectation.refresh_from_db()
    assert expectation.proficiency == earlier.proficiency


def test_the_service_refuses_a_qualification_whose_level_is_gone(level):
    record = QualificationFactory(role_level=level).history.get()
    level.delete()

    with pytest.raises(ValidationError) as caught:
        framework_part_restore(record=record)

    assert caught.value.messages == [RESTORE_PARENT_GONE.format(parent="level")]


# --- the heads' group ----------------------------------------------------------------------
def test_migrating_gives_the_existing_heads_group_the_new_permissions(head_of_product):
    group = Group.objects.get(name=HEADS_GROUP)
    group.permissions.remove(*group.permissions.filter(codename__endswith="_qualification"))

    _heads_group_in_step(sender=None)

    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {
        "view_qualification",
        "add_qualification",
        "change_qualification",
        "delete_qualification",
    } <= codenames


def test_migrating_makes_no_heads_group_when_there_is_none(db):
    _heads_group_in_step(sender=None)

    assert not Group.objects.filter(name=HEADS_GROUP).exists()
