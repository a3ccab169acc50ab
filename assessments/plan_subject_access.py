"""The development plan's section of a person's subject access export (people.subject_access).

Registered as the section "development_plan" when this module is imported; assessments'
AppConfig.ready() must import it, as it does assessments.subject_access. Two queries, however
long the plan.
"""

from typing import Any

from django.db.models import Prefetch

from people.models import Person
from people.subject_access import person_ref, subject_access_section, when

from .models import PlanAction, PlanComment


@subject_access_section("development_plan")
def development_plan_held(person: Person) -> list[dict[str, Any]]:
    """Every action of the person's development plan, with the comments made on it."""
    actions = (
        PlanAction.objects.filter(person=person)
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=PlanComment.objects.select_related("author").order_by("created_at", "pk"),
            )
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": action.pk,
            "skill": action.skill_name,
            "title": action.title,
            "details": action.details,
            "resource_title": action.resource_title,
            "resource_url": action.resource_url,
            "target_date": action.target_date.isoformat(),
            "status": action.status,
            "created_at": when(action.created_at),
            "updated_at": when(action.updated_at),
            "completed_at": when(action.completed_at),
            "comments": [
                {
                    "text": comment.text,
                    "by": person_ref(comment.author),
                    "at": when(comment.created_at),
                }
                for comment in action.comments.all()
            ],
        }
        for action in actions
    ]
