"""Demo proposals: staff@ has proposed two changes to Product management, waiting for
head.product@ to decide in the admin. Idempotent: nothing is added once staff@ has proposals."""

from accounts.models import User
from roles.models import FrameworkVersion

from .models import Proposal
from .services import proposal_create_for_descriptor, proposal_create_for_level

PROPOSER = "staff@example.gov.uk"
PROFESSION = "product-management"


def load(*, password, stdout):
    proposer = User.objects.filter(email=PROPOSER).first()
    version = (
        FrameworkVersion.objects.filter(profession__slug=PROFESSION).order_by("-number").first()
    )
    if (
        proposer is None
        or version is None
        or Proposal.objects.filter(proposed_by=proposer).exists()
    ):
        return []
    levels = sorted(version.content["levels"], key=lambda level: level["rank"])
    proposal_create_for_level(
        by=proposer,
        version_id=version.pk,
        level_slug=levels[0]["slug"],
        proposed_text=(
            f"{levels[0]['description']}\n\nBy the end of the programme they run discovery for a "
            "small service on their own, with a senior product manager to turn to."
        ),
        why="New starters asked what they should be able to do by the end of the programme.",
    )
    skill = next(
        (s for s in version.content["skills"] if s.get("descriptors", {}).get("working")), None
    )
    if skill is not None:
        proposal_create_for_descriptor(
            by=proposer,
            version_id=version.pk,
            skill_slug=skill["slug"],
            proficiency="working",
            proposed_text=f"{skill['descriptors']['working']} Asks for help when it is needed.",
            why="Working is about doing the job with support; the text should say so.",
        )
    stdout.write("Proposed two changes to Product management as staff@.")
    return []
