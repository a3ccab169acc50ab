"""Skill ownership: only the owning profession's heads (and service administrators) change a
skill, its descriptors and its learning resources; other heads may use it in their levels.

Includes the repro of issue 10: head.product@ adds an Operations-only skill to a Product level,
then tries to change it (and its descriptors and resources) by every route.
"""

import pytest
from django.urls import reverse

from roles.admin import OTHER_SKILLS, OWN_SKILLS, SKILL_OWNED_ELSEWHERE
from roles.models import Expectation, LearningResource, Skill, SkillDescriptor
from roles.permissions import can_edit_skill, skills_editable_by, skills_usable_by
from roles.snapshot import build_snapshot
from tests.factories import (
    LearningResourceFactory,
    PersonFactory,
    SkillFactory,
    UserFactory,
    make_head_of_profession,
    role_level_admin_data,
)

pytestmark = pytest.mark.django_db

NO_QUALIFICATIONS = {"qualifications-TOTAL_FORMS": "0", "qualifications-INITIAL_FORMS": "0"}


@pytest.fixture
def head_of_product(head_of_product, operations):
    """The head of product, with Operations there to be kept out of."""
    return head_of_product


def operations_skill(operations):
    """A skill Operations owns and uses; Product does not use it."""
    return Skill.objects.filter(owner=operations).order_by("pk").first()


def skill_form_data(skill, **changes):
    descriptors = list(skill.descriptors.order_by("pk"))
    data = {
        "name": skill.name,
        "slug": skill.slug,
        "description": skill.description,
        "owner": str(skill.owner_id),
        "descriptors-TOTAL_FORMS": str(len(descriptors)),
        "descriptors-INITIAL_FORMS": str(len(descriptors)),
        "descriptors-MIN_NUM_FORMS": "0",
        "descriptors-MAX_NUM_FORMS": "4",
    }
    for index, descriptor in enumerate(descriptors):
        data[f"descriptors-{index}-id"] = str(descriptor.pk)
        data[f"descriptors-{index}-skill"] = str(skill.pk)
        data[f"descriptors-{index}-proficiency"] = descriptor.proficiency
        data[f"descriptors-{index}-description"] = descriptor.description
    data.update(changes)
    return data


def skill_state(skill):
    skill.refresh_from_db()
    return (
        skill.name,
        skill.description,
        skill.owner_id,
        sorted(skill.descriptors.values_list("proficiency", "description")),
        sorted(skill.resources.values_list("title", "url")),
    )


def add_expectation(client, level, skill):
    """Post the level's admin form with one more expectation: this skill at working."""
    data = {**role_level_admin_data(level), **NO_QUALIFICATIONS}
    index = int(data["expectations-TOTAL_FORMS"])
    data["expectations-TOTAL_FORMS"] = str(index + 1)
    data[f"expectations-{index}-skill"] = str(skill.pk)
    data[f"expectations-{index}-proficiency"] = "working"
    data[f"expectations-{index}-note"] = ""
    data[f"expectations-{index}-role_level"] = str(level.pk)
    return client.post(reverse("admin:roles_rolelevel_change", args=[level.pk]), data)


# --- the rules ---------------------------------------------------------------------------
def test_only_heads_of_the_owner_and_administrators_may_edit_a_skill(
    product, operations, head_of_product
):
    own = Skill.objects.filter(owner=product).first()
    theirs = operations_skill(operations)
    admin = UserFactory(is_staff=True, is_superuser=True)
    leaver = make_head_of_profession(operations)
    leaver.is_active = False

    assert can_edit_skill(head_of_product, own)
    assert not can_edit_skill(head_of_product, theirs)
    assert can_edit_skill(admin, theirs)
    assert not can_edit_skill(leaver, theirs)
    assert not can_edit_skill(PersonFactory().user, own)
    assert set(skills_editable_by(head_of_product)) == set(Skill.objects.filter(owner=product))


def test_usable_skills_are_own_and_those_other_owners_use(product, operations, head_of_product):
    draft = SkillFactory(owner=operations)  # Operations made it but uses it nowhere yet

    usable = set(skills_usable_by(head_of_product))

    assert set(Skill.objects.filter(owner=product)) <= usable
    assert operations_skill(operations) in usable
    assert draft not in usable
    assert not skills_usable_by(PersonFactory().user).exists()


# --- the skill admin, each role -----------------------------------------------------------
@pytest.mark.parametrize("page", ["changelist", "change"])
def test_anonymous_and_plain_staff_cannot_reach_the_skill_admin(client, operations, page):
    skill = operations_skill(operations)
    url = (
        reverse("admin:roles_skill_changelist")
        if page == "changelist"
        else reverse("admin:roles_skill_change", args=[skill.pk])
    )

    anonymous = client.get(url)
    client.force_login(PersonFactory().user)
    staff = client.get(url)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/sign-in/")
    assert staff.status_code == 302
    assert staff["Location"].startswith("/admin/login/")  # the admin turns away non-staff


def test_the_owners_head_can_change_the_skill(head_client, product):
    skill = Skill.objects.filter(owner=product).first()

    response = head_client.post(
        reverse("admin:roles_skill_change", args=[skill.pk]),
        skill_form_data(skill, description="Clearer now"),
    )

    assert response.status_code == 302
    skill.refresh_from_db()
    assert skill.description == "Clearer now"


def test_a_service_administrator_can_change_any_skill(client, operations):
    skill = operations_skill(operations)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        reverse("admin:roles_skill_change", args=[skill.pk]),
        skill_form_data(skill, description="Changed by the service"),
    )

    assert response.status_code == 302
    skill.refresh_from_db()
    assert skill.description == "Changed by the service"


