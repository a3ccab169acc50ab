"""The framework admin: editing levels with their expectations, history and revert, two people
editing the same level, preview, and query counts on a large framework."""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from roles.models import Expectation, RoleLevel
from roles.services import LEVEL_CHANGED_BY_SOMEONE_ELSE, role_level_save
from tests.factories import (
    ProfessionFactory,
    RoleLevelFactory,
    make_framework,
    make_head_of_profession,
    role_level_admin_data,
)

pytestmark = pytest.mark.django_db

# The level form's inline of qualifications, sent empty.
NO_QUALIFICATIONS = {"qualifications-TOTAL_FORMS": "0", "qualifications-INITIAL_FORMS": "0"}


@pytest.fixture
def level(product):
    return product.levels.order_by("rank").first()


def change_url(level):
    return reverse("admin:roles_rolelevel_change", args=[level.pk])


def test_the_site_is_named_for_the_service(head_client):
    response = head_client.get("/admin/")

    assert admin.site.site_header == "Civil Service career pathways administration"
    assert "Civil Service career pathways administration" in response.content.decode()


# --- editing a level ---------------------------------------------------------------------
def test_a_level_saves_with_its_expectations(head_client, level):
    data = role_level_admin_data(level, description="New description", grades=["SEO", "HEO"])
    data["expectations-0-proficiency"] = "expert"
    data["expectations-0-note"] = "Leads on this"
    first = level.expectations.order_by("pk").first()

    response = head_client.post(change_url(level), data)

    assert response.status_code == 302
    level.refresh_from_db()
    first.refresh_from_db()
    assert level.description == "New description"
    assert level.grades == ["HEO", "SEO"]  # lowest first, whatever the order posted
    assert level.lock_version == 2
    assert (first.proficiency, first.note) == ("expert", "Leads on this")


def test_the_change_form_carries_the_version_loaded(head_client, level):
    RoleLevel.objects.filter(pk=level.pk).update(lock_version=7)

    response = head_client.get(change_url(level))

    assert response.context["adminform"].form["loaded_version"].value() == 7
    assert 'name="loaded_version" value="7"' in response.content.decode()


def test_the_second_of_two_simultaneous_saves_is_refused(client, head_client, level, product):
    colleague = make_head_of_profession(product)
    first_form = role_level_admin_data(level, description="The first editor's text")
    second_form = role_level_admin_data(level, description="The second editor's text")
    second_form["expectations-0-note"] = "The second editor's note"
    first_expectation = level.expectations.order_by("pk").first()

    first = head_client.post(change_url(level), first_form)
    client.force_login(colleague)
    second = client.post(change_url(level), second_form)

    assert first.status_code == 302
    assert second.status_code == 200
    message = LEVEL_CHANGED_BY_SOMEONE_ELSE.format(name=level.name)
    assert message in second.content.decode()
    assert "The second editor&#x27;s text" in second.content.decode()  # nothing typed is lost
    level.refresh_from_db()
    first_expectation.refresh_from_db()
    assert level.description == "The first editor's text"
    assert level.lock_version == 2
    assert first_expectation.note == ""


def test_a_save_racing_past_the_form_check_is_still_refused(head_client, level, monkeypatch):
    # Someone saves between the form's check and our save: the service refuses and the whole
    # request (level and expectations) rolls back.
    monkeypatch.setattr("roles.admin.role_level_is_current", lambda **kwargs: True)
    data = role_level_admin_data(level, description="Overwrite", loaded_version="0")
    data["expectations-0-note"] = "Overwrite"

    response = head_client.post(change_url(level), data, follow=True)

    assert response.redirect_chain == [(change_url(level), 302)]
    assert LEVEL_CHANGED_BY_SOMEONE_ELSE.format(name=level.name) in response.content.decode()
    level.refresh_from_db()
    assert level.description == "A longer description of the job at this level."
    assert not Expectation.objects.filter(note="Overwrite").exists()


def test_the_service_refuses_a_stale_version(level):
    level.description = "Stale"

    with pytest.raises(ValidationError) as error:
        role_level_save(role_level=level, loaded_version=level.lock_version + 1)

    assert error.value.messages == [LEVEL_CHANGED_BY_SOMEONE_ELSE.format(name=level.name)]
    level.refresh_from_db()
    assert level.description == "A longer description of the job at this level."
    assert level.lock_version == 1


