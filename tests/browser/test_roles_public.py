"""A member of the public explores the published frameworks in a real browser, with axe."""

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from roles.forms import LEVEL_FROM_UNKNOWN, ROLE_FROM_REQUIRED
from roles.models import RoleLevel
from roles.services import framework_publish
from tests.browser.conftest import assert_accessible
from tests.factories import QualificationFactory, make_framework

# Screenshots and a printed PDF, for a person to look at after a run.
SHOTS = Path(tempfile.gettempdir())


@pytest.fixture
def frameworks(transactional_db):
    product, _ = make_framework(levels=3, skills=3)
    operations, _ = make_framework(levels=2, skills=2)
    return product, operations


def levels_of(profession):
    return list(RoleLevel.objects.filter(profession=profession).order_by("rank"))


def test_finds_a_level_compares_it_opens_a_skill_and_searches(page, frameworks):
    product, _ = frameworks
    first, second, _ = levels_of(product)

    page.goto("/professions/")
    expect(page).to_have_title("Professions - Civil Service career pathways")
    assert_accessible(page)

    page.get_by_role("link", name=product.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(product.name)
    expect(page.get_by_text("Version 1, published")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=SHOTS / "roles-pathway.png", full_page=True)

    page.get_by_role("link", name=first.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first.name)
    assert_accessible(page)
    page.screenshot(path=SHOTS / "roles-level.png", full_page=True)

    page.get_by_role("link", name=f"Compare with {second.name}").click()
    expect(page.get_by_role("heading", name=f"From {first.name} to {second.name}")).to_be_visible()
    expect(page.get_by_text("Rises 1 step").first).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=SHOTS / "roles-compare.png", full_page=True)

    skill_link = page.locator(".app-compare-table tbody th a").first
    skill_name = skill_link.inner_text()
    skill_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(skill_name)
    expect(page.get_by_role("table").first).to_contain_text(first.name)
    assert_accessible(page)
    page.screenshot(path=SHOTS / "roles-skill.png", full_page=True)

    page.get_by_role("link", name="Search", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Search professions, levels and skills").fill(second.name.lower())
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=second.name, exact=True)).to_be_visible()
    page.screenshot(path=SHOTS / "roles-search.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("link", name=second.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(second.name)


def test_a_search_with_no_match_helps(page, frameworks):
    page.goto("/search/")
    page.get_by_label("Search professions, levels and skills").fill("astronaut pilot")
    page.get_by_role("button", name="Search").click()

    expect(
        page.get_by_role("heading", name="No results for \u2018astronaut pilot\u2019")
    ).to_be_visible()
    expect(page.get_by_role("link", name="browse the professions")).to_be_visible()
    assert_accessible(page)


def test_compare_levels_error_state_is_accessible(page, frameworks):
    product, _ = frameworks

    page.goto(f"/professions/{product.slug}/compare/?from=nope&to=nope")

    expect(page).to_have_title(re.compile(r"^Error: Compare levels"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(LEVEL_FROM_UNKNOWN)
    expect(page.locator(".govuk-error-message").first).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=SHOTS / "roles-compare-error.png", full_page=True)


def test_choosing_levels_to_compare_works_without_javascript(page_without_js, page, frameworks):
    product, _ = frameworks
    first, _, third = levels_of(product)
    page_without_js.goto(f"/professions/{product.slug}/compare/")

    page_without_js.get_by_label("Compare", exact=True).select_option(first.slug)
    page_without_js.get_by_label("With", exact=True).select_option(third.slug)
    page_without_js.get_by_role("button", name="Compare").click()

    heading = page_without_js.get_by_role("heading", name=f"From {first.name} to {third.name}")
    expect(heading).to_be_visible()
    expect(page_without_js.get_by_text("Rises 2 steps").first).to_be_visible()
    # axe needs JavaScript, so the page reached without it is checked in a second browser.
    page.goto(page_without_js.url)
    assert_accessible(page)


def test_compare_roles_across_professions(page, frameworks):
    product, operations = frameworks
    page.goto("/compare-roles/")
    assert_accessible(page)

    page.get_by_label("Your current role").select_option(
        f"{operations.slug}/{levels_of(operations)[0].slug}"
    )
    page.get_by_label("The role you are thinking of moving to").select_option(
        f"{product.slug}/{levels_of(product)[0].slug}"
    )
    page.get_by_role("button", name="Compare roles").click()

    expect(page.get_by_text("no skills in common")).to_be_visible()
    expect(page.get_by_role("heading", name="Skills to learn")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=SHOTS / "roles-compare-roles.png", full_page=True)

    page.goto("/compare-roles/?from=&to=")
    expect(page.locator(".govuk-error-summary")).to_contain_text(ROLE_FROM_REQUIRED)
    assert_accessible(page)


def test_skill_list_is_accessible(page, frameworks):
    page.goto("/skills/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Skills")
    assert_accessible(page)


def test_level_prints_without_navigation(page, frameworks):
    product, _ = frameworks
    page.goto(f"/professions/{product.slug}/levels/{levels_of(product)[0].slug}/")

    page.emulate_media(media="print")
    page.screenshot(path=SHOTS / "roles-level-print.png", full_page=True)

    assert not page.locator(".govuk-service-navigation").is_visible()
    assert not page.locator(".govuk-breadcrumbs").is_visible()
    expect(page.get_by_role("heading", name="Skills at this level")).to_be_visible()
    page.pdf(path=SHOTS / "roles-level.pdf", format="A4")


def test_a_level_with_qualifications_is_accessible(page, frameworks):
    product, _ = frameworks
    first = levels_of(product)[0]
    QualificationFactory(
        role_level=first,
        position=1,
        title="Level 3 Award in Principles of Management and Leadership",
        awarding_body="Chartered Management Institute (CMI)",
        url="https://www.managers.org.uk/",
        summary="A first management qualification for people leading a team.",
    )
    QualificationFactory(
        role_level=first,
        position=2,
        title="Level 2 Certificate in Customer Service",
        awarding_body="City & Guilds",
        url="",
        summary="",
    )
    framework_publish(profession=product, by=None, change_note="Qualifications")

    page.goto(f"/professions/{product.slug}/levels/{first.slug}/")

    section = page.locator("ul.app-qualifications > li")
    expect(page.get_by_role("heading", name="Qualifications", level=2)).to_be_visible()
    expect(section).to_have_count(2)
    expect(section.first).to_contain_text("Awarded by Chartered Management Institute (CMI)")
    expect(
        page.get_by_role("link", name="Level 3 Award in Principles of Management and Leadership")
    ).to_have_attribute("href", "https://www.managers.org.uk/")
    expect(section.nth(1)).to_contain_text("Level 2 Certificate in Customer Service")
    expect(section.nth(1).get_by_role("link")).to_have_count(0)
    assert_accessible(page)
    page.screenshot(path=SHOTS / "roles-level-qualifications.png", full_page=True)

    page.goto(f"/professions/{product.slug}/versions/2/")
    expect(page.get_by_role("heading", name="Qualifications", level=3)).to_have_count(1)
    assert_accessible(page)
