"""Who can reach what in the framework admin: every role of the access matrix.

A head of product must not reach anything of Operations, by URL or by tampering with a form.
"""

import pytest
from django.urls import reverse

from roles.models import (
    Expectation,
    FrameworkVersion,
    LearningResource,
    Profession,
    RoleLevel,
    Skill,
)
from tests.factories import (
    ExpectationFactory,
    LearningResourceFactory,
    PersonFactory,
    ProfessionFactory,
    SkillFactory,
    UserFactory,
    make_head_of_profession,
    role_level_admin_data,
)

pytestmark = pytest.mark.django_db

# The profession form's inline of priority skills, sent empty.
NO_PRIORITY_SKILLS = {"priority_skills-TOTAL_FORMS": "0", "priority_skills-INITIAL_FORMS": "0"}
# The level form's inline of qualifications, sent empty.
NO_QUALIFICATIONS = {"qualifications-TOTAL_FORMS": "0", "qualifications-INITIAL_FORMS": "0"}


@pytest.fixture
def head_of_product(head_of_product, operations):
    """tests/roles/conftest.py's head of product, with Operations there to be kept out of."""
    return head_of_product


def admin_url(name, *args):
    return reverse(f"admin:roles_{name}", args=args)


def operations_urls(operations):
    """Every admin page of an Operations object."""
    level = operations.levels.order_by("rank").first()
    skill = Skill.objects.filter(expectations__role_level=level).first()
    resource = LearningResource.objects.filter(skill=skill).first()
    version = operations.versions.get()
    level_history = level.history.order_by("history_id").first()
    return [
        admin_url("profession_change", operations.pk),
        admin_url("profession_history", operations.pk),
        admin_url("profession_delete", operations.pk),
        admin_url("profession_preview", operations.pk),
        admin_url("profession_publish", operations.pk),
        admin_url("rolelevel_change", level.pk),
        admin_url("rolelevel_history", level.pk),
        admin_url("rolelevel_delete", level.pk),
        admin_url("rolelevel_simple_history", level.pk, level_history.history_id),
        admin_url("skill_change", skill.pk),
        admin_url("skill_history", skill.pk),
        admin_url("learningresource_change", resource.pk),
        admin_url("learningresource_history", resource.pk),
        admin_url("learningresource_delete", resource.pk),
        admin_url("frameworkversion_change", version.pk),
    ]


# --- anonymous and staff who are not heads -----------------------------------------------
def test_anonymous_visitors_are_sent_to_sign_in(client, product):
    for url in ["/admin/", admin_url("rolelevel_changelist"), admin_url("profession_preview", 1)]:
        response = client.get(url)

        assert response.status_code == 302, url
        assert response.headers["Location"].startswith(("/admin/login/", "/sign-in/")), url


