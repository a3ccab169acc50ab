"""The demo data: staff@ has two proposals waiting for head.product@, and loading again adds
none."""

import pytest
from django.core.management import call_command

from proposals.models import Proposal, ProposalStatus


@pytest.mark.django_db
def test_the_demo_has_proposals_waiting_for_the_head_of_product(settings):
    settings.DEBUG = True

    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # idempotent

    proposals = Proposal.objects.select_related("proposed_by", "profession")
    assert proposals.count() == 2
    for proposal in proposals:
        assert proposal.proposed_by.email == "staff@example.gov.uk"
        assert proposal.profession.slug == "product-management"
        assert proposal.status == ProposalStatus.PENDING
        assert proposal.profession.heads.filter(email="head.product@example.gov.uk").exists()
