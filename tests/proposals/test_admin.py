"""Proposals in the admin: heads of the owning profession see and decide them; nobody else."""

import pytest
from django.core import mail
from django.urls import reverse

from proposals import services
from proposals.models import Proposal, ProposalStatus

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/proposals/proposal/"


def change_url(proposal):
    return reverse("admin:proposals_proposal_change", args=[proposal.pk])


# --- who may see -------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["staff", "line_manager", "departmental_head"])
def test_people_without_admin_access_are_sent_to_the_admin_sign_in(
    client, request, role, proposal_for_level
):
    client.force_login(request.getfixturevalue(role))

    for url in (CHANGELIST, change_url(proposal_for_level)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")


def test_anonymous_visitors_are_sent_to_sign_in(client, proposal_for_level):
    response = client.get(change_url(proposal_for_level))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_head_sees_only_their_professions_proposals(
    client, head_of_product, head_of_operations, proposal_for_level, staff, operations
):
    skill = operations.levels.first().expectations.first().skill
    theirs = services.proposal_create_for_descriptor(
        by=staff,
        version_id=operations.versions.get().pk,
        skill_slug=skill.slug,
        proficiency="working",
        proposed_text="Operations text.",
        why="Why.",
    )

    client.force_login(head_of_product)
    response = client.get(CHANGELIST)
    assert list(response.context["cl"].result_list) == [proposal_for_level]
    client.force_login(head_of_operations)
    response = client.get(CHANGELIST)
    assert list(response.context["cl"].result_list) == [theirs]


def test_a_service_administrator_sees_every_proposal(
    client, service_admin, proposal_for_level, proposal_for_descriptor
):
    client.force_login(service_admin)

    response = client.get(CHANGELIST)

    assert set(response.context["cl"].result_list) == {proposal_for_level, proposal_for_descriptor}


def test_the_admin_index_lists_proposals_for_heads_only(client, head_of_product, staff):
    staff.is_staff = True  # admin access, but heads nothing
    staff.save()

    client.force_login(head_of_product)
    assert "Proposed changes" in client.get("/admin/").content.decode()
    client.force_login(staff)
    response = client.get("/admin/")
    assert "Proposed changes" not in response.content.decode()
    assert client.get(CHANGELIST).status_code == 403


def test_another_professions_head_gets_404_and_cannot_decide(
    client, head_of_operations, proposal_for_level, product_level
):
    client.force_login(head_of_operations)

    assert client.get(change_url(proposal_for_level)).status_code == 404
    response = client.post(change_url(proposal_for_level), {"decision": "accept"})

    assert response.status_code == 404
    proposal_for_level.refresh_from_db()
    product_level.refresh_from_db()
    assert proposal_for_level.status == ProposalStatus.PENDING
    assert product_level.description == "A longer description of the job at this level."


def test_nobody_adds_or_deletes_proposals_here(client, service_admin, proposal_for_level):
    client.force_login(service_admin)

    assert client.get("/admin/proposals/proposal/add/").status_code == 403
    delete_url = reverse("admin:proposals_proposal_delete", args=[proposal_for_level.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Proposal.objects.filter(pk=proposal_for_level.pk).exists()


@pytest.mark.parametrize("object_id", ["999999", "abc", "1%00"])
def test_unknown_ids_answer_404(client, head_of_product, object_id):
    client.force_login(head_of_product)

    assert client.get(f"{CHANGELIST}{object_id}/change/").status_code == 404


# --- deciding ----------------------------------------------------------------------------
def test_the_decision_page_shows_the_proposal(client, head_of_product, proposal_for_level):
    client.force_login(head_of_product)

    response = client.get(change_url(proposal_for_level))

    html = response.content.decode()
    assert response.status_code == 200
    assert proposal_for_level.proposed_text in html
    assert proposal_for_level.why in html
    assert "Sam Staff" in html
    assert 'value="Save decision"' in html


def test_a_head_accepts_in_the_admin(
    client, head_of_product, proposal_for_level, product_level, django_capture_on_commit_callbacks
):
    client.force_login(head_of_product)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(proposal_for_level), {"decision": "accept"})

    assert response.status_code == 302
    assert response.url == CHANGELIST
    proposal_for_level.refresh_from_db()
    product_level.refresh_from_db()
    assert proposal_for_level.status == ProposalStatus.ACCEPTED
    assert proposal_for_level.decided_by == head_of_product
    assert product_level.description == proposal_for_level.proposed_text
    [email] = mail.outbox
    assert "http://testserver/your-proposals/" in email.body


def test_a_head_declines_with_a_reason(
    client, head_of_product, proposal_for_level, django_capture_on_commit_callbacks
):
    client.force_login(head_of_product)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            change_url(proposal_for_level), {"decision": "decline", "reason": "Not this year."}
        )

    proposal_for_level.refresh_from_db()
    assert proposal_for_level.status == ProposalStatus.DECLINED
    assert proposal_for_level.decision_reason == "Not this year."
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"decision": "decline", "reason": ""}, "reason", services.DECLINE_REASON_REQUIRED),
        ({}, "decision", services.DECISION_REQUIRED),
        ({"decision": "publish"}, "decision", services.DECISION_REQUIRED),
        ({"decision": "decline", "reason": "r" * 2001}, "reason", None),
    ],
)
def test_bad_decisions_are_refused_with_nothing_changed(
    client, head_of_product, proposal_for_level, data, field, message
):
    client.force_login(head_of_product)

    response = client.post(change_url(proposal_for_level), data)

    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert errors == [message] if message else errors
    proposal_for_level.refresh_from_db()
    assert proposal_for_level.status == ProposalStatus.PENDING
    assert not mail.outbox


