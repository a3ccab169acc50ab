"""This app's step of erasing a leaver (accounts.erasure, run by people.erasure.person_erase).

Removes the person's own assessments (with their ratings, evidence, comments and timeline) and
development plan (with the comments on it). The capability summary (OutcomeCount) already
counted their signed-off ratings when each was signed off and is left as it is: it names nobody.

What the person wrote about others stays with those others' records, under the anonymised staff
record: their review comments on a report's assessment, their comments on a report's plan.
"""

from accounts.erasure import erasure_step

from .models import PlanAction, SelfAssessment


@erasure_step("assessments")
def assessments_erase(*, person_id: int, user_id: int | None) -> int:
    removed = SelfAssessment.objects.filter(person_id=person_id).delete()[0]
    removed += PlanAction.objects.filter(person_id=person_id).delete()[0]
    return removed
