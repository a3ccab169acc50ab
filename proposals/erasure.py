"""This app's step of erasing a leaver (accounts.erasure, run by people.erasure.person_erase):
the changes the person proposed, with their reasons, are removed. An accepted change is already
in the framework's working copy and published versions, which name nobody but in the change
note's credit line (public, and kept as published)."""

from accounts.erasure import erasure_step

from .models import Proposal


@erasure_step("proposals")
def proposals_erase(*, person_id: int, user_id: int | None) -> int:
    if user_id is None:
        return 0
    return Proposal.objects.filter(proposed_by_id=user_id).delete()[0]
