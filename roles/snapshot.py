"""Build the JSON snapshot of a profession's working copy (the published and open-data format).

The format is documented in docs/open-data.md. Building it runs a fixed number of queries,
whatever the size of the framework.
"""

from typing import Any

from django.db.models import Prefetch

from .models import (
    PROFICIENCY_RANK,
    Expectation,
    LearningResource,
    Profession,
    Qualification,
    RoleLevel,
    Skill,
    SkillDescriptor,
)

FORMAT = "careerpath-framework/1"

# A level's accredited qualifications, in its list's order, each with these fields (text; the
# web address and summary may be empty).
QUALIFICATION_FIELDS = ("title", "awarding_body", "url", "summary")

# Keys added to a level after versions had been published without them, with the value their
# absence means. Readers must accept such versions: they never change.
LEVEL_KEYS_ADDED = {"qualifications": []}


def build_snapshot(profession: Profession) -> dict[str, Any]:
    """The profession's working copy as a plain dict, levels in rank order, skills by name."""
    levels = list(
        RoleLevel.objects.filter(profession=profession)
        .order_by("rank")
        .prefetch_related(
            Prefetch(
                "expectations",
                queryset=Expectation.objects.select_related("skill").order_by("skill__name"),
            ),
            Prefetch(
                "qualifications", queryset=Qualification.objects.order_by("position", "title")
            ),
        )
    )
    skill_ids = {e.skill_id for level in levels for e in level.expectations.all()}
    skills = list(
        Skill.objects.filter(pk__in=skill_ids)
        .order_by("name")
        .prefetch_related(
            Prefetch("descriptors", queryset=SkillDescriptor.objects.all()),
            Prefetch(
                "resources", queryset=LearningResource.objects.order_by("proficiency", "title")
            ),
        )
    )
    return {
        "format": FORMAT,
        "profession": {
            "name": profession.name,
            "slug": profession.slug,
            "summary": profession.summary,
        },
        "levels": [
            {
                "slug": level.slug,
                "name": level.name,
                "rank": level.rank,
                "summary": level.summary,
                "description": level.description,
                "grades": list(level.grades),
                "time_at_level": level.time_at_level,
                "expectations": [
                    {
                        "skill": expectation.skill.slug,
                        "proficiency": expectation.proficiency,
                        "note": expectation.note,
                    }
                    for expectation in level.expectations.all()
                ],
                "qualifications": [
                    {name: getattr(qualification, name) for name in QUALIFICATION_FIELDS}
                    for qualification in level.qualifications.all()
                ],
            }
            for level in levels
        ],
        "skills": [
            {
                "slug": skill.slug,
                "name": skill.name,
                "description": skill.description,
                "descriptors": {
                    d.proficiency: d.description
                    for d in sorted(
                        skill.descriptors.all(), key=lambda d: PROFICIENCY_RANK[d.proficiency]
                    )
                },
                "resources": [
                    {
                        "title": r.title,
                        "url": r.url,
                        "provider": r.provider,
                        "kind": r.kind,
                        "proficiency": r.proficiency,
                    }
                    for r in skill.resources.all()
                ],
            }
            for skill in skills
        ],
    }


def with_keys_added(content: dict[str, Any]) -> dict[str, Any]:
    """A snapshot published before LEVEL_KEYS_ADDED existed, as it reads today: the same
    content, each level given the keys it lacks (a copy; the argument is left as it is)."""
    return {
        **content,
        "levels": [
            {**{key: list(value) for key, value in LEVEL_KEYS_ADDED.items()}, **level}
            for level in content.get("levels", [])
        ],
    }
