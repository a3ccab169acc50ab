"""The admin for heads of profession in a real browser: landing on the profession page after
signing in, the import journey (upload, see the changes, confirm), publishing from the page,
and comparing two versions. axe on every page, by keyboard, at 320 px, without JavaScript."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from roles.models import Expectation, FrameworkVersion
from roles.opendata import csv_text
from roles.services import framework_publish
from tests.browser.conftest import assert_accessible, tab_until
from tests.conftest import PASSWORD
from tests.factories import ProfessionFactory, make_framework, make_head_of_profession

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def product():
    profession, _ = make_framework(
        profession=ProfessionFactory(name="Product management", slug="product")
    )
    return profession


@pytest.fixture
def head(product):
    return make_head_of_profession(product, email="head.product@example.gov.uk")


def changed_matrix(profession, tmp_path):
    """The published skills matrix with its first skill raised to Expert at the first level."""
    rows = list(csv.reader(io.StringIO(csv_text(profession.versions.get(number=1).content))))
    rows[1][1] = "expert"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path = tmp_path / "product-matrix.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path, rows[1][0]


def sign_in_to_admin(page, email):
    """Go to /admin/ signed out, and sign in on the admin's sign-in page it sends you to."""
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next="))
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()


def test_a_head_lands_on_their_profession_page(page, product, head):
    sign_in_to_admin(page, head.email)

    expect(page).to_have_url(f"/admin/roles/profession/{product.pk}/page/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Product management")
    expect(page.get_by_text("there is nothing new to publish")).to_be_visible()
    assert_accessible(page)


def test_a_head_of_two_professions_chooses_one(page, product, head):
    operations, _ = make_framework(
        profession=ProfessionFactory(name="Operations", slug="operations")
    )
    operations.heads.add(head)
    sign_in_to_admin(page, head.email)

    expect(page.get_by_role("heading", level=1)).to_have_text("Your professions")
    assert_accessible(page)
    page.get_by_role("link", name="Operations").click()
    expect(page).to_have_url(f"/admin/roles/profession/{operations.pk}/page/")


def test_import_journey_then_publish(page, product, head, tmp_path):
    path, skill = changed_matrix(product, tmp_path)
    sign_in_to_admin(page, head.email)

    page.get_by_role("link", name="Import a file").click()
    assert_accessible(page)

    # A file that is not UTF-8 first: a clear GOV.UK error.
    latin = tmp_path / "latin.csv"
    latin.write_bytes("skill\nCaf\u00e9\n".encode("latin-1"))
    page.get_by_label("Upload a file").set_input_files(str(latin))
    page.get_by_role("button", name="Check the file").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("save the file as UTF-8")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)

    page.get_by_label("Upload a file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text(f"{skill} changed from Awareness to Expert")).to_be_visible()
    assert_accessible(page)
    assert not Expectation.objects.filter(
        role_level__profession=product, proficiency="expert", role_level__rank=1
    ).exists()

    page.get_by_role("button", name="Import these changes").click()
    expect(page.locator(".messagelist")).to_contain_text("Imported product-matrix.csv")
    expect(page.get_by_text(f"{skill} changed from Awareness to Expert")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Preview the working copy").click()
    expect(page.get_by_text(f"{skill} changed from Awareness to Expert")).to_be_visible()
    assert_accessible(page)
    page.go_back()

    page.get_by_label("Change note").fill("Raised a skill at the first level")
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Published version 2 of Product management."
    )
    assert FrameworkVersion.objects.get(profession=product, number=2).published_by == head


def test_a_refused_publish_shows_a_govuk_error(page, product, head):
    level = product.levels.order_by("rank").first()
    level.summary = "Changed in the working copy"
    level.save()
    sign_in_to_admin(page, head.email)

    page.get_by_role("button", name="Publish version 2").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a change note")
    assert_accessible(page)
    page.locator(".govuk-error-summary a").click()
    expect(page.get_by_label("Change note")).to_be_focused()


def test_the_import_journey_by_keyboard(page, product, head, tmp_path):
    path, skill = changed_matrix(product, tmp_path)
    sign_in_to_admin(page, head.email)
    page.goto(f"/admin/roles/profession/{product.pk}/import/")

    tab_until(page, "#id_file")
    # The file is chosen in the system's own dialog, which is not the page's to test.
    page.locator("#id_file").set_input_files(str(path))
    tab_until(page, "button.govuk-button")
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"{skill} changed from Awareness to Expert")).to_be_visible()

    tab_until(page, "button.govuk-button")
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Imported product-matrix.csv")


def test_the_pages_reflow_at_320_pixels(page, product, head, tmp_path):
    path, _skill = changed_matrix(product, tmp_path)
    sign_in_to_admin(page, head.email)
    page.set_viewport_size({"width": 320, "height": 800})

    for address in (
        f"/admin/roles/profession/{product.pk}/page/",
        f"/admin/roles/profession/{product.pk}/import/",
    ):
        page.goto(address)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, address
    page.get_by_label("Upload a file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("button", name="Import these changes")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_import_without_javascript(page_without_js, product, head, tmp_path):
    page = page_without_js
    path, _skill = changed_matrix(product, tmp_path)
    sign_in_to_admin(page, head.email)

    page.get_by_role("link", name="Import a file").click()
    page.get_by_label("Upload a file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import these changes").click()

    expect(page.locator(".messagelist")).to_contain_text("Imported product-matrix.csv")


def test_compare_two_versions(page, page_without_js, product):
    level = product.levels.order_by("rank").first()
    level.name = "Renamed level"
    level.save()
    framework_publish(profession=product, by=None, change_note="Renamed")
    level.summary = "New"
    level.save()
    framework_publish(profession=product, by=None, change_note="Summary")

    page.goto("/professions/product/changes/")
    page.get_by_role("link", name="Compare any two versions").click()
    page.get_by_label("Compare version").select_option("1")
    page.get_by_label("With version").select_option("3")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="From version 1 to version 3")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("With version").select_option("1")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("two different versions")
    assert_accessible(page)

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    page_without_js.goto("/professions/product/versions/compare/?from=1&to=2")
    expect(page_without_js.get_by_text("Renamed level")).to_be_visible()
