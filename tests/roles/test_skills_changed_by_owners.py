"""When an owner changes a skill other professions use, their heads see it on their
profession's admin page until they next publish."""

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from roles.models import Expectation, Skill, SkillDescriptor
from roles.selectors import skills_changed_by_owners
from roles.services import framework_publish
from tests.factories import SkillFactory, make_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(product, operations):
    """An Operations skill that Product uses, published in Product's version 2."""
    skill = Skill.objects.filter(owner=operations).order_by("pk").first()
    Expectation.objects.create(
        role_level=product.levels.order_by("rank").first(), skill=skill, proficiency="working"
    )
    framework_publish(profession=product, by=None, change_note="Uses an Operations skill")
    return skill


def later(minutes=5):
    return time_machine.travel(timezone.now() + dt.timedelta(minutes=minutes), tick=False)


def test_an_owners_change_is_listed_until_the_user_publishes(product, operations, shared):
    own = Skill.objects.filter(owner=product).first()
    unused = Skill.objects.filter(owner=operations).exclude(pk=shared.pk).first()
    with later():
        shared.description = "Changed by Operations"
        shared.save()
        own.description = "Changed by Product"
        own.save()
        unused.description = "Not used by Product"
        unused.save()

    assert skills_changed_by_owners(product) == [shared]
    assert skills_changed_by_owners(operations) == []

    with later(10):
        framework_publish(profession=product, by=None, change_note="Took Operations' change")
    assert skills_changed_by_owners(product) == []


@pytest.mark.parametrize("part", ["descriptor", "resource"])
def test_a_change_to_descriptors_or_resources_counts(product, shared, part):
    with later():
        if part == "descriptor":
            descriptor = SkillDescriptor.objects.filter(skill=shared).first()
            descriptor.description = "New words"
            descriptor.save()
        else:
            shared.resources.first().delete()

    assert skills_changed_by_owners(product) == [shared]


def test_nothing_is_listed_before_a_first_publication(operations):
    profession, _ = make_framework(publish=False)
    Expectation.objects.create(
        role_level=profession.levels.first(),
        skill=Skill.objects.filter(owner=operations).first(),
        proficiency="working",
    )

    assert skills_changed_by_owners(profession) == []


def test_the_profession_page_shows_the_changed_skills(head_client, product, shared):
    with later():
        shared.name = "Stakeholder management"
        shared.save()

    page = head_client.get(reverse("admin:roles_profession_change", args=[product.pk]))

    content = page.content.decode()
    assert page.status_code == 200
    assert 'id="skills-changed-by-owners"' in content
    assert "Stakeholder management</a> (owned by Operations)" in content
    assert reverse("admin:roles_skill_change", args=[shared.pk]) in content


def test_the_profession_page_has_no_banner_without_changes(head_client, product, shared):
    page = head_client.get(reverse("admin:roles_profession_change", args=[product.pk]))

    assert page.status_code == 200
    assert 'id="skills-changed-by-owners"' not in page.content.decode()


def test_the_selector_runs_two_queries_however_many_skills(
    product, operations, shared, django_assert_num_queries
):
    with later():
        shared.description = "Changed"
        shared.save()
    with django_assert_num_queries(2):
        small = skills_changed_by_owners(product)

    level = product.levels.order_by("rank").first()
    for _ in range(5):
        skill = SkillFactory(owner=operations)
        Expectation.objects.create(
            role_level=operations.levels.first(), skill=skill, proficiency="working"
        )
        Expectation.objects.create(role_level=level, skill=skill, proficiency="working")
    with later(10):
        for skill in Skill.objects.filter(owner=operations, expectations__role_level=level):
            skill.description = "Changed again"
            skill.save()
    with django_assert_num_queries(2):
        large = skills_changed_by_owners(product)

    assert len(small) == 1
    assert len(large) == 6


def page_queries(client, url):
    ContentType.objects.clear_cache()  # cached per process: count from an empty cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_profession_page_runs_as_many_queries_with_more_changed_skills(
    head_client, product, operations, shared
):
    url = reverse("admin:roles_profession_change", args=[product.pk])
    with later():
        shared.description = "Changed"
        shared.save()
    small = page_queries(head_client, url)
    level = product.levels.order_by("rank").first()
    for _ in range(5):
        skill = SkillFactory(owner=operations)
        Expectation.objects.create(
            role_level=operations.levels.first(), skill=skill, proficiency="working"
        )
        Expectation.objects.create(role_level=level, skill=skill, proficiency="working")
    with later(10):
        for skill in Skill.objects.filter(owner=operations, expectations__role_level=level):
            skill.description = "Changed again"
            skill.save()

    large = page_queries(head_client, url)

    assert large == small
    assert len(skills_changed_by_owners(product)) == 6
