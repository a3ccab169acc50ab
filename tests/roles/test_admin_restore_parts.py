"""Restoring an expectation or a skill descriptor from a level's or skill's history page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from careerpath.templatetags.govuk_dates import govuk_datetime
from roles.models import Expectation, RoleLevel, SkillDescriptor
from roles.services import RESTORE_CONFLICT, RESTORE_PARENT_GONE, framework_part_restore

pytestmark = pytest.mark.django_db


def first_level(profession):
    return RoleLevel.objects.filter(profession=profession).order_by("rank").first()


def restore_url(level, record):
    return reverse("admin:roles_rolelevel_restore_part", args=[level.pk, record.history_id])


def test_a_deleted_expectation_comes_back(head_client, product):
    level = first_level(product)
    expectation = level.expectations.order_by("pk").first()
    skill_id, proficiency = expectation.skill_id, expectation.proficiency
    expectation.delete()
    deletion = Expectation.history.filter(role_level_id=level.pk, history_type="-").get()
    lock_before = level.lock_version

    response = head_client.post(restore_url(level, deletion))

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("admin:roles_rolelevel_history", args=[level.pk])
    restored = Expectation.objects.get(role_level=level, skill_id=skill_id)
    assert restored.proficiency == proficiency
    level.refresh_from_db()
    assert level.lock_version == lock_before + 1  # an open edit form cannot save over it
    assert (
        Expectation.history.filter(skill_id=skill_id, role_level_id=level.pk).first().history_user
    )


def test_an_earlier_proficiency_comes_back(head_client, product):
    level = first_level(product)
    expectation = level.expectations.order_by("pk").first()
    earlier = expectation.history.order_by("history_date").last()
    expectation.proficiency = "expert"
    expectation.save()

    head_client.post(restore_url(level, earlier))

    expectation.refresh_from_db()
    assert expectation.proficiency == earlier.proficiency


def test_the_history_page_offers_restore_buttons(head_client, product):
    level = first_level(product)
    level.expectations.order_by("pk").first().delete()
    deleted = Expectation.history.filter(role_level_id=level.pk, history_type="-").get()

    html = head_client.get(reverse("admin:roles_rolelevel_history", args=[level.pk])).content

    assert b"Restore this deleted row" in html
    assert b"Restore this state" in html
    assert f"<td>{govuk_datetime(deleted.history_date)}</td>".encode() in html


def test_a_descriptor_comes_back_on_the_skill_page(head_client, product):
    skill = first_level(product).expectations.first().skill
    descriptor = skill.descriptors.get(proficiency="expert")
    text = descriptor.description
    descriptor.delete()
    deletion = SkillDescriptor.history.filter(skill_id=skill.pk, history_type="-").get()

    head_client.post(
        reverse("admin:roles_skill_restore_part", args=[skill.pk, deletion.history_id])
    )

    assert skill.descriptors.get(proficiency="expert").description == text


def test_restore_is_post_only(head_client, product):
    level = first_level(product)
    record = Expectation.history.filter(role_level_id=level.pk).first()

    response = head_client.get(restore_url(level, record))

    assert response.status_code == 405


def changed_since(level):
    """A level's first expectation, changed to Expert, and the history record of it before."""
    expectation = level.expectations.order_by("pk").first()
    earlier = expectation.history.order_by("history_date").last()
    expectation.proficiency = "expert"
    expectation.save()
    return expectation, earlier


def test_another_professions_level_is_404_and_changes_nothing(head_client, operations):
    level = first_level(operations)
    expectation, earlier = changed_since(level)

    response = head_client.post(restore_url(level, earlier))

    assert response.status_code == 404
    expectation.refresh_from_db()
    assert expectation.proficiency == "expert"


def test_a_record_of_another_level_under_my_level_is_404(head_client, product, operations):
    mine = first_level(product)
    expectation, earlier = changed_since(first_level(operations))

    response = head_client.post(restore_url(mine, earlier))

    assert response.status_code == 404
    expectation.refresh_from_db()
    assert expectation.proficiency == "expert"


def test_anonymous_is_sent_to_sign_in(client, product):
    level = first_level(product)
    record = Expectation.history.filter(role_level_id=level.pk).first()

    response = client.post(restore_url(level, record))

    assert response.status_code == 302
    assert "login" in response.headers["Location"] or "sign-in" in response.headers["Location"]


def test_a_clash_is_refused_with_a_message_and_changes_nothing(head_client, product):
    level = first_level(product)
    expectation = level.expectations.order_by("pk").first()
    skill_id = expectation.skill_id
    expectation.delete()
    deletion = Expectation.history.filter(role_level_id=level.pk, history_type="-").get()
    replacement = Expectation.objects.create(
        role_level=level, skill_id=skill_id, proficiency="expert"
    )

    response = head_client.post(restore_url(level, deletion), follow=True)

    assert "cannot be restored because it clashes" in response.content.decode()
    assert list(Expectation.objects.filter(role_level=level, skill_id=skill_id)) == [replacement]
    replacement.refresh_from_db()
    assert replacement.proficiency == "expert"


def test_the_service_refuses_when_the_level_is_gone(product):
    level = first_level(product)
    record = Expectation.history.filter(role_level_id=level.pk).first()
    level.delete()

    with pytest.raises(ValidationError) as caught:
        framework_part_restore(record=record)

    assert caught.value.messages == [RESTORE_PARENT_GONE.format(parent="level")]
    assert RESTORE_CONFLICT.split(":")[0] not in caught.value.messages[0]
