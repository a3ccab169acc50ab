"""The admin's import page (roles.admin_views.import_page): upload a file, see what it would
change, confirm. Who may use it, forged and tampered confirmations, and refused imports that
change nothing."""

import csv
import io
import json
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roles import admin_views
from roles.admin_views import (
    FILE_TOO_BIG,
    FILE_WRONG_KIND,
    IMPORT_NOT_WAITING,
    IMPORT_REFUSED,
    SESSION_KEY,
)
from roles.import_preview import (
    FILE_NOT_UTF8,
    WORKING_COPY_CHANGED,
    file_digest,
    framework_import_preview,
)
from roles.importer import ImportProblems
from roles.models import Expectation, FrameworkVersion, LearningResource, RoleLevel, Skill
from roles.opendata import csv_text, json_document
from roles.snapshot import build_snapshot
from tests.factories import UserFactory, make_head_of_profession
from tests.roles.conftest import ADMIN_ROLES


def import_url(profession):
    return reverse("admin:roles_profession_import", args=[profession.pk])


def state(*professions):
    """Everything an import could change, for these professions."""
    return (
        [build_snapshot(profession) for profession in professions],
        {
            model.__name__: model.objects.count()
            for model in (RoleLevel, Skill, Expectation, LearningResource, FrameworkVersion)
        },
    )


def matrix_with_one_change(profession):
    """The profession's skills matrix as published, its first skill raised to Expert at the
    first level. Returns (text, that skill's name)."""
    version = profession.versions.get(number=1)
    rows = list(csv.reader(io.StringIO(csv_text(version.content))))
    rows[1][1] = "expert"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue(), rows[1][0]


def upload(client, profession, text, name="framework.csv", raw=None):
    data = raw if raw is not None else text.encode()
    return client.post(import_url(profession), {"file": SimpleUploadedFile(name, data)})


# --- who may use it ---------------------------------------------------------------------------
@pytest.mark.parametrize(("role", "status"), ADMIN_ROLES)
def test_who_may_open_the_import_page(sign_in_as, product, role, status):
    client = sign_in_as(role)

    response = client.get(import_url(product))

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("role", "status"), ADMIN_ROLES)
def test_who_may_upload_a_file(sign_in_as, product, operations, role, status):
    client = sign_in_as(role)
    text, _skill = matrix_with_one_change(product)
    before = state(product, operations)

    response = upload(client, product, text)

    assert response.status_code == status
    assert state(product, operations) == before  # checking a file never changes anything
    if status == 200:
        assert "preview" in response.context


def test_the_import_page_is_linked_from_the_profession_page(head_client, product):
    page = head_client.get(reverse("admin:roles_profession_page", args=[product.pk]))

    assert import_url(product) in page.content.decode()


def test_opening_the_page_takes_a_fixed_number_of_queries(
    client, product, django_assert_max_num_queries
):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    client.get(import_url(product))

    with django_assert_max_num_queries(6):
        response = client.get(import_url(product))
    assert response.status_code == 200


# --- upload, see, confirm ---------------------------------------------------------------------
def test_uploading_shows_exactly_what_would_change_and_changes_nothing(head_client, product):
    text, skill = matrix_with_one_change(product)
    first_level = RoleLevel.objects.filter(profession=product).order_by("rank").first()
    before = state(product)

    response = upload(head_client, product, text)

    assert state(product) == before
    diff = response.context["preview"].diff
    assert [(c.level, c.skill, c.before, c.after) for c in diff.expectations_changed] == [
        (first_level.name, skill, "Awareness", "Expert")
    ]
    page = response.content.decode()
    assert f"{first_level.name}: {skill} changed from Awareness to Expert" in page
    assert "Import these changes" in page
    assert head_client.session[SESSION_KEY.format(profession=product.pk)]["digest"] in page


def test_confirming_imports_the_checked_file_under_the_heads_name(
    head_client, product, head_of_product, caplog
):
    text, skill = matrix_with_one_change(product)
    checked = upload(head_client, product, text)
    digest = checked.context["confirm"].initial["digest"]

    with caplog.at_level(logging.INFO, logger="careerpath.security"):
        response = head_client.post(import_url(product), {"digest": digest}, follow=True)

    expectation = Expectation.objects.get(
        role_level__profession=product, role_level__rank=1, skill__name=skill
    )
    assert expectation.proficiency == "expert"
    assert expectation.history.latest().history_user == head_of_product
    assert response.redirect_chain[-1][0] == reverse(
        "admin:roles_profession_page", args=[product.pk]
    )
    page = response.content.decode()
    assert "Imported framework.csv into the working copy of Product management" in page
    assert "changed from Awareness to Expert" in page  # now among the changes to publish
    assert SESSION_KEY.format(profession=product.pk) not in head_client.session
    assert FrameworkVersion.objects.filter(profession=product).count() == 1  # not published
    assert any('"event": "import"' in record.getMessage() for record in caplog.records)