def test_the_service_saves_and_counts_versions(level, head_of_product):
    level.summary = "Once"
    role_level_save(role_level=level, loaded_version=1, by=head_of_product)
    level.summary = "Twice"
    role_level_save(role_level=level, loaded_version=2, by=head_of_product)

    level.refresh_from_db()
    assert (level.summary, level.lock_version) == ("Twice", 3)
    assert level.history.latest().history_user == head_of_product


def test_the_service_validates_a_new_level(product):
    new = RoleLevel(profession=product, name="", slug="bad slug!", rank=0)

    with pytest.raises(ValidationError) as error:
        role_level_save(role_level=new)

    assert {"name", "slug", "__all__"} <= set(error.value.message_dict)  # rank: a constraint
    assert not RoleLevel.objects.filter(slug="bad slug!").exists()


def test_a_head_adds_a_level_with_expectations(head_client, product):
    skill = Expectation.objects.filter(role_level__profession=product).first().skill

    response = head_client.post(
        reverse("admin:roles_rolelevel_add"),
        {
            "profession": str(product.pk),
            "name": "Principal product manager",
            "slug": "principal",
            "rank": "10",
            "grades": ["G6"],
            "expectations-TOTAL_FORMS": "1",
            "expectations-INITIAL_FORMS": "0",
            "expectations-MIN_NUM_FORMS": "0",
            "expectations-MAX_NUM_FORMS": "1000",
            **NO_QUALIFICATIONS,
            "expectations-0-skill": str(skill.pk),
            "expectations-0-proficiency": "expert",
        },
    )

    assert response.status_code == 302
    created = product.levels.get(slug="principal")
    assert created.lock_version == 1
    assert list(created.expectations.values_list("skill", "proficiency")) == [(skill.pk, "expert")]


