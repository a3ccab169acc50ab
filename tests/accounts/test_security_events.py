"""The security log is written for every event the issue lists, and never carries what people
typed: a canary in names, email addresses and evidence never reaches the log's output."""

import io
import json
import logging
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import security_log
from assessments.models import AssessmentStatus
from people import importer as staff_importer
from roles.importer import framework_import
from roles.opendata import json_document
from tests.conftest import PASSWORD
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    UserFactory,
    make_assessment_for_review,
    make_framework,
    make_head_of_profession,
)

pytestmark = pytest.mark.django_db

CANARY = "zqcanary"
NEW_PASSWORD = "a-brand-new-password-456"


@pytest.fixture
def security_output():
    """What the security logger writes, as text, through a handler like production's."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("careerpath.security")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def lines(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines() if line]


def events(stream):
    return [line["event"] for line in lines(stream)]


def test_sign_in_success_and_failure_give_the_account_id_never_the_address(client, security_output):
    user = UserFactory(email=f"{CANARY}.person@example.gov.uk", password=PASSWORD)

    client.post("/sign-in/", {"username": user.email, "password": "wrong"})
    client.post("/sign-in/", {"username": f"{CANARY}.nobody@example.gov.uk", "password": "x"})
    client.post("/sign-in/", {"username": user.email.upper(), "password": PASSWORD})

    failed_known, failed_unknown, succeeded = lines(security_output)
    assert failed_known["event"] == failed_unknown["event"] == security_log.SIGN_IN_FAILED
    assert (failed_known["user_id"], failed_known["reason"]) == (user.pk, "wrong_password")
    assert (failed_unknown["user_id"], failed_unknown["reason"]) == (None, "unknown_account")
    assert (succeeded["event"], succeeded["user_id"]) == (security_log.SIGN_IN_SUCCEEDED, user.pk)
    assert CANARY not in security_output.getvalue()


def test_a_lockout_and_a_rate_limited_refusal_are_logged(client, settings, security_output):
    user = UserFactory(email=f"{CANARY}@example.gov.uk", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/sign-in/", {"username": user.email, "password": "wrong"})
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_in": (0, 600)}
    client.post("/sign-in/", {"username": user.email, "password": PASSWORD})

    logged = lines(security_output)
    [locked] = [line for line in logged if line["event"] == security_log.SIGN_IN_LOCKED_OUT]
    assert locked["user_id"] == user.pk
    assert events(security_output)[-1] == security_log.SIGN_IN_RATE_LIMITED
    assert CANARY not in security_output.getvalue()


def test_set_up_links_sent_and_used(client, security_output):
    person = PersonFactory(user=None, name=f"{CANARY} Person", email=f"{CANARY}@example.gov.uk")

    client.post(reverse("people:set_up"), {"email": person.email})
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    sent, used = lines(security_output)
    person.refresh_from_db()
    assert (sent["event"], sent["person_id"]) == (security_log.SET_UP_LINK_SENT, person.pk)
    assert (used["event"], used["user_id"]) == (security_log.SET_UP_LINK_USED, person.user_id)
    assert CANARY not in security_output.getvalue()


def test_asking_for_someone_elses_assessment_is_logged_with_ids(client, security_output):
    _profession, version = make_framework(levels=1, skills=1)
    author = PersonFactory(name=f"{CANARY} Author")
    assessment = make_assessment_for_review(
        person=author, version=version, status=AssessmentStatus.DRAFT, evidence=CANARY * 3
    )
    stranger = PersonFactory()
    client.force_login(stranger.user)

    response = client.get(reverse("assessments:assessment_task_list", args=[assessment.pk]))

    assert response.status_code == 404
    [denied] = [line for line in lines(security_output) if line["event"] != "sign_in_succeeded"]
    assert denied["event"] == security_log.ACCESS_DENIED
    assert denied["user_id"] == stranger.user_id
    assert denied["view"] == "assessments:assessment_task_list"
    assert (denied["status"], denied["asked_pk"]) == (404, assessment.pk)
    assert CANARY not in security_output.getvalue()


def test_a_404_for_a_signed_out_visitor_or_a_public_page_is_not_a_refusal(client, security_output):
    client.get("/professions/no-such-profession/")
    client.get(reverse("assessments:assessment_task_list", args=[999]))

    assert lines(security_output) == []


def test_exports_imports_and_admin_changes(
    client, admin_client, admin_user, security_output, django_capture_on_commit_callbacks
):
    profession, version = make_framework(levels=1, skills=1)
    person = PersonFactory(name=f"{CANARY} Exported", email=f"{CANARY}.x@example.gov.uk")
    department = DepartmentFactory(name=f"{CANARY} Department", acronym="ZQ")
    head = make_head_of_profession(profession)
    client.force_login(head)

    admin_client.get(reverse("admin:people_person_subject_access", args=[person.pk]))
    client.get(reverse("insights:capability_csv", args=[profession.slug]))
    header = ",".join(staff_importer.HEADER)
    text = f"{header}\nZQ1,{CANARY} Imported,{CANARY}.i@example.gov.uk,ZQ,,,EO,\n"
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:people_person_import"),
            {"file": SimpleUploadedFile("hr.csv", text.encode(), content_type="text/csv")},
        )
    bad = f"{header}\nZQ2,{CANARY},{CANARY}-not-an-address,ZQ,,,EO,\n"
    admin_client.post(
        reverse("admin:people_person_import"),
        {"file": SimpleUploadedFile("hr.csv", bad.encode(), content_type="text/csv")},
    )
    with django_capture_on_commit_callbacks(execute=True):
        framework_import(profession=profession, data=json_document(version), by=admin_user)
    admin_client.post(
        reverse("admin:people_department_change", args=[department.pk]),
        {"name": f"{CANARY} Renamed", "acronym": "ZQR"},
    )

    logged = lines(security_output)
    exports = [line for line in logged if line["event"] == security_log.EXPORT]
    imports = [line for line in logged if line["event"] == security_log.IMPORT]
    changes = [line for line in logged if line["event"] == security_log.ADMIN_CHANGE]
    assert [(e["kind"], e["user_id"]) for e in exports] == [
        ("subject_access", admin_user.pk),
        ("capability_csv", head.pk),
    ]
    assert exports[0]["person_id"] == person.pk
    assert [(i["kind"], i["outcome"], i["user_id"]) for i in imports] == [
        ("staff", "done", admin_user.pk),
        ("staff", "refused", admin_user.pk),
        ("framework", "done", admin_user.pk),
    ]
    assert imports[0]["created"] == 1
    assert [(c["action"], c["record"], c["record_id"]) for c in changes] == [
        ("change", "people.department", str(department.pk))
    ]
    assert changes[0]["user_id"] == admin_user.pk
    assert CANARY not in security_output.getvalue()
