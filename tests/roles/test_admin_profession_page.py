"""The admin's profession page for heads of profession (roles.admin_views.profession_page), the
landing after signing in to the admin, and descriptors in proficiency order in the admin."""

import pytest
from django.urls import reverse

from roles.admin_views import PublishForm
from roles.models import FrameworkVersion, RoleLevel, SkillDescriptor
from roles.services import CHANGE_NOTE_REQUIRED
from tests.conftest import PASSWORD
from tests.factories import (
    ProfessionFactory,
    SkillFactory,
    UserFactory,
    make_framework,
    make_head_of_profession,
)
from tests.roles.conftest import ADMIN_ROLES


def page_url(profession):
    return reverse("admin:roles_profession_page", args=[profession.pk])


@pytest.mark.parametrize(("role", "status"), ADMIN_ROLES)
def test_who_may_see_the_profession_page(sign_in_as, product, role, status):
    client = sign_in_as(role)

    response = client.get(page_url(product))

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("role", "status"), ADMIN_ROLES)
def test_who_may_publish_from_the_profession_page(sign_in_as, product, role, status):
    RoleLevel.objects.filter(profession=product, rank=1).update(summary="Changed")
    client = sign_in_as(role)

    response = client.post(page_url(product), {"change_note": "A forged publish"})

    published = FrameworkVersion.objects.filter(profession=product).count()
    if status == 200:
        assert response.status_code == 302
        assert published == 2
    else:
        assert response.status_code == status
        assert published == 1


@pytest.mark.parametrize("object_id", ["999999", "abc", "1%00", "-1"])
def test_a_forged_profession_id_is_404(head_client, product, object_id):
    response = head_client.get(f"/admin/roles/profession/{object_id}/page/")

    assert response.status_code == 404


def test_the_page_lists_the_changes_since_the_published_version(head_client, product):
    level = RoleLevel.objects.filter(profession=product).order_by("rank").first()
    level.name = "A renamed level"
    level.save()
    skill = level.expectations.select_related("skill").first().skill
    level.expectations.filter(skill=skill).update(proficiency="expert")

    response = head_client.get(page_url(product))

    page = response.content.decode()
    assert "What publishing would change from version 1" in page
    assert "to A renamed level" in page
    assert f"A renamed level: {skill.name} changed from Awareness to Expert" in page
    assert "Publish version 2" in page
    assert reverse("admin:roles_profession_preview", args=[product.pk]) in page
    assert "govuk-button" in page


def test_with_nothing_changed_there_is_nothing_to_publish(head_client, product):
    response = head_client.get(page_url(product))

    page = response.content.decode()
    assert "there is nothing new to publish" in page
    assert "Publish version 2" not in page


def test_an_unpublished_profession_offers_version_1(client, db):
    profession, _ = make_framework(publish=False)
    client.force_login(make_head_of_profession(profession))

    page = client.get(page_url(profession)).content.decode()

    assert "This framework has not been published yet" in page
    assert "Publish version 1" in page


def test_publishing_needs_a_change_note_and_changes_nothing_without_one(head_client, product):
    RoleLevel.objects.filter(profession=product, rank=1).update(summary="Changed")

    response = head_client.post(page_url(product), {"change_note": "   "})

    assert response.status_code == 200
    assert response.context["form"].errors["change_note"] == [CHANGE_NOTE_REQUIRED]
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "<title>Error: " in page
    assert FrameworkVersion.objects.filter(profession=product).count() == 1


def test_publishing_from_the_page_names_the_head(head_client, product, head_of_product):
    RoleLevel.objects.filter(profession=product, rank=1).update(summary="Changed")

    response = head_client.post(page_url(product), {"change_note": "New summary"}, follow=True)

    version = FrameworkVersion.objects.get(profession=product, number=2)
    assert version.published_by == head_of_product
    assert version.change_note == "New summary"
    assert "Published version 2 of Product management." in response.content.decode()


def test_the_publish_form_says_the_same_as_the_service(db):
    form = PublishForm({"change_note": ""})

    assert form.errors["change_note"] == [CHANGE_NOTE_REQUIRED]


def test_queries_do_not_grow_with_the_framework(client, django_assert_max_num_queries, db):
    small, _ = make_framework(levels=1, skills=1)
    large, _ = make_framework(levels=8, skills=20)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.get(page_url(small))  # the session and content types are read once

    with django_assert_max_num_queries(20) as small_queries:
        client.get(page_url(small))
    with django_assert_max_num_queries(20) as large_queries:
        client.get(page_url(large))
    assert len(small_queries) == len(large_queries)


