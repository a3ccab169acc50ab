"""The writes: making a proposal, accepting and declining it, and what the database refuses."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from proposals import services
from proposals.models import Proposal, ProposalKind, ProposalStatus
from roles.models import RoleLevel, SkillDescriptor
from roles.services import framework_publish
from tests.factories import ExpectationFactory, UserFactory, make_framework

pytestmark = pytest.mark.django_db

NEW_TEXT = "Learns product tactics, then product strategy."


def make_level_proposal(by, version, level, **changes):
    fields = {
        "by": by,
        "version_id": version.pk,
        "level_slug": level.slug,
        "proposed_text": NEW_TEXT,
        "why": "It is out of date.",
        **changes,
    }
    return services.proposal_create_for_level(**fields)


# --- owning profession ------------------------------------------------------------------
def test_a_level_is_owned_by_its_profession(product_level, product):
    assert services.owning_profession(product_level) == product


def test_a_skill_s_proposals_go_to_its_owner_even_when_others_use_it(
    product_skill, product, operations_level
):
    ExpectationFactory(role_level=operations_level, skill=product_skill, proficiency="working")

    assert services.owning_profession(product_skill) == product


# --- making a proposal ------------------------------------------------------------------
def test_a_proposal_records_the_published_text_and_version(staff, product_version, product_level):
    proposal = make_level_proposal(staff, product_version, product_level)

    assert proposal.kind == ProposalKind.LEVEL_DESCRIPTION
    assert proposal.status == ProposalStatus.PENDING
    assert proposal.version == product_version
    assert proposal.profession == product_level.profession
    assert proposal.role_level == product_level
    assert proposal.current_text == "A longer description of the job at this level."
    assert proposal.proposed_text == NEW_TEXT
    assert proposal.target_name == f"{product_level.name} (Product management)"


def test_the_text_is_the_published_one_not_the_working_copy(staff, product_version, product_level):
    product_level.description = "An unpublished edit."
    product_level.save()

    proposal = make_level_proposal(staff, product_version, product_level)

    assert proposal.current_text == "A longer description of the job at this level."


def test_a_descriptor_proposal_is_decided_by_the_skills_owner(
    proposal_for_descriptor, product, product_skill
):
    assert proposal_for_descriptor.kind == ProposalKind.SKILL_DESCRIPTOR
    assert proposal_for_descriptor.profession == product
    assert proposal_for_descriptor.skill == product_skill
    assert proposal_for_descriptor.proficiency == "practitioner"
    assert proposal_for_descriptor.current_text == "At practitioner you can do things."
    assert proposal_for_descriptor.target_name == f"{product_skill.name} at Practitioner"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"proposed_text": "  "}, "proposed_text", services.PROPOSED_TEXT_REQUIRED),
        ({"proposed_text": "x" * 5001}, "proposed_text", services.PROPOSED_TEXT_TOO_LONG),
        (
            {"proposed_text": "A longer description of the job at this level. "},
            "proposed_text",
            services.PROPOSED_TEXT_UNCHANGED,
        ),
        ({"why": ""}, "why", services.WHY_REQUIRED),
        ({"why": "y" * 2001}, "why", services.WHY_TOO_LONG),
    ],
)
def test_bad_text_is_refused_and_nothing_is_written(
    staff, product_version, product_level, changes, field, message
):
    with pytest.raises(ValidationError) as error:
        make_level_proposal(staff, product_version, product_level, **changes)

    assert error.value.message_dict[field] == [message]
    assert not Proposal.objects.exists()


def test_a_forged_version_or_level_is_refused(staff, product_version, product_level, operations):
    other_version = operations.versions.get()
    forged = [
        {"version_id": 999_999},
        {"version_id": "1"},
        {"version_id": None},
        {"version_id": other_version.pk},  # a product level named against Operations' version
        {"level_slug": "no-such-level"},
    ]
    for changes in forged:
        with pytest.raises(ValidationError) as error:
            make_level_proposal(staff, product_version, product_level, **changes)
        assert error.value.messages == [services.NOT_PUBLISHED], changes
    assert not Proposal.objects.exists()


def test_a_level_removed_from_the_working_copy_is_refused(staff, product_version, product_level):
    slug = product_level.slug
    product_level.expectations.all().delete()
    product_level.delete()

    with pytest.raises(ValidationError) as error:
        make_level_proposal(staff, product_version, RoleLevel(slug=slug))

    assert error.value.messages == [services.NOT_IN_WORKING_COPY]
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("proficiency", ["", "master", "Practitioner"])
def test_a_forged_proficiency_is_refused(staff, product_version, product_skill, proficiency):
    with pytest.raises(ValidationError) as error:
        services.proposal_create_for_descriptor(
            by=staff,
            version_id=product_version.pk,
            skill_slug=product_skill.slug,
            proficiency=proficiency,
            proposed_text=NEW_TEXT,
            why="Why not.",
        )
    assert error.value.messages == [services.NOT_PUBLISHED]
    assert not Proposal.objects.exists()


def test_a_skill_not_in_the_version_is_refused(staff, product_version, operations):
    other_skill = operations.levels.first().expectations.first().skill
    with pytest.raises(ValidationError):
        services.proposal_create_for_descriptor(
            by=staff,
            version_id=product_version.pk,
            skill_slug=other_skill.slug,
            proficiency="working",
            proposed_text=NEW_TEXT,
            why="Why not.",
        )
    assert not Proposal.objects.exists()


def test_only_an_active_signed_in_person_may_propose(product_version, product_level):
    from django.contrib.auth.models import AnonymousUser

    for who in (None, AnonymousUser(), UserFactory(is_active=False)):
        with pytest.raises(PermissionDenied):
            make_level_proposal(who, product_version, product_level)
    assert not Proposal.objects.exists()


# --- accepting ---------------------------------------------------------------------------
def test_accepting_a_level_proposal_changes_the_working_copy_in_history(
    proposal_for_level, head_of_product, product_level, django_capture_on_commit_callbacks
):
    lock_before = product_level.lock_version

    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_accept(
            proposal=proposal_for_level, by=head_of_product, base_url="https://cp.example"
        )

    proposal_for_level.refresh_from_db()
    product_level.refresh_from_db()
    assert proposal_for_level.status == ProposalStatus.ACCEPTED
    assert proposal_for_level.decided_by == head_of_product
    assert proposal_for_level.decided_at is not None
    assert product_level.description == proposal_for_level.proposed_text
    assert product_level.lock_version == lock_before + 1
    record = product_level.history.order_by("-history_date").first()
    assert record.history_user == head_of_product
    assert record.history_change_reason.startswith("Proposed by Sam Staff:")
    [email] = mail.outbox
    assert email.to == [proposal_for_level.proposed_by.email]
    assert email.subject == "Your proposed change has been accepted"
    assert f"https://cp.example/your-proposals/#proposal-{proposal_for_level.pk}" in email.body


def test_accepting_a_descriptor_proposal_changes_the_descriptor_in_history(
    proposal_for_descriptor, head_of_product, product_skill
):
    services.proposal_accept(proposal=proposal_for_descriptor, by=head_of_product)

    descriptor = SkillDescriptor.objects.get(skill=product_skill, proficiency="practitioner")
    assert descriptor.description == proposal_for_descriptor.proposed_text
    record = descriptor.history.order_by("-history_date").first()
    assert record.history_user == head_of_product
    assert "Proposed by Sam Staff" in record.history_change_reason


def test_a_service_administrator_may_decide(proposal_for_level, service_admin):
    services.proposal_accept(proposal=proposal_for_level, by=service_admin)

    proposal_for_level.refresh_from_db()
    assert proposal_for_level.status == ProposalStatus.ACCEPTED


@pytest.mark.parametrize("decide", ["accept", "decline"])
def test_another_professions_head_cannot_decide(
    proposal_for_level, head_of_operations, staff, product_level, decide
):
    def attempt(who):
        if decide == "accept":
            return services.proposal_accept(proposal=proposal_for_level, by=who)
        return services.proposal_decline(proposal=proposal_for_level, by=who, reason="No.")

    for who in (head_of_operations, staff, UserFactory(is_active=False)):
        with pytest.raises(PermissionDenied):
            attempt(who)

    proposal_for_level.refresh_from_db()
    product_level.refresh_from_db()
    assert proposal_for_level.status == ProposalStatus.PENDING
    assert product_level.description == "A longer description of the job at this level."
    assert not mail.outbox


def test_a_head_of_product_cannot_decide_on_a_skill_operations_owns(
    staff, head_of_product, operations
):
    skill = operations.levels.first().expectations.first().skill
    proposal = services.proposal_create_for_descriptor(
        by=staff,
        version_id=operations.versions.get().pk,
        skill_slug=skill.slug,
        proficiency="working",
        proposed_text=NEW_TEXT,
        why="Why not.",
    )

    with pytest.raises(PermissionDenied):
        services.proposal_accept(proposal=proposal, by=head_of_product)

    assert SkillDescriptor.objects.get(skill=skill, proficiency="working").description != NEW_TEXT


def test_deciding_twice_is_refused(proposal_for_level, head_of_product, product_level):
    stale_copy = Proposal.objects.get(pk=proposal_for_level.pk)
    services.proposal_decline(proposal=proposal_for_level, by=head_of_product, reason="Not now.")
    mail.outbox.clear()

    with pytest.raises(ValidationError) as error:
        services.proposal_accept(proposal=stale_copy, by=head_of_product)

    assert error.value.messages == [services.ALREADY_DECIDED.format(outcome="declined")]
    stale_copy.refresh_from_db()
    product_level.refresh_from_db()
    assert stale_copy.status == ProposalStatus.DECLINED
    assert product_level.description == "A longer description of the job at this level."
    assert not mail.outbox


def test_accepting_when_the_level_is_gone_is_refused(
    proposal_for_level, head_of_product, product_level
):
    product_level.expectations.all().delete()
    product_level.delete()
    proposal_for_level.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        services.proposal_accept(proposal=proposal_for_level, by=head_of_product)

    assert error.value.messages == [services.TARGET_GONE]
    proposal_for_level.refresh_from_db()
    assert proposal_for_level.status == ProposalStatus.PENDING


# --- declining ---------------------------------------------------------------------------
def test_declining_needs_a_reason(proposal_for_level, head_of_product):
    for reason in (None, "", "   ", "r" * 2001):
        with pytest.raises(ValidationError) as error:
            services.proposal_decline(
                proposal=proposal_for_level, by=head_of_product, reason=reason
            )
        assert list(error.value.message_dict) == ["reason"]

    proposal_for_level.refresh_from_db()
    assert proposal_for_level.status == ProposalStatus.PENDING


def test_declining_emails_the_reason(
    proposal_for_level, head_of_product, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_decline(
            proposal=proposal_for_level, by=head_of_product, reason="  Covered by level two.  "
        )

    proposal_for_level.refresh_from_db()
    assert proposal_for_level.status == ProposalStatus.DECLINED
    assert proposal_for_level.decision_reason == "Covered by level two."
    [email] = mail.outbox
    assert email.subject == "Your proposed change has been declined"
    assert "Covered by level two." in email.body
    assert "Hana Head" in email.body


def test_a_decision_rolled_back_sends_no_email(
    proposal_for_level, head_of_product, django_capture_on_commit_callbacks
):
    def decide_then_fail():
        with transaction.atomic():
            services.proposal_decline(proposal=proposal_for_level, by=head_of_product, reason="No")
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        decide_then_fail()

    assert not mail.outbox
    proposal_for_level.refresh_from_db()
    assert proposal_for_level.status == ProposalStatus.PENDING


# --- publishing credits the proposer ---------------------------------------------------
def test_publishing_credits_accepted_proposals_once(
    proposal_for_level, proposal_for_descriptor, head_of_product, product
):
    services.proposal_accept(proposal=proposal_for_level, by=head_of_product)

    version = framework_publish(profession=product, by=head_of_product, change_note="Tidied up")

    assert version.change_note.startswith("Tidied up\n\n")
    assert "Proposed by Sam Staff: the description of" in version.change_note
    assert "looks like" not in version.change_note  # the pending one is not in it
    proposal_for_level.refresh_from_db()
    assert proposal_for_level.published_in == version
    assert version.content["levels"][0]["description"] == proposal_for_level.proposed_text

    later = framework_publish(profession=product, by=head_of_product, change_note="Again")
    assert later.change_note == "Again"


def test_publishing_another_profession_credits_nothing(
    proposal_for_level, head_of_product, operations
):
    services.proposal_accept(proposal=proposal_for_level, by=head_of_product)

    version = framework_publish(profession=operations, by=None, change_note="Operations only")

    assert version.change_note == "Operations only"
    proposal_for_level.refresh_from_db()
    assert proposal_for_level.published_in is None


# --- the database's own rules ------------------------------------------------------------
def _row(proposal_for_level, **changes):
    fields = {
        field.attname: getattr(proposal_for_level, field.attname)
        for field in Proposal._meta.concrete_fields
        if field.attname != "id"
    }
    return {**fields, **changes}


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "maybe"},
        {"kind": "profession_summary"},
        {"proficiency": "working"},  # a level description has no proficiency
        {"proposed_text": ""},
        {"why": ""},
        {"proposed_text": "A longer description of the job at this level."},  # no change
        {"proposed_text": "x" * 5001},
        {"status": ProposalStatus.ACCEPTED},  # decided, but by nobody
        {"status": ProposalStatus.DECLINED, "decided_at": timezone.now()},
        {"decided_at": timezone.now()},  # pending, yet decided
    ],
)
def test_the_database_refuses_broken_proposals(proposal_for_level, changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.create(**_row(proposal_for_level, **changes))


def test_the_database_refuses_a_decline_without_a_reason(proposal_for_level, head_of_product):
    row = _row(
        proposal_for_level,
        status=ProposalStatus.DECLINED,
        decided_by_id=head_of_product.pk,
        decided_at=timezone.now(),
        decision_reason="",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.create(**row)
    Proposal.objects.create(**{**row, "decision_reason": "Covered elsewhere."})


def test_a_publish_by_code_with_no_accepted_proposals_is_unchanged(db):
    _profession, version = make_framework()
    assert version.change_note == "First version"
