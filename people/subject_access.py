"""Subject access: everything the service holds about one person, as plain JSON-ready data.

Used by the admin's "Download everything held about this person (JSON)". Passwords (even
hashed) are never included. A fixed number of queries, however long the person's history.
"""

from django.db.models import Prefetch
from django.utils import timezone

from .models import AssessmentEvent, Person, Rating, SelfAssessment

FORMAT = "careerpath-subject-access/1"


def _when(value):
    return value.isoformat() if value else None


def _person_ref(person):
    if person is None:
        return None
    return {"name": person.name, "staff_number": person.staff_number}


def person_subject_access(person):
    """A dict of the person's record, sign-in account and every assessment with its ratings,
    evidence, comments and timeline."""
    person = Person.objects.select_related(
        "department", "profession", "role_level", "line_manager", "user"
    ).get(pk=person.pk)
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
    user = person.user
    return {
        "format": FORMAT,
        "generated_at": timezone.now().isoformat(),
        "person": {
            "staff_number": person.staff_number,
            "name": person.name,
            "email": person.email,
            "department": person.department.name,
            "profession": person.profession.name if person.profession else None,
            "role_level": person.role_level.name if person.role_level else None,
            "grade": person.grade,
            "line_manager": _person_ref(person.line_manager),
            "is_active": person.is_active,
        },
        "account": None
        if user is None
        else {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "is_active": user.is_active,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "has_password": user.has_usable_password(),
        },
        "assessments": [
            {
                "id": assessment.pk,
                "level": assessment.level_name,
                "profession": assessment.framework_version.profession.name,
                "framework_version": assessment.framework_version.number,
                "status": assessment.status,
                "created_at": _when(assessment.created_at),
                "updated_at": _when(assessment.updated_at),
                "submitted_at": _when(assessment.submitted_at),
                "review_started_at": _when(assessment.review_started_at),
                "returned_at": _when(assessment.returned_at),
                "signed_off_at": _when(assessment.signed_off_at),
                "reviewer": _person_ref(assessment.reviewer),
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
                        "at": _when(event.at),
                        "by": _person_ref(event.by),
                        "note": event.note,
                    }
                    for event in assessment.events.all()
                ],
            }
            for assessment in assessments
        ],
    }