def test_a_civil_servant_without_the_staff_flag_gets_no_admin(client, product):
    person = PersonFactory(profession=product)
    client.force_login(person.user)

    for url in [
        "/admin/",
        admin_url("rolelevel_changelist"),
        admin_url("profession_change", product.pk),
        admin_url("profession_publish", product.pk),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/admin/login/"), url


def test_staff_who_head_nothing_see_no_framework(client, product, operations):
    staff = make_head_of_profession(ProfessionFactory())
    client.force_login(staff)

    response = client.get(admin_url("rolelevel_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == 0
    assert client.get(admin_url("profession_change", product.pk)).status_code == 404


# --- head of product ---------------------------------------------------------------------
def test_a_head_cannot_reach_another_profession_by_url(head_client, operations):
    for url in operations_urls(operations):
        assert head_client.get(url).status_code == 404, url


def test_a_head_cannot_post_to_another_profession_by_url(head_client, operations):
    level = operations.levels.order_by("rank").first()
    before = list(RoleLevel.objects.order_by("pk").values())

    change = head_client.post(
        admin_url("rolelevel_change", level.pk),
        role_level_admin_data(level, description="Forged"),
    )
    delete = head_client.post(admin_url("rolelevel_delete", level.pk), {"post": "yes"})
    publish = head_client.post(
        admin_url("profession_publish", operations.pk), {"change_note": "Forged"}
    )

    assert (change.status_code, delete.status_code, publish.status_code) == (404, 404, 404)
    assert list(RoleLevel.objects.order_by("pk").values()) == before
    assert operations.versions.count() == 1


def test_a_head_cannot_move_a_level_into_another_profession(head_client, product, operations):
    level = product.levels.order_by("rank").first()

    response = head_client.post(
        admin_url("rolelevel_change", level.pk),
        role_level_admin_data(level, profession=str(operations.pk), rank="9", slug="moved"),
    )

    assert response.status_code == 200
    assert "profession" in response.context["adminform"].form.errors
    level.refresh_from_db()
    assert (level.profession, level.slug) == (product, level.slug)
    assert not operations.levels.filter(slug="moved").exists()


def test_a_head_cannot_add_a_level_to_another_profession(head_client, operations):
    count = RoleLevel.objects.count()

    response = head_client.post(
        admin_url("rolelevel_add"),
        {
            "profession": str(operations.pk),
            "name": "Forged level",
            "slug": "forged",
            "rank": "20",
            "expectations-TOTAL_FORMS": "0",
            "expectations-INITIAL_FORMS": "0",
            "expectations-MIN_NUM_FORMS": "0",
            "expectations-MAX_NUM_FORMS": "1000",
            **NO_QUALIFICATIONS,
        },
    )

    assert response.status_code == 200
    assert "profession" in response.context["adminform"].form.errors
    assert RoleLevel.objects.count() == count


def test_a_head_cannot_edit_another_levels_expectation_through_the_inline(
    head_client, product, operations
):
    own_level = product.levels.order_by("rank").first()
    other_expectation = Expectation.objects.filter(role_level__profession=operations).first()
    before = list(Expectation.objects.order_by("pk").values())
    data = role_level_admin_data(own_level, description="Changed")
    # Point the first inline row at an Operations expectation.
    data["expectations-0-id"] = str(other_expectation.pk)
    data["expectations-0-role_level"] = str(other_expectation.role_level_id)
    data["expectations-0-proficiency"] = "expert"
    data["expectations-0-note"] = "Forged"

    response = head_client.post(admin_url("rolelevel_change", own_level.pk), data)

    assert response.status_code == 200
    assert list(Expectation.objects.order_by("pk").values()) == before
    own_level.refresh_from_db()
    assert own_level.description == "A longer description of the job at this level."


def test_a_head_cannot_add_a_resource_to_another_professions_skill(head_client, operations):
    skill = Skill.objects.filter(expectations__role_level__profession=operations).first()
    count = LearningResource.objects.count()

    response = head_client.post(
        admin_url("learningresource_add"),
        {
            "skill": str(skill.pk),
            "title": "Forged",
            "url": "https://example.com/",
            "kind": "course",
        },
    )

    assert response.status_code == 200
    assert "skill" in response.context["adminform"].form.errors
    assert LearningResource.objects.count() == count


def test_a_head_cannot_change_the_heads_of_their_profession(head_client, head_of_product, product):
    other = UserFactory()

    response = head_client.post(
        admin_url("profession_change", product.pk),
        {
            "name": "Product management",
            "slug": "product",
            "summary": "Changed summary",
            "heads": [str(other.pk)],
            **NO_PRIORITY_SKILLS,
        },
    )

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.summary == "Changed summary"
    assert list(product.heads.all()) == [head_of_product]


def test_a_head_cannot_add_or_delete_a_profession(head_client, product):
    count = Profession.objects.count()

    assert head_client.get(admin_url("profession_add")).status_code == 403
    add = head_client.post(admin_url("profession_add"), {"name": "New", "slug": "new"})
    delete = head_client.post(admin_url("profession_delete", product.pk), {"post": "yes"})

    assert (add.status_code, delete.status_code) == (403, 403)
    assert Profession.objects.count() == count


def test_a_head_cannot_reach_users_groups_or_staff_records(head_client):
    index = head_client.get("/admin/").content.decode()

    assert "Role levels" in index
    assert "/admin/accounts/" not in index
    assert "/admin/auth/" not in index
    assert "/admin/people/" not in index
    for url in [
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/auth/group/",
        "/admin/auth/group/add/",
    ]:
        assert head_client.get(url).status_code == 403, url
    assert head_client.get("/admin/people/").status_code == 404


def test_a_head_cannot_give_themselves_more_rights(head_client, head_of_product):
    response = head_client.post(
        f"/admin/accounts/user/{head_of_product.pk}/change/",
        {"email": head_of_product.email, "is_superuser": "on", "is_staff": "on"},
    )

    assert response.status_code == 403
    head_of_product.refresh_from_db()
    assert not head_of_product.is_superuser


def test_a_head_sees_only_their_own_in_changelists(head_client, product, operations):
    new_skill = SkillFactory(name="A brand new skill")

    def listed(name):
        response = head_client.get(admin_url(f"{name}_changelist"))
        assert response.status_code == 200
        return set(response.context["cl"].result_list)

    assert listed("profession") == {product}
    assert listed("rolelevel") == set(product.levels.all())
    assert listed("skill") == set(
        Skill.objects.filter(expectations__role_level__profession=product)
    ) | {new_skill}
    assert listed("learningresource") == set(
        LearningResource.objects.filter(skill__expectations__role_level__profession=product)
    )
    assert listed("frameworkversion") == set(product.versions.all())


def test_the_profession_filter_offers_only_their_professions(head_client, product):
    content = head_client.get(admin_url("rolelevel_changelist")).content.decode()

    assert "Product management" in content
    assert "Operations" not in content


def test_a_skill_shared_with_another_profession_is_theirs_too(head_client, product, operations):
    shared = Skill.objects.filter(expectations__role_level__profession=operations).first()
    ExpectationFactory(role_level=product.levels.first(), skill=shared)

    assert head_client.get(admin_url("skill_change", shared.pk)).status_code == 200


def test_a_head_cannot_pick_another_professions_level_or_skill(head_client, operations):
    response = head_client.get(admin_url("learningresource_add"))
    choices = {str(label) for _, label in response.context["adminform"].form["skill"].field.choices}
    operations_only = Skill.objects.filter(expectations__role_level__profession=operations)

    assert not {skill.name for skill in operations_only} & choices
    level_form = head_client.get(admin_url("rolelevel_add")).context["adminform"].form
    assert {p.name for p in level_form.fields["profession"].queryset} == {"Product management"}


# --- superuser ---------------------------------------------------------------------------
def test_a_superuser_sees_everything(client, admin_user, product, operations):
    LearningResourceFactory()
    client.force_login(admin_user)

    profession_list = client.get(admin_url("profession_changelist")).context["cl"]
    level_list = client.get(admin_url("rolelevel_changelist")).context["cl"]

    assert profession_list.result_count == 2
    assert level_list.result_count == RoleLevel.objects.count()
    for url in operations_urls(operations):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/accounts/user/").status_code == 200


def test_a_superuser_can_set_the_heads(client, admin_user, product):
    head = UserFactory()
    client.force_login(admin_user)

    response = client.post(
        admin_url("profession_change", product.pk),
        {
            "name": product.name,
            "slug": product.slug,
            "summary": "",
            "heads": [str(head.pk)],
            **NO_PRIORITY_SKILLS,
        },
    )

    assert response.status_code == 302
    assert list(product.heads.all()) == [head]


def test_versions_are_read_only_even_for_superusers(client, admin_user, product):
    version = product.versions.get()
    client.force_login(admin_user)

    response = client.post(
        admin_url("frameworkversion_change", version.pk), {"change_note": "Rewritten"}
    )

    assert response.status_code == 403
    assert client.get(admin_url("frameworkversion_add")).status_code == 403
    version.refresh_from_db()
    assert version.change_note == "First version"
    assert FrameworkVersion.objects.count() == 1


def test_a_removed_head_loses_access(client, head_of_product, product):
    product.heads.remove(head_of_product)
    client.force_login(head_of_product)

    assert client.get(admin_url("profession_change", product.pk)).status_code == 404
    assert client.get(admin_url("profession_preview", product.pk)).status_code == 404


def test_publishing_from_a_forged_profession_id_changes_nothing(head_client, operations):
    count = FrameworkVersion.objects.count()

    response = head_client.post(
        admin_url("profession_publish", "not-a-number"), {"change_note": "Forged"}
    )

    assert response.status_code == 404
    assert FrameworkVersion.objects.count() == count
