"""The assessments section of a person's subject access export (people.subject_access)."""

from typing import Any

from django.db.models import Prefetch

from people.models import Person
from people.subject_access import person_ref, subject_access_section, when

from .models import AssessmentEvent, Rating, SelfAssessment


@subject_access_section("assessments")
def assessments_held(person: Person) -> list[dict[str, Any]]:
    """Every assessment of the person with its ratings, evidence, comments and timeline."""
    assessments = (
        SelfAssessment.objects.filter(person=person)
        .select_related("framework_version__profession", "reviewer")
        .prefetch_related(
            Prefetch("ratings", queryset=Rating.objects.order_by("position")),
            Prefetch(
                "events", queryset=AssessmentEvent.objects.select_related("by").order_by("at", "pk")
            ),
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": assessment.pk,
            "level": assessment.level_name,
            "profession": assessment.framework_version.profession.name,
            "framework_version": assessment.framework_version.number,
            "status": assessment.status,
            "created_at": when(assessment.created_at),
            "updated_at": when(assessment.updated_at),
            "submitted_at": when(assessment.submitted_at),
            "review_started_at": when(assessment.review_started_at),
            "returned_at": when(assessment.returned_at),
            "signed_off_at": when(assessment.signed_off_at),
            "reviewer": person_ref(assessment.reviewer),
            "manager_summary": assessment.manager_summary,
            "return_reason": assessment.return_reason,
            "ratings": [
                {
                    "skill": rating.skill_name,
                    "expected_proficiency": rating.expected_proficiency,
                    "self_proficiency": rating.self_proficiency,
                    "evidence": rating.evidence,
                    "manager_proficiency": rating.manager_proficiency,
                    "manager_comment": rating.manager_comment,
                }
                for rating in assessment.ratings.all()
            ],
            "events": [
                {
                    "kind": event.kind,
                    "at": when(event.at),
                    "by": person_ref(event.by),
                    "note": event.note,
                }
                for event in assessment.events.all()
            ],
        }
        for assessment in assessments
    ]