def test_a_stale_decision_is_refused(client, head_of_product, service_admin, proposal_for_level):
    services.proposal_decline(proposal=proposal_for_level, by=service_admin, reason="Dup.")
    client.force_login(head_of_product)

    response = client.post(change_url(proposal_for_level), {"decision": "accept"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Declined by" in html
    assert services.ALREADY_DECIDED.format(outcome="declined") in html
    proposal_for_level.refresh_from_db()
    assert proposal_for_level.status == ProposalStatus.DECLINED
    assert proposal_for_level.decided_by == service_admin


# --- query counts ------------------------------------------------------------------------
@pytest.mark.parametrize("count", [1, 25])
def test_the_list_query_count_does_not_grow(
    client,
    head_of_product,
    propose_many,
    count,
    django_assert_max_num_queries,
):
    propose_many(count)
    client.force_login(head_of_product)

    with django_assert_max_num_queries(9):
        response = client.get(CHANGELIST)

    assert response.context["cl"].result_count == count


def test_proposals_waiting_for_a_decision_come_first(
    client, head_of_product, proposal_for_level, proposal_for_descriptor
):
    services.proposal_decline(proposal=proposal_for_descriptor, by=head_of_product, reason="No.")
    client.force_login(head_of_product)

    response = client.get(CHANGELIST)

    assert list(response.context["cl"].result_list) == [
        proposal_for_level,
        proposal_for_descriptor,
    ]


def test_a_service_administrator_decides_any_proposal(
    client, service_admin, proposal_for_descriptor, product_skill
):
    client.force_login(service_admin)

    assert client.get(change_url(proposal_for_descriptor)).status_code == 200
    response = client.post(change_url(proposal_for_descriptor), {"decision": "accept"})

    assert response.status_code == 302
    proposal_for_descriptor.refresh_from_db()
    assert proposal_for_descriptor.decided_by == service_admin
    assert (
        product_skill.descriptors.get(proficiency="practitioner").description
        == proposal_for_descriptor.proposed_text
    )


@pytest.mark.parametrize("count", [1, 25])
def test_the_decision_page_query_count_does_not_grow(
    client, head_of_product, propose_many, count, django_assert_max_num_queries
):
    propose_many(count)
    proposal = Proposal.objects.order_by("pk").first()
    client.force_login(head_of_product)

    with django_assert_max_num_queries(9):
        assert client.get(change_url(proposal)).status_code == 200
