"""The email a proposer gets when a head decides on their proposal, sent once the decision is
committed (a decision rolled back sends nothing)."""

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Proposal, ProposalStatus

ACCEPTED_SUBJECT = "Your proposed change has been accepted"
DECLINED_SUBJECT = "Your proposed change has been declined"


def decision_message(proposal: Proposal, *, base_url: str = "") -> tuple[str, str, str] | None:
    """(subject, body, recipient) of the email about a decided proposal; None when the proposer
    cannot be told (no address, or a leaver)."""
    proposer = proposal.proposed_by
    if not proposer.email or not proposer.is_active:
        return None
    accepted = proposal.status == ProposalStatus.ACCEPTED
    body = render_to_string(
        f"proposals/email/{'accepted' if accepted else 'declined'}.txt",
        {
            "proposal": proposal,
            "proposer": proposer,
            "link": f"{base_url}{reverse('proposals:list')}#proposal-{proposal.pk}",
        },
    )
    return (ACCEPTED_SUBJECT if accepted else DECLINED_SUBJECT), body, proposer.email


def send_decision_on_commit(proposal: Proposal, *, base_url: str = "") -> None:
    message = decision_message(proposal, base_url=base_url)
    if message is None:
        return
    subject, body, to = message
    transaction.on_commit(lambda: send_mail(subject, body, None, [to]), robust=True)


def base_url_of(request) -> str:
    """The scheme and host the request came to, for links in emails ("https://host")."""
    return request.build_absolute_uri("/").rstrip("/")
