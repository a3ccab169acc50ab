"""Publishing a profession's working copy as a numbered version: the service and the admin view."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from roles.models import FrameworkVersion, RoleLevel
from roles.services import (
    CHANGE_NOTE_REQUIRED,
    CHANGE_NOTE_TOO_LONG,
    NOT_HEAD_OF_PROFESSION,
    NOTHING_TO_PUBLISH,
    framework_publish,
)
from tests.factories import ProfessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    """Product and Operations (tests/roles/conftest.py) start unpublished: these tests publish."""
    return False


def publish_url(profession):
    return reverse("admin:roles_profession_publish", args=[profession.pk])


# --- the service -------------------------------------------------------------------------
def test_versions_are_numbered_one_two_three(product, head_of_product):
    numbers = [
        framework_publish(profession=product, by=head_of_product, change_note=f"Change {n}").number
        for n in range(3)
    ]

    assert numbers == [1, 2, 3]
    stored = list(product.versions.order_by("number").values_list("number", "change_note"))
    assert stored == [(1, "Change 0"), (2, "Change 1"), (3, "Change 2")]


def test_numbers_are_per_profession(product, operations, head_of_product):
    framework_publish(profession=product, by=head_of_product, change_note="First")
    version = framework_publish(profession=operations, by=None, change_note="First")

    assert version.number == 1


@pytest.mark.parametrize("note", ["", "   \n  ", None])
def test_an_empty_change_note_is_refused(product, head_of_product, note):
    with pytest.raises(ValidationError) as error:
        framework_publish(profession=product, by=head_of_product, change_note=note)

    assert error.value.message_dict == {"change_note": [CHANGE_NOTE_REQUIRED]}
    assert not FrameworkVersion.objects.exists()


def test_a_change_note_over_2000_characters_is_refused(product, head_of_product):
    with pytest.raises(ValidationError) as error:
        framework_publish(profession=product, by=head_of_product, change_note="x" * 2001)

    assert error.value.message_dict == {"change_note": [CHANGE_NOTE_TOO_LONG]}
    assert not FrameworkVersion.objects.exists()


def test_a_framework_without_levels_has_nothing_to_publish(head_of_product):
    empty = ProfessionFactory()
    head_of_product.headed_professions.add(empty)

    with pytest.raises(ValidationError) as error:
        framework_publish(profession=empty, by=head_of_product, change_note="First")

    assert error.value.messages == [NOTHING_TO_PUBLISH]
    assert not FrameworkVersion.objects.exists()


def test_only_a_head_of_that_profession_can_publish(operations, head_of_product):
    with pytest.raises(PermissionDenied) as error:
        framework_publish(profession=operations, by=head_of_product, change_note="Sneaky")

    assert str(error.value) == NOT_HEAD_OF_PROFESSION
    assert not FrameworkVersion.objects.exists()


def test_a_superuser_can_publish_any_profession(operations):
    admin = UserFactory(is_staff=True, is_superuser=True)

    version = framework_publish(profession=operations, by=admin, change_note="First")

    assert version.published_by == admin


def test_the_snapshot_freezes_the_whole_working_copy(product, head_of_product):
    version = framework_publish(profession=product, by=head_of_product, change_note="First")
    level = product.levels.order_by("rank").first()
    level.description = "Edited after publishing"
    level.save()

    version.refresh_from_db()
    content = version.content
    assert content["profession"]["slug"] == "product"
    assert [lv["rank"] for lv in content["levels"]] == [1, 2, 3]
    assert content["levels"][0]["description"] == "A longer description of the job at this level."
    assert len(content["levels"][0]["expectations"]) == 4
    assert len(content["skills"]) == 4
    assert set(content["skills"][0]["descriptors"]) == {
        "awareness",
        "working",
        "practitioner",
        "expert",
    }
    assert len(content["skills"][0]["resources"]) == 1
    assert version.published_by == head_of_product
    assert version.published_at is not None


# --- the admin view ----------------------------------------------------------------------
def test_a_head_publishes_with_a_change_note(client, product, head_of_product):
    client.force_login(head_of_product)

    response = client.post(publish_url(product), {"change_note": "Clearer levels"}, follow=True)

    version = product.versions.get()
    assert (version.number, version.change_note) == (1, "Clearer levels")
    assert version.published_by == head_of_product
    assert response.redirect_chain == [
        (reverse("admin:roles_profession_change", args=[product.pk]), 302)
    ]
    assert "Published version 1 of Product management." in response.content.decode()


def test_the_publish_page_shows_the_next_number(client, product, head_of_product):
    framework_publish(profession=product, by=head_of_product, change_note="First")
    client.force_login(head_of_product)

    response = client.get(publish_url(product))

    assert response.status_code == 200
    assert "Publish version 2" in response.content.decode()


def test_an_empty_note_shows_an_error_and_publishes_nothing(client, product, head_of_product):
    client.force_login(head_of_product)

    response = client.post(publish_url(product), {"change_note": "  "})

    assert response.status_code == 200
    assert CHANGE_NOTE_REQUIRED in response.content.decode()
    assert response.context["form"].errors == {"change_note": [CHANGE_NOTE_REQUIRED]}
    assert not FrameworkVersion.objects.exists()


def test_nothing_to_publish_is_shown_as_an_error(client, head_of_product):
    empty = ProfessionFactory()
    head_of_product.headed_professions.add(empty)
    client.force_login(head_of_product)

    response = client.post(publish_url(empty), {"change_note": "First"})

    assert response.status_code == 200
    assert NOTHING_TO_PUBLISH in response.content.decode()
    assert not FrameworkVersion.objects.exists()


def test_a_head_of_another_profession_cannot_publish(client, operations, head_of_product):
    client.force_login(head_of_product)

    assert client.get(publish_url(operations)).status_code == 404
    response = client.post(publish_url(operations), {"change_note": "Forged"})

    assert response.status_code == 404
    assert not FrameworkVersion.objects.exists()


def test_a_staff_member_who_heads_nothing_cannot_publish(client, product):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    response = client.post(publish_url(product), {"change_note": "Forged"})

    assert response.status_code == 404
    assert not FrameworkVersion.objects.exists()


def test_a_head_without_change_permission_gets_403(client, product, head_of_product):
    # Someone left in Profession.heads after being removed from the heads group.
    head_of_product.groups.clear()
    head_of_product.user_permissions.clear()
    client.force_login(head_of_product)

    response = client.post(publish_url(product), {"change_note": "Forged"})

    assert response.status_code == 403
    assert not FrameworkVersion.objects.exists()


def test_a_superuser_publishes_from_the_admin(client, operations, admin_user):
    client.force_login(admin_user)

    response = client.post(publish_url(operations), {"change_note": "First"})

    assert response.status_code == 302
    assert operations.versions.get().published_by == admin_user


def test_an_anonymous_visitor_is_sent_to_sign_in(client, product):
    response = client.post(publish_url(product), {"change_note": "Forged"})

    assert response.status_code == 302
    assert not FrameworkVersion.objects.exists()


def test_publishing_does_not_touch_the_working_copy(client, product, head_of_product):
    before = list(RoleLevel.objects.order_by("pk").values())
    client.force_login(head_of_product)

    client.post(publish_url(product), {"change_note": "First"})

    assert list(RoleLevel.objects.order_by("pk").values()) == before
