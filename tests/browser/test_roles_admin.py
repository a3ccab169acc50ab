"""A head of profession edits a level in the admin, sees that the public page does not change
until they publish, publishes with a change note, and then sees the change."""

import pytest
from playwright.sync_api import expect

from roles.models import FrameworkVersion
from tests.browser.conftest import sign_in
from tests.factories import ProfessionFactory, make_framework, make_head_of_profession

pytestmark = pytest.mark.django_db(transaction=True)

OLD_TEXT = "A longer description of the job at this level."
NEW_TEXT = "Owns the product vision and shapes the roadmap with users."


def test_a_head_edits_previews_and_publishes_a_level(page):
    product, _ = make_framework(
        profession=ProfessionFactory(name="Product management", slug="product")
    )
    level = product.levels.order_by("rank").first()
    head = make_head_of_profession(product, email="head.product@example.gov.uk")
    public_url = f"/professions/product/levels/{level.slug}/"

    sign_in(page, head.email)
    page.goto("/admin/")
    page.get_by_role("link", name="Role levels").click()
    page.get_by_role("link", name=level.name, exact=True).click()
    page.locator("#id_description").fill(NEW_TEXT)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # The public page still shows the published version.
    page.goto(public_url)
    expect(page.get_by_text(OLD_TEXT)).to_be_visible()
    expect(page.get_by_text(NEW_TEXT)).to_have_count(0)

    # The preview shows the working copy.
    page.goto(f"/admin/roles/profession/{product.pk}/change/")
    page.get_by_role("link", name="Preview the working copy").click()
    expect(page.get_by_text(NEW_TEXT)).to_be_visible()

    # Publishing with no change note is refused, clearly.
    page.get_by_role("link", name="Publish this working copy").click()
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.locator(".errorlist")).to_contain_text("Enter a change note")
    assert FrameworkVersion.objects.filter(profession=product).count() == 1

    page.get_by_label("Change note").fill("Rewrote the first level's description")
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Published version 2 of Product management."
    )

    page.goto(public_url)
    expect(page.get_by_text(NEW_TEXT)).to_be_visible()
    expect(page.get_by_text(OLD_TEXT)).to_have_count(0)


def test_a_head_adds_a_qualification_and_publishes_it(page):
    operations, _ = make_framework(
        profession=ProfessionFactory(name="Operations", slug="operations")
    )
    level = operations.levels.order_by("rank").first()
    head = make_head_of_profession(operations, email="head.operations@example.gov.uk")
    title = "Level 2 Certificate in Customer Service"

    sign_in(page, head.email)
    page.goto(f"/admin/roles/rolelevel/{level.pk}/change/")
    expect(
        page.get_by_role("heading", name="Accredited qualifications at this level")
    ).to_be_visible()
    page.locator("#id_qualifications-0-title").fill(title)
    page.locator("#id_qualifications-0-awarding_body").fill("City & Guilds")
    page.locator("#id_qualifications-0-url").fill("www.cityandguilds.com")
    page.locator("#id_qualifications-0-summary").fill("Serving customers well in every channel.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.locator("#id_qualifications-0-url")).to_have_value("https://www.cityandguilds.com")

    # Not public until published.
    page.goto(f"/professions/operations/levels/{level.slug}/")
    expect(page.get_by_role("heading", name="Qualifications")).to_have_count(0)

    page.goto(f"/admin/roles/profession/{operations.pk}/publish/")
    page.get_by_label("Change note").fill("Added a customer service qualification")
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.locator(".messagelist")).to_contain_text("Published version 2 of Operations.")

    page.goto(f"/professions/operations/levels/{level.slug}/")
    expect(page.get_by_role("heading", name="Qualifications")).to_be_visible()
    expect(page.get_by_role("link", name=title)).to_have_attribute(
        "href", "https://www.cityandguilds.com"
    )
    expect(page.get_by_text("Awarded by City & Guilds")).to_be_visible()
