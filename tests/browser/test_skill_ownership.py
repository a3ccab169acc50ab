"""Issue 10 in a real browser: the head of Product picks an Operations skill for a level (the
picker names its owner), then finds it read only, labelled with its owner; when Operations
changes it, Product's profession page says so."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from roles.models import Expectation, Skill
from roles.services import framework_publish
from tests.browser.conftest import sign_in
from tests.factories import ProfessionFactory, make_framework, make_head_of_profession

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_head_uses_another_professions_skill_but_cannot_change_it(page):
    product, _ = make_framework(
        profession=ProfessionFactory(name="Product management", slug="product")
    )
    operations, _ = make_framework(profession=ProfessionFactory(name="Operations", slug="ops"))
    skill = Skill.objects.filter(owner=operations).order_by("pk").first()
    level = product.levels.order_by("rank").first()
    head = make_head_of_profession(product, email="head.product@example.gov.uk")

    sign_in(page, head.email)
    page.goto(f"/admin/roles/rolelevel/{level.pk}/change/")
    new_row = level.expectations.count()  # the empty row after the existing ones
    page.locator(f"#id_expectations-{new_row}-skill").select_option(
        label=f"{skill.name} (Operations)"
    )
    page.locator(f"#id_expectations-{new_row}-proficiency").select_option("working")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Expectation.objects.filter(role_level=level, skill=skill).exists()

    page.goto(f"/admin/roles/skill/{skill.pk}/change/")
    expect(page.locator("#skill-owner-notice")).to_contain_text("Owned by Operations")
    expect(page.locator("textarea[name='description']")).to_have_count(0)
    expect(page.get_by_role("button", name="Save", exact=True)).to_have_count(0)

    framework_publish(profession=product, by=head, change_note="Uses an Operations skill")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5), tick=False):
        skill.description = "Operations rewrote this"
        skill.save()
    page.goto(f"/admin/roles/profession/{product.pk}/change/")
    banner = page.get_by_role("region", name="Important")
    expect(banner).to_contain_text(f"{skill.name} (owned by Operations)")