def test_another_professions_skill_nobody_of_yours_uses_is_not_found(head_client, operations):
    skill = operations_skill(operations)
    before = skill_state(skill)

    for name in ("change", "history", "delete"):
        response = head_client.get(reverse(f"admin:roles_skill_{name}", args=[skill.pk]))
        assert response.status_code == 404, name
    response = head_client.post(
        reverse("admin:roles_skill_change", args=[skill.pk]), skill_form_data(skill)
    )
    listing = head_client.get(reverse("admin:roles_skill_changelist"))

    assert response.status_code == 404
    assert skill.name not in listing.content.decode()
    assert skill_state(skill) == before


def test_the_head_of_product_adds_an_operations_skill_but_cannot_change_it(
    head_client, product, operations
):
    """Issue 10's repro, every step."""
    skill = operations_skill(operations)
    resource = skill.resources.first()
    descriptor = skill.descriptors.order_by("pk").first()
    level = product.levels.order_by("rank").first()
    operations_preview = build_snapshot(operations)
    before = skill_state(skill)

    # Using it in a Product level is allowed: the picker offers it, labelled with its owner.
    form = head_client.get(reverse("admin:roles_rolelevel_change", args=[level.pk]))
    assert f"{skill.name} (Operations)" in form.content.decode()
    assert add_expectation(head_client, level, skill).status_code == 302
    assert Expectation.objects.filter(role_level=level, skill=skill).exists()

    # Its page is now read only, labelled with its owner.
    page = head_client.get(reverse("admin:roles_skill_change", args=[skill.pk]))
    assert page.status_code == 200
    assert SKILL_OWNED_ELSEWHERE.format(owner="Operations") in page.content.decode()
    assert 'name="description"' not in page.content.decode()
    assert 'name="descriptors-0-description"' not in page.content.decode()

    # Changing it, its descriptors, its history or its resources is refused.
    changed = skill_form_data(skill, description="Product's words")
    changed["descriptors-0-description"] = "Product's descriptor"
    attempts = [
        head_client.post(reverse("admin:roles_skill_change", args=[skill.pk]), changed),
        head_client.post(reverse("admin:roles_skill_delete", args=[skill.pk]), {"post": "yes"}),
        head_client.post(
            reverse(
                "admin:roles_skill_simple_history",
                args=[skill.pk, skill.history.earliest().history_id],
            ),
            changed,
        ),
        head_client.post(
            reverse("admin:roles_skill_restore_part", args=[skill.pk, "descriptor", 1]),
        ),
        head_client.post(
            reverse("admin:roles_learningresource_change", args=[resource.pk]),
            {
                "skill": str(skill.pk),
                "title": "Product's course",
                "url": "https://example.com/course",
                "provider": "",
                "kind": "course",
                "proficiency": "",
            },
        ),
        head_client.post(
            reverse("admin:roles_learningresource_delete", args=[resource.pk]), {"post": "yes"}
        ),
    ]
    assert [response.status_code for response in attempts] == [403] * len(attempts)
    assert skill_state(skill) == before
    assert SkillDescriptor.objects.get(pk=descriptor.pk).description == descriptor.description
    assert build_snapshot(operations) == operations_preview


def test_a_shared_skill_owned_by_operations_cannot_be_changed_by_the_head_of_product(
    head_client, product, operations
):
    skill = operations_skill(operations)
    Expectation.objects.create(
        role_level=product.levels.first(), skill=skill, proficiency="working"
    )
    before = skill_state(skill)

    response = head_client.post(
        reverse("admin:roles_skill_change", args=[skill.pk]),
        skill_form_data(skill, description="Rewritten by Product"),
    )

    assert response.status_code == 403
    assert skill_state(skill) == before


def test_the_skill_picker_refuses_a_skill_it_does_not_offer(head_client, product, operations):
    draft = SkillFactory(owner=operations)  # not used by Operations: not offered to Product
    level = product.levels.order_by("rank").first()
    count = Expectation.objects.count()

    form = head_client.get(reverse("admin:roles_rolelevel_change", args=[level.pk]))
    response = add_expectation(head_client, level, draft)

    assert draft.name not in form.content.decode()
    assert OWN_SKILLS in form.content.decode()
    assert OTHER_SKILLS in form.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Expectation.objects.count() == count


def test_a_new_skill_cannot_be_given_to_a_profession_the_head_does_not_head(
    head_client, product, operations
):
    data = {
        "name": "Forged ownership",
        "slug": "forged-ownership",
        "description": "",
        "owner": str(operations.pk),
        "descriptors-TOTAL_FORMS": "0",
        "descriptors-INITIAL_FORMS": "0",
    }

    refused = head_client.post(reverse("admin:roles_skill_add"), data)
    accepted = head_client.post(
        reverse("admin:roles_skill_add"), {**data, "owner": str(product.pk)}
    )

    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert accepted.status_code == 302
    assert Skill.objects.get(slug="forged-ownership").owner == product


def test_a_new_resource_cannot_go_on_a_skill_owned_elsewhere(head_client, product, operations):
    skill = operations_skill(operations)
    Expectation.objects.create(
        role_level=product.levels.first(), skill=skill, proficiency="working"
    )
    count = LearningResource.objects.count()

    response = head_client.post(
        reverse("admin:roles_learningresource_add"),
        {
            "skill": str(skill.pk),
            "title": "Sneaky course",
            "url": "https://example.com/sneaky",
            "provider": "",
            "kind": "course",
            "proficiency": "",
        },
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert LearningResource.objects.count() == count


def test_a_head_of_product_sees_their_own_resources_editable(head_client, product):
    resource = LearningResourceFactory(skill=Skill.objects.filter(owner=product).first())

    response = head_client.get(reverse("admin:roles_learningresource_change", args=[resource.pk]))

    assert response.status_code == 200
    assert 'name="title"' in response.content.decode()