def test_a_json_export_can_be_imported(head_client, product):
    version = product.versions.get(number=1)
    document = json_document(version)
    document["levels"][0]["summary"] = "A summary from the file"
    text = json.dumps(document)

    checked = upload(head_client, product, text, name="product.JSON")
    head_client.post(import_url(product), {"digest": checked.context["confirm"].initial["digest"]})

    level = RoleLevel.objects.get(profession=product, rank=1)
    assert level.summary == "A summary from the file"


def test_a_file_that_changes_nothing_offers_no_confirmation(head_client, product):
    version = product.versions.get(number=1)

    response = upload(head_client, product, csv_text(version.content))

    assert response.context["preview"].diff.is_empty
    page = response.content.decode()
    assert "Importing this file would change nothing" in page
    assert "Import these changes" not in page


# --- forged and tampered confirmations --------------------------------------------------------
@pytest.mark.parametrize("digest", ["", "0" * 64, "not-a-digest", "x" * 500, "\u00e9" * 64])
def test_a_forged_digest_is_refused_and_changes_nothing(head_client, product, digest):
    text, _skill = matrix_with_one_change(product)
    upload(head_client, product, text)
    before = state(product)

    response = head_client.post(import_url(product), {"digest": digest})

    assert response.status_code == 200
    assert response.context["problems"] == [IMPORT_NOT_WAITING]
    assert response.context["form"].errors["file"] == [IMPORT_REFUSED]
    assert "govuk-error-summary" in response.content.decode()
    assert state(product) == before


def test_a_confirmation_with_nothing_checked_is_refused(head_client, product):
    text, _skill = matrix_with_one_change(product)
    before = state(product)

    response = head_client.post(import_url(product), {"digest": file_digest(kind="csv", text=text)})

    assert response.context["problems"] == [IMPORT_NOT_WAITING]
    assert state(product) == before


def test_another_users_checked_file_cannot_be_confirmed(client, product, head_client):
    text, _skill = matrix_with_one_change(product)
    digest = upload(head_client, product, text).context["confirm"].initial["digest"]
    other_head = make_head_of_profession(product)
    client.force_login(other_head)
    before = state(product)

    response = client.post(import_url(product), {"digest": digest})

    assert response.context["problems"] == [IMPORT_NOT_WAITING]
    assert state(product) == before


def test_a_file_checked_for_one_profession_cannot_be_confirmed_for_another(
    client, product, operations
):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    text, _skill = matrix_with_one_change(product)
    digest = upload(client, product, text).context["confirm"].initial["digest"]
    before = state(product, operations)

    response = client.post(import_url(operations), {"digest": digest})

    assert response.context["problems"] == [IMPORT_NOT_WAITING]
    assert state(product, operations) == before


def test_a_pending_file_changed_in_the_session_is_refused(head_client, product):
    """The session is the server's, but should its text ever not match the digest, nothing is
    imported."""
    text, _skill = matrix_with_one_change(product)
    digest = upload(head_client, product, text).context["confirm"].initial["digest"]
    session = head_client.session
    key = SESSION_KEY.format(profession=product.pk)
    session[key] = {**session[key], "text": text.replace("expert", "awareness")}
    session.save()
    before = state(product)

    response = head_client.post(import_url(product), {"digest": digest})

    assert response.context["problems"] == [IMPORT_NOT_WAITING]
    assert state(product) == before


@pytest.mark.parametrize("step", ["upload", "confirm"])
def test_a_head_cannot_import_into_another_profession(head_client, product, operations, step):
    """The profession is the URL's, checked against what the user heads: a head of Product
    using Operations' address gets 404 at either step, and nothing changes."""
    text, _skill = matrix_with_one_change(operations)
    digest = (
        upload(head_client, product, matrix_with_one_change(product)[0])
        .context["confirm"]
        .initial["digest"]
    )
    before = state(product, operations)

    if step == "upload":
        response = upload(head_client, operations, text)
    else:
        response = head_client.post(import_url(operations), {"digest": digest})

    assert response.status_code == 404
    assert state(product, operations) == before