# --- landing after signing in ---------------------------------------------------------------
def test_a_head_of_one_profession_lands_on_its_page(client, product):
    head = make_head_of_profession(product, password=PASSWORD)

    # Going to /admin/ signed out: the admin's sign-in page, then signing in there.
    to_admin_login = client.get(reverse("admin:index"))
    sign_in_page = client.get(to_admin_login["Location"])
    signed_in = client.post(
        to_admin_login["Location"],
        {"username": head.email, "password": PASSWORD, "next": sign_in_page.context["next"]},
    )
    landing = client.get(signed_in["Location"])

    assert sign_in_page.status_code == 200
    assert signed_in["Location"] == reverse("admin:roles_profession_landing")
    assert landing["Location"] == page_url(product)


def test_signing_in_to_the_admin_on_the_way_elsewhere_goes_there(client, product):
    head = make_head_of_profession(product, password=PASSWORD)
    wanted = reverse("admin:roles_skill_changelist")
    address = f"{reverse('admin:login')}?next={wanted}"

    sign_in_page = client.get(address)
    signed_in = client.post(
        address,
        {"username": head.email, "password": PASSWORD, "next": sign_in_page.context["next"]},
    )

    assert signed_in["Location"] == wanted


def test_the_admin_sign_in_page_without_next_lands_there_too(client, product):
    client.force_login(make_head_of_profession(product))

    response = client.get(reverse("admin:login"))

    assert response["Location"] == reverse("admin:roles_profession_landing")


def test_the_admin_sign_in_on_the_way_elsewhere_is_left_alone(client, product):
    client.force_login(make_head_of_profession(product))

    response = client.get(reverse("admin:login"), {"next": "/admin/roles/skill/"})

    assert response["Location"] != reverse("admin:roles_profession_landing")


def test_a_head_of_several_professions_sees_a_list(client, product, operations):
    head = make_head_of_profession(product)
    operations.heads.add(head)
    client.force_login(head)

    response = client.get(reverse("admin:roles_profession_landing"))

    assert response.status_code == 200
    assert [p.name for p in response.context["professions"]] == [
        "Operations",
        "Product management",
    ]
    assert page_url(operations) in response.content.decode()


@pytest.mark.parametrize("role", ["service administrator", "staff"])
def test_others_land_on_the_admin_index(client, db, role):
    client.force_login(UserFactory(is_staff=True, is_superuser=role == "service administrator"))

    response = client.get(reverse("admin:roles_profession_landing"))

    assert response["Location"] == reverse("admin:index")


def test_the_landing_needs_admin_sign_in(client, db):
    response = client.get(reverse("admin:roles_profession_landing"))

    assert response["Location"].startswith(reverse("login"))


# --- descriptors in the scale's order ---------------------------------------------------------
def test_descriptor_rows_are_in_proficiency_order(head_client, product):
    skill = SkillFactory(name="Ordered skill")
    for proficiency in ["expert", "awareness", "practitioner", "working"]:
        SkillDescriptor.objects.create(skill=skill, proficiency=proficiency, description="x")
    level = RoleLevel.objects.filter(profession=product).first()
    level.expectations.create(skill=skill, proficiency="working")

    response = head_client.get(reverse("admin:roles_skill_change", args=[skill.pk]))

    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.instance.proficiency for form in formset.forms] == [
        "awareness",
        "working",
        "practitioner",
        "expert",
    ]


def test_the_page_is_linked_from_the_profession_change_page(head_client, product):
    page = head_client.get(reverse("admin:roles_profession_change", args=[product.pk]))

    assert page_url(product) in page.content.decode()


def test_another_profession_of_the_same_head_is_not_mixed_in(client, db):
    one = ProfessionFactory(name="One", slug="one")
    make_framework(profession=one)
    client.force_login(make_head_of_profession(one))

    response = client.get(page_url(one))

    assert response.context["profession"] == one


def test_a_change_note_too_long_is_refused_on_its_field(head_client, product):
    from roles.services import CHANGE_NOTE_TOO_LONG

    RoleLevel.objects.filter(profession=product, rank=1).update(summary="Changed")

    response = head_client.post(page_url(product), {"change_note": "x" * 2001})

    assert response.context["form"].errors["change_note"] == [CHANGE_NOTE_TOO_LONG]
    assert FrameworkVersion.objects.filter(profession=product).count() == 1


def test_the_preview_says_what_changed(head_client, product):
    level = RoleLevel.objects.filter(profession=product).order_by("rank").first()
    level.summary = "A summary written since version 1"
    level.save()

    response = head_client.get(reverse("admin:roles_profession_preview", args=[product.pk]))

    page = response.content.decode()
    assert "has changes since the published version 1" in page
    assert f"{level.name}: changed summary" in page
    assert f"<h1>Preview: {product.name}</h1>" in page
