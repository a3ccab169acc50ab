"""`career_position`: where the signed-in person sits in their own profession's published
pathway, for the "You are here" line on the pathway page (templates/roles/pathway.html).

Lazy: nothing is asked of the database unless a template uses it, and never for an anonymous
visitor. When used, one query finds the staff record and the latest published version of its
profession together; the parsed framework comes from roles.selectors' cache (the pathway page
has just read it).
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from people.models import Person
from roles.models import FrameworkVersion
from roles.selectors import LevelView, framework_for_version_id


@dataclass(frozen=True)
class Position:
    profession_slug: str
    level: LevelView
    next_level: LevelView | None

    @property
    def next_value(self) -> str:
        """The next level as careers:readiness's `level` parameter names it."""
        return f"{self.profession_slug}/{self.next_level.slug}" if self.next_level else ""


def position_for(user) -> Position | None:
    if user is None or not user.is_authenticated:
        return None
    latest = FrameworkVersion.objects.filter(profession=OuterRef("profession")).order_by("-number")
    row = (
        Person.objects.filter(user=user, is_active=True, role_level__isnull=False)
        .annotate(version_id=Subquery(latest.values("pk")[:1]))
        .values_list("profession__slug", "role_level__slug", "version_id")
        .first()
    )
    if row is None or row[2] is None:
        return None
    profession_slug, level_slug, version_id = row
    framework = framework_for_version_id(version_id)
    level = framework.find_level(level_slug)
    if level is None:
        return None
    return Position(
        profession_slug=profession_slug, level=level, next_level=framework.next_level(level)
    )


def career_position(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"career_position": SimpleLazyObject(lambda: position_for(user))}
