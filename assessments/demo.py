"""Demo assessments: a few hundred generated colleagues with assessments in every state, and a
review queue for the demo line manager. Idempotent; runs after people.demo (INSTALLED_APPS order).
"""

from people.demo import MANAGER_EMAIL
from people.models import Person
from people.services import person_set_line_manager

from .models import AssessmentStatus, SelfAssessment
from .seed import seed_organisation

GENERATED = 3000
GENERATED_PREFIX = "DG"


def load(*, password, stdout):
    if not Person.objects.filter(staff_number__startswith=GENERATED_PREFIX).exists():
        try:
            result = seed_organisation(
                people=GENERATED, seed=2026, stdout=stdout, prefix=GENERATED_PREFIX
            )
        except LookupError as error:
            stdout.write(f"No generated colleagues: {error}")
        else:
            stdout.write(f"Generated {result.people} colleagues with assessments")
            manager = Person.objects.filter(email=MANAGER_EMAIL).first()
            if manager is not None:
                _give_the_manager_a_queue(manager)
    return []


def _give_the_manager_a_queue(manager):
    """Move a few generated people whose only assessment awaits review under the demo manager,
    so the review queue has something in it."""
    waiting = (
        SelfAssessment.objects.filter(
            person__staff_number__startswith=GENERATED_PREFIX,
            person__direct_reports__isnull=True,
            status=AssessmentStatus.SUBMITTED,
            reviewer__isnull=True,
        )
        .exclude(person__assessments__status=AssessmentStatus.SIGNED_OFF)
        .exclude(person__assessments__status=AssessmentStatus.RETURNED)
        .select_related("person")
        .order_by("pk")
    )
    # Colleagues in the manager's own profession first, then anyone.
    same = list(waiting.filter(person__profession=manager.profession)[:3])
    others = list(waiting.exclude(person__profession=manager.profession)[: 3 - len(same)])
    for assessment in same + others:
        person_set_line_manager(person=assessment.person, manager=manager)
