"""A member of staff proposes a change to a level; the head of profession accepts it in the
admin and publishes; the public page and the change log show it; the proposer was emailed and
sees the outcome. axe runs on every page visited."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from proposals.models import Proposal, ProposalStatus
from roles.models import SkillDescriptor
from tests.browser.conftest import assert_accessible, sign_in, tab_until
from tests.factories import (
    ProfessionFactory,
    UserFactory,
    make_framework,
    make_head_of_profession,
)

pytestmark = pytest.mark.django_db(transaction=True)

OLD_TEXT = "A longer description of the job at this level."
NEW_TEXT = "Breaks the product strategy into goals the team can measure, and learns the rest."


@pytest.fixture
def product(transactional_db):
    profession, _ = make_framework(
        profession=ProfessionFactory(name="Product management", slug="product"), levels=2
    )
    return profession


def test_staff_propose_and_the_head_accepts_and_publishes(page, browser, live_server, product):
    level = product.levels.order_by("rank").first()
    staff = UserFactory(first_name="Sam", last_name="Staff", email="sam.staff@example.gov.uk")
    head = make_head_of_profession(product, email="head.product@example.gov.uk")
    level_url = f"/professions/product/levels/{level.slug}/"

    # Staff: from the public page to the proposal.
    sign_in(page, staff.email)
    page.goto(level_url)
    assert_accessible(page)
    page.get_by_role("link", name=f"Propose a change to the description of {level.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Propose a change to {level.name}")
    expect(page.get_by_label("What should it say?")).to_have_value(OLD_TEXT)
    assert_accessible(page)

    page.get_by_role("button", name="Send proposal").click()  # nothing changed, no reason
    expect(page).to_have_title(re.compile(r"^Error: Propose a change"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why it should change")
    assert_accessible(page)
    page.get_by_label("What should it say?").fill(NEW_TEXT)
    page.get_by_label("Why should it change?").fill("New starters learn tactics first.")
    page.get_by_role("button", name="Send proposal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your proposals")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your proposal has been sent to the heads of Product management"
    )
    expect(page.locator(".govuk-summary-card")).to_contain_text("Waiting for a decision")
    assert_accessible(page)
    proposal = Proposal.objects.get()
    assert proposal.proposed_by == staff

    # The head of profession, in their own browser session.
    context = browser.new_context(base_url=live_server.url)
    head_page = context.new_page()
    head_page.set_default_timeout(10_000)
    sign_in(head_page, head.email)
    head_page.goto("/admin/")
    head_page.get_by_role("link", name="Proposals").click()
    assert_accessible(head_page)
    head_page.get_by_role("link", name=proposal.target_name).click()
    expect(head_page.get_by_text(NEW_TEXT)).to_be_visible()
    assert_accessible(head_page)
    head_page.get_by_label("Accept: put the proposed text into the working copy").check()
    head_page.get_by_role("button", name="Save decision").click()
    expect(head_page.locator(".messagelist")).to_contain_text("Accepted")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert [email.to for email in mail.outbox] == [[staff.email]]
    assert "accepted" in mail.outbox[0].subject
    assert "/your-proposals/" in mail.outbox[0].body

    # Not public until published.
    page.goto(level_url)
    expect(page.get_by_text(OLD_TEXT)).to_be_visible()

    head_page.goto(f"/admin/roles/profession/{product.pk}/publish/")
    head_page.get_by_label("Change note").fill("Clearer first level")
    head_page.get_by_role("button", name="Publish version 2").click()
    expect(head_page.locator(".messagelist")).to_contain_text("Published version 2")
    context.close()

    page.goto(level_url)
    expect(page.get_by_text(NEW_TEXT)).to_be_visible()
    expect(page.get_by_text(OLD_TEXT)).to_have_count(0)
    page.goto("/professions/product/changes/")
    expect(
        page.get_by_text(re.compile(r"Proposed by Sam Staff: the description of"))
    ).to_be_visible()
    assert_accessible(page)
    page.goto("/your-proposals/")
    expect(page.locator(".govuk-summary-card")).to_contain_text("Published in version 2")
    assert_accessible(page)


def test_a_descriptor_proposal_works_without_javascript(page_without_js, product):
    skill = product.levels.first().expectations.first().skill
    staff = UserFactory(email="no.script@example.gov.uk")
    sign_in(page_without_js, staff.email)

    page_without_js.goto(f"/skills/{skill.slug}/")
    page_without_js.get_by_role("link", name="Propose a change to Working").click()
    page_without_js.get_by_label("What should it say?").fill("Works on it with some help.")
    page_without_js.get_by_label("Why should it change?").fill("Plainer words.")
    page_without_js.get_by_role("button", name="Send proposal").click()

    expect(page_without_js.get_by_role("heading", level=1)).to_have_text("Your proposals")
    proposal = Proposal.objects.get()
    assert proposal.proficiency == "working"
    assert (
        proposal.current_text
        == SkillDescriptor.objects.get(skill=skill, proficiency="working").description
    )


def test_proposing_by_keyboard_at_320_pixels(page, product):
    level = product.levels.order_by("rank").first()
    staff = UserFactory(email="keys@example.gov.uk")
    sign_in(page, staff.email)
    page.set_viewport_size({"width": 320, "height": 800})

    page.goto(f"/professions/product/levels/{level.slug}/propose/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    tab_until(page, "#id_proposed_text")
    page.keyboard.press("Control+a")
    page.keyboard.type("Typed with the keyboard.")
    tab_until(page, "#id_why")
    page.keyboard.type("Clearer.")
    tab_until(page, "button.govuk-button")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your proposals")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    assert Proposal.objects.get().proposed_text == "Typed with the keyboard."