# --- history and revert ------------------------------------------------------------------
def test_history_records_who_changed_what_and_when(head_client, head_of_product, level):
    data = role_level_admin_data(level, summary="Sharper summary")
    data["expectations-0-note"] = "Leads the team on this"
    head_client.post(change_url(level), data)

    record = level.history.latest()
    assert record.history_user == head_of_product
    assert record.history_type == "~"
    assert record.summary == "Sharper summary"
    assert record.history_date is not None
    expectation_record = Expectation.history.filter(role_level_id=level.pk).latest()
    assert expectation_record.history_user == head_of_product
    assert expectation_record.note == "Leads the team on this"

    page = head_client.get(reverse("admin:roles_rolelevel_history", args=[level.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    name = escape(str(head_of_product))  # names like O'Brien are escaped in the page
    assert name in content
    parts = content[content.index('id="part-history"') :]
    assert "Leads the team on this" in parts
    assert name in parts


def test_revert_restores_an_earlier_version(head_client, head_of_product, level):
    original = level.history.earliest()
    head_client.post(change_url(level), role_level_admin_data(level, summary="A mistake"))
    level.refresh_from_db()
    revert_url = reverse(
        "admin:roles_rolelevel_simple_history", args=[level.pk, original.history_id]
    )

    page = head_client.get(revert_url)
    response = head_client.post(revert_url, role_level_admin_data(level, summary=original.summary))

    assert page.status_code == 200
    assert page.context["adminform"].form["loaded_version"].value() == level.lock_version
    assert page.context["adminform"].form["summary"].value() == original.summary
    assert response.status_code == 302
    level.refresh_from_db()
    assert level.summary == original.summary
    assert level.history.latest().history_user == head_of_product


def test_a_stale_revert_is_refused(head_client, level):
    original = level.history.earliest()
    revert_url = reverse(
        "admin:roles_rolelevel_simple_history", args=[level.pk, original.history_id]
    )
    data = role_level_admin_data(level, summary="Stale revert")
    RoleLevel.objects.filter(pk=level.pk).update(lock_version=5, summary="Someone else's")

    response = head_client.post(revert_url, data)

    assert response.status_code == 200
    assert LEVEL_CHANGED_BY_SOMEONE_ELSE.format(name=level.name) in response.content.decode()
    level.refresh_from_db()
    assert level.summary == "Someone else's"


def test_skill_history_and_revert(head_client, head_of_product, product):
    skill = Expectation.objects.filter(role_level__profession=product).first().skill
    original_description = skill.description
    url = reverse("admin:roles_skill_change", args=[skill.pk])
    data = {
        "name": skill.name,
        "slug": skill.slug,
        "description": "Rewritten",
        "owner": str(product.pk),
        "descriptors-TOTAL_FORMS": "0",
        "descriptors-INITIAL_FORMS": "0",
        "descriptors-MIN_NUM_FORMS": "0",
        "descriptors-MAX_NUM_FORMS": "4",
    }
    head_client.post(url, data)
    first = skill.history.earliest()

    response = head_client.post(
        reverse("admin:roles_skill_simple_history", args=[skill.pk, first.history_id]),
        {**data, "description": first.description},
    )

    assert response.status_code == 302
    skill.refresh_from_db()
    assert skill.description == original_description
    assert [r.history_user for r in skill.history.order_by("history_id")][1:] == [
        head_of_product,
        head_of_product,
    ]
    page = head_client.get(reverse("admin:roles_skill_history", args=[skill.pk]))
    assert "Changes to what each proficiency looks like" in page.content.decode()
    assert "At expert you can do things." in page.content.decode()


# --- preview -----------------------------------------------------------------------------
def test_the_preview_shows_the_working_copy(head_client, product, level):
    level.description = "Unpublished words"
    level.save()

    response = head_client.get(reverse("admin:roles_profession_preview", args=[product.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Unpublished words" in content
    for each in product.levels.all():
        assert each.name in content
    assert "has changes since the published version 1" in content
    assert reverse("admin:roles_profession_publish", args=[product.pk]) in content


def test_the_profession_page_links_to_preview_and_publish(head_client, product):
    response = head_client.get(reverse("admin:roles_profession_change", args=[product.pk]))

    content = response.content.decode()
    assert reverse("admin:roles_profession_preview", args=[product.pk]) in content
    assert reverse("admin:roles_profession_publish", args=[product.pk]) in content


def test_the_preview_says_when_nothing_changed(head_client, product):
    response = head_client.get(reverse("admin:roles_profession_preview", args=[product.pk]))

    assert "the same as the published version 1" in response.content.decode()


# --- query counts ------------------------------------------------------------------------
def count_queries(client, url):
    # Content types are cached per process: start every count with the cache empty, or the
    # count depends on which test happened to run first in this process.
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def large_framework(product):
    """Product with 30 levels of 40 skills, and ten other large professions."""
    for _ in range(10):
        make_framework(levels=8, skills=10, publish=False)
    big, _ = make_framework(
        profession=ProfessionFactory(name="Big", slug="big"), levels=30, skills=40, publish=False
    )
    return big


def test_level_pages_run_a_fixed_number_of_queries(
    client, product, large_framework, django_assert_max_num_queries
):
    small_head = make_head_of_profession(product)
    big_head = make_head_of_profession(large_framework)
    small_level = product.levels.first()
    big_level = large_framework.levels.order_by("rank").last()
    changelist = reverse("admin:roles_rolelevel_changelist")

    client.force_login(small_head)
    small = (count_queries(client, changelist), count_queries(client, change_url(small_level)))
    client.force_login(big_head)
    with django_assert_max_num_queries(12):
        client.get(changelist)
    with django_assert_max_num_queries(20):
        client.get(change_url(big_level))
    big = (count_queries(client, changelist), count_queries(client, change_url(big_level)))

    assert big == small
    assert big_level.expectations.count() == 40


def test_superuser_level_pages_run_a_fixed_number_of_queries(
    client, admin_user, large_framework, django_assert_max_num_queries
):
    client.force_login(admin_user)

    with django_assert_max_num_queries(12):
        client.get(reverse("admin:roles_rolelevel_changelist") + "?p=2")
    with django_assert_max_num_queries(20):
        client.get(change_url(large_framework.levels.order_by("rank").last()))


def test_the_preview_runs_a_fixed_number_of_queries(
    client, large_framework, django_assert_max_num_queries
):
    client.force_login(make_head_of_profession(large_framework))

    with django_assert_max_num_queries(18):
        response = client.get(reverse("admin:roles_profession_preview", args=[large_framework.pk]))

    assert response.context["framework"].levels[-1].rank == 30


def test_a_new_level_form_works(head_client, product):
    RoleLevelFactory(profession=product, rank=50)

    response = head_client.get(reverse("admin:roles_rolelevel_add"))

    assert response.status_code == 200
    assert response.context["adminform"].form["loaded_version"].value() is None


def test_the_profession_page_renders_without_the_insights_app(head_client, product, settings):
    settings.ROOT_URLCONF = "tests.roles.urls_without_insights"

    response = head_client.get(reverse("admin:roles_profession_change", args=[product.pk]))

    assert response.status_code == 200
    assert "Assessments in aggregate" not in response.content.decode()


def test_the_profession_page_links_to_the_capability_report(head_client, product):
    response = head_client.get(reverse("admin:roles_profession_change", args=[product.pk]))

    assert f'href="/professions/{product.slug}/capability/"' in response.content.decode()
