"""The searchable documents of one published version, worked out from its snapshot.

Plain Python over roles.selectors.Framework, so the publishing transaction, the migration that
indexes versions published before search existed, and the rebuild command all write the same.
"""

from dataclasses import dataclass

from roles.models import Proficiency, ResourceKind
from roles.selectors import Framework

from .grades import grade_text
from .models import Kind


@dataclass(frozen=True)
class Document:
    kind: str
    title: str
    context: str = ""
    body: str = ""
    grades: str = ""
    level_slug: str = ""
    skill_slug: str = ""


def _label(choices, value: str) -> str:
    return choices(value).label if value in choices.values else (value or "")


def documents_for(framework: Framework) -> list[Document]:
    """A profession, its levels and qualifications, its skills, their descriptors and learning
    resources, each as one Document."""
    found = [
        Document(Kind.PROFESSION, framework.profession_name, body=framework.profession_summary)
    ]
    for level in framework.levels:
        found.append(
            Document(
                Kind.LEVEL,
                level.name,
                body="\n".join(filter(None, [level.summary, level.description])),
                grades=grade_text(level.grades),
                level_slug=level.slug,
            )
        )
        for qualification in level.qualifications:
            found.append(
                Document(
                    Kind.QUALIFICATION,
                    qualification["title"],
                    context=level.name,
                    body="\n".join(
                        filter(None, [qualification["awarding_body"], qualification["summary"]])
                    ),
                    level_slug=level.slug,
                )
            )
    for skill in sorted(framework.skills.values(), key=lambda skill: skill.name.casefold()):
        found.append(
            Document(Kind.SKILL, skill.name, body=skill.description, skill_slug=skill.slug)
        )
        for label, text in skill.descriptor_items:
            found.append(
                Document(
                    Kind.DESCRIPTOR, skill.name, context=label, body=text, skill_slug=skill.slug
                )
            )
        for resource in skill.resources:
            found.append(
                Document(
                    Kind.RESOURCE,
                    resource["title"],
                    context=skill.name,
                    body=", ".join(
                        filter(
                            None,
                            [
                                _label(ResourceKind, resource.get("kind") or ""),
                                resource.get("provider") or "",
                                _label(Proficiency, resource.get("proficiency") or ""),
                            ],
                        )
                    ),
                    skill_slug=skill.slug,
                )
            )
    return found