def test_form_fields_naming_another_profession_are_ignored(head_client, product, operations):
    """Only the address names the profession: a forged field in the form cannot point the
    import elsewhere."""
    text, _skill = matrix_with_one_change(product)
    response = head_client.post(
        import_url(product),
        {
            "file": SimpleUploadedFile("framework.csv", text.encode()),
            "profession": operations.pk,
            "profession_slug": operations.slug,
        },
    )
    operations_before = state(operations)

    head_client.post(
        import_url(product),
        {"digest": response.context["confirm"].initial["digest"], "profession": operations.pk},
    )

    assert state(operations) == operations_before
    assert Expectation.objects.filter(
        role_level__profession=product, role_level__rank=1, proficiency="expert"
    ).exists()


def test_a_working_copy_changed_since_the_check_is_refused(head_client, product):
    text, _skill = matrix_with_one_change(product)
    digest = upload(head_client, product, text).context["confirm"].initial["digest"]
    RoleLevel.objects.filter(profession=product, rank=2).update(summary="Edited meanwhile")
    before = state(product)

    response = head_client.post(import_url(product), {"digest": digest})

    assert response.context["problems"] == [f"working copy: {WORKING_COPY_CHANGED}"]
    assert state(product) == before


# --- files that are refused -------------------------------------------------------------------
def test_every_problem_in_the_file_is_listed_and_nothing_changes(head_client, product):
    text, _skill = matrix_with_one_change(product)
    rows = text.splitlines()
    rows[1] = rows[1].replace("expert", "guru")
    rows[2] = rows[2].rsplit(",", 1)[0] + ",wizard"
    before = state(product)

    response = upload(head_client, product, "\n".join(rows) + "\n")

    problems = response.context["problems"]
    assert len(problems) == 2
    assert response.context["form"].errors["file"] == [IMPORT_REFUSED]
    assert any('"guru" is not a proficiency' in problem for problem in problems)
    assert any('"wizard" is not a proficiency' in problem for problem in problems)
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "<title>Error: " in page
    for problem in problems:
        assert problem.replace('"', "&quot;") in page
    assert "Import these changes" not in page
    assert state(product) == before


def test_a_file_not_saved_as_utf8_gets_a_clear_message_with_its_line(head_client, product):
    text, _skill = matrix_with_one_change(product)
    lines = text.splitlines()
    raw = ("\n".join(lines[:2]) + "\n").encode() + "Caf\u00e9 skills,,,\n".encode("latin-1")
    before = state(product)

    response = upload(head_client, product, "", raw=raw)

    assert response.context["form"].errors["file"] == [FILE_NOT_UTF8.format(line=3)]
    assert "save the file as UTF-8" in response.content.decode()
    assert state(product) == before


def test_a_file_of_another_kind_is_refused(head_client, product):
    response = upload(head_client, product, "skill,a\n", name="framework.xlsx")

    assert response.context["form"].errors["file"] == [FILE_WRONG_KIND]


def test_no_file_is_refused(head_client, product):
    response = head_client.post(import_url(product), {})

    assert response.context["form"].errors["file"] == ["Select a JSON or CSV file to import"]


def test_a_file_too_big_is_refused(head_client, product, monkeypatch):
    monkeypatch.setattr(admin_views, "MAX_IMPORT_BYTES", 10)

    response = upload(head_client, product, "skill,level-1,level-2\n")

    assert response.context["form"].errors["file"] == [FILE_TOO_BIG]


def test_a_byte_order_mark_is_allowed(head_client, product):
    text, _skill = matrix_with_one_change(product)

    response = upload(head_client, product, "", raw=b"\xef\xbb\xbf" + text.encode())

    assert not response.context["preview"].diff.is_empty


# --- the dry run on its own -------------------------------------------------------------------
def test_the_preview_keeps_nothing_even_when_the_import_writes(product, head_of_product):
    text, _skill = matrix_with_one_change(product)
    before = state(product)
    history = Expectation.history.count()

    preview = framework_import_preview(
        profession=product, text=text, kind="csv", by=head_of_product
    )

    assert preview.summary.updated or preview.summary.created
    assert state(product) == before
    assert Expectation.history.count() == history


def test_the_preview_raises_the_files_problems(product):
    with pytest.raises(ImportProblems):
        framework_import_preview(profession=product, text="nonsense", kind="json", by=None)


def test_a_file_that_only_rewords_a_skill_can_be_confirmed(head_client, product):
    document = json_document(product.versions.get(number=1))
    document["skills"][0]["description"] = "Words written for the file"
    name = document["skills"][0]["name"]

    response = upload(head_client, product, json.dumps(document), name="product.json")

    assert response.context["preview"].diff.skills_redescribed == [name]
    assert "Import these changes" in response.content.decode()
