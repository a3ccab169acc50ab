"""Reading published frameworks. Public pages, exports and assessments read through here.

A FrameworkVersion never changes once published, so the `Framework` built from its snapshot
is kept in memory per version id: a page needs one query (which version is the latest) and
no parsing after the first request.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404

from .models import (
    PROFICIENCY_RANK,
    Expectation,
    FrameworkVersion,
    LearningResource,
    Profession,
    Proficiency,
    ResourceKind,
    Skill,
    SkillDescriptor,
)
from .snapshot import QUALIFICATION_FIELDS


def _labelled(resource: dict[str, Any]) -> dict[str, Any]:
    """A resource dict with display labels for its kind and proficiency added."""
    kind = resource.get("kind") or ""
    proficiency = resource.get("proficiency") or ""
    return {
        **resource,
        "kind_label": ResourceKind(kind).label if kind in ResourceKind.values else kind,
        "proficiency_label": (
            Proficiency(proficiency).label if proficiency in Proficiency.values else ""
        ),
    }


@dataclass(frozen=True)
class SkillView:
    slug: str
    name: str
    description: str
    descriptors: dict[str, str]  # proficiency value -> text
    resources: tuple[dict[str, Any], ...]  # title, url, provider, kind, proficiency

    def resources_for(self, proficiency: str) -> list[dict[str, Any]]:
        """Resources for this proficiency and those that help at any proficiency, labelled."""
        return [
            _labelled(r) for r in self.resources if r.get("proficiency") in ("", None, proficiency)
        ]

    def resources_between(self, have: str, want: str) -> list[dict[str, Any]]:
        """Resources that help from the proficiency `have` ("" for none) up to `want`: those for
        a proficiency above `have` and no higher than `want`, and those for any. Labelled."""
        low, high = PROFICIENCY_RANK.get(have, 0), PROFICIENCY_RANK.get(want, 0)
        return [
            resource
            for resource in self.resource_items
            if not resource.get("proficiency")
            or low < PROFICIENCY_RANK.get(resource["proficiency"], 0) <= high
        ]

    @property
    def resource_items(self) -> list[dict[str, Any]]:
        """Every resource, labelled for display."""
        return [_labelled(r) for r in self.resources]

    @property
    def descriptor_items(self) -> list[tuple[str, str]]:
        """(proficiency label, what it looks like) from Awareness up to Expert."""
        return [(label, text) for _value, label, text in self.descriptor_rows]

    @property
    def descriptor_rows(self) -> list[tuple[str, str, str]]:
        """(proficiency value, its label, what it looks like) from Awareness up to Expert."""
        return [
            (value, Proficiency(value).label, self.descriptors[value])
            for value in PROFICIENCY_RANK
            if self.descriptors.get(value)
        ]


@dataclass(frozen=True)
class ExpectationView:
    skill: SkillView
    proficiency: str
    note: str

    @property
    def rank(self) -> int:
        return PROFICIENCY_RANK[self.proficiency]

    @property
    def proficiency_label(self) -> str:
        return Proficiency(self.proficiency).label

    @property
    def descriptor(self) -> str:
        return self.skill.descriptors.get(self.proficiency, "")

    @property
    def resources(self) -> list[dict[str, Any]]:
        """Learning resources for this proficiency or for any proficiency."""
        return self.skill.resources_for(self.proficiency)


@dataclass(frozen=True)
class LevelView:
    slug: str
    name: str
    rank: int
    summary: str
    description: str
    grades: tuple[str, ...]
    time_at_level: str
    expectations: tuple[ExpectationView, ...]  # by skill name
    # Accredited qualifications in the level's order: dicts of title, awarding_body, url and
    # summary (text; url and summary may be ""). Empty for versions published before them.
    qualifications: tuple[dict[str, str], ...] = ()

    def expectation_for(self, skill_slug: str) -> ExpectationView | None:
        for expectation in self.expectations:
            if expectation.skill.slug == skill_slug:
                return expectation
        return None


@dataclass(frozen=True)
class Framework:
    """A published version of one profession's framework, ready to show (or, with no version id
    and number, the admin's preview of a working copy)."""

    version_id: int | None
    number: int | None
    profession_name: str
    profession_slug: str
    profession_summary: str
    levels: tuple[LevelView, ...]  # by rank
    skills: dict[str, SkillView] = field(default_factory=dict)  # by slug
    published_at: datetime | None = None

    @property
    def cache_key(self) -> str:
        """Names this exact published version (for template fragment caches)."""
        stamp = self.published_at.timestamp() if self.published_at else ""
        return f"{self.version_id}-{self.number}-{stamp}"

    def previous_level(self, level: LevelView) -> LevelView | None:
        earlier = [other for other in self.levels if other.rank < level.rank]
        return earlier[-1] if earlier else None

    def find_level(self, slug: str) -> LevelView | None:
        """The level with this slug, or None."""
        for level in self.levels:
            if level.slug == slug:
                return level
        return None

    def level(self, slug: str) -> LevelView:
        level = self.find_level(slug)
        if level is None:
            raise Http404("No such level")
        return level

    def next_level(self, level: LevelView) -> LevelView | None:
        later = [other for other in self.levels if other.rank > level.rank]
        return later[0] if later else None


def framework_from_content(
    version_id: int | None,
    number: int | None,
    content: dict[str, Any],
    published_at: datetime | None = None,
) -> Framework:
    """A Framework from a snapshot in the roles.snapshot format."""
    skills = {
        s["slug"]: SkillView(
            slug=s["slug"],
            name=s["name"],
            description=s.get("description", ""),
            descriptors=dict(s.get("descriptors", {})),
            resources=tuple(s.get("resources", ())),
        )
        for s in content["skills"]
    }
    levels = tuple(
        LevelView(
            slug=level["slug"],
            name=level["name"],
            rank=level["rank"],
            summary=level.get("summary", ""),
            description=level.get("description", ""),
            grades=tuple(level.get("grades", ())),
            time_at_level=level.get("time_at_level", ""),
            expectations=tuple(
                ExpectationView(
                    skill=skills[e["skill"]], proficiency=e["proficiency"], note=e.get("note", "")
                )
                for e in level["expectations"]
            ),
            qualifications=tuple(
                {name: str(item.get(name) or "") for name in QUALIFICATION_FIELDS}
                for item in level.get("qualifications", ())
            ),
        )
        for level in sorted(content["levels"], key=lambda level: level["rank"])
    )
    profession = content["profession"]
    return Framework(
        version_id=version_id,
        number=number,
        profession_name=profession["name"],
        profession_slug=profession["slug"],
        profession_summary=profession.get("summary", ""),
        levels=levels,
        skills=skills,
        published_at=published_at,
    )


_FRAMEWORKS: dict[int, Framework] = {}  # by version id; versions never change once published
_CACHE_SIZE = 512


def _remember(version: FrameworkVersion) -> Framework:
    framework = framework_from_content(
        version.pk, version.number, version.content, published_at=version.published_at
    )
    if len(_FRAMEWORKS) >= _CACHE_SIZE:
        _FRAMEWORKS.clear()
    _FRAMEWORKS[version.pk] = framework
    return framework


@receiver(post_save, sender=FrameworkVersion)
@receiver(post_delete, sender=FrameworkVersion)
def _forget(sender: type[FrameworkVersion], instance: FrameworkVersion, **kwargs: Any) -> None:
    """A saved or deleted version's id no longer names what was cached under it."""
    _FRAMEWORKS.pop(instance.pk, None)


def frameworks_for_version_ids(version_ids: list[int]) -> list[Framework]:
    """The Frameworks of these versions, in the order given: at most one query."""
    missing = [pk for pk in version_ids if pk not in _FRAMEWORKS]
    if missing:
        versions = FrameworkVersion.objects.filter(pk__in=missing).only(
            "number", "content", "published_at"
        )
        for version in versions:
            _remember(version)
    return [_FRAMEWORKS[pk] for pk in version_ids]


def framework_for_version_id(version_id: int) -> Framework:
    """The Framework of a version: no query when cached, one when not."""
    return frameworks_for_version_ids([version_id])[0]


def _versions() -> QuerySet:
    """Versions as (id, published_at) tuples: the snapshot is read once per version, by
    frameworks_for_version_ids, and plain tuples spare building model instances per request."""
    return FrameworkVersion.objects.values_list("pk", "published_at")


def _frameworks_for_versions(versions: list[tuple[int, datetime]]) -> list[Framework]:
    """Frameworks for (id, published_at) rows: at most one query.

    A cached Framework is used only when it was built from this very publication: a database
    that reuses ids (SQLite after a rolled-back test) cannot serve a stale framework.
    """
    for pk, published_at in versions:
        cached = _FRAMEWORKS.get(pk)
        if cached is not None and cached.published_at != published_at:
            del _FRAMEWORKS[pk]
    return frameworks_for_version_ids([pk for pk, _published_at in versions])


# The tables are the models' own (tests/roles/test_public_pages.py checks the names).
LATEST_VERSION_SQL = (
    'SELECT v."id", v."published_at" FROM "roles_frameworkversion" v '
    'JOIN "roles_profession" p ON p."id" = v."profession_id" '
    'WHERE p."slug" = %s ORDER BY v."number" DESC LIMIT 1'
)


def latest_framework_or_404(profession_slug: str) -> Framework:
    """The latest published Framework of a profession.

    This runs on every public framework page, so it is one hand-written query: building it
    through the query builder cost more than the database took to answer it.
    """
    versions = list(FrameworkVersion.objects.raw(LATEST_VERSION_SQL, [profession_slug]))
    if not versions:
        raise Http404("No published framework for this profession")
    return _frameworks_for_versions([(versions[0].pk, versions[0].published_at)])[0]


def version_framework_or_404(profession_slug: str, number: int) -> Framework:
    version = _versions().filter(profession__slug=profession_slug, number=number).first()
    if version is None:
        raise Http404("No such version")
    return _frameworks_for_versions([version])[0]


def latest_frameworks() -> list[Framework]:
    """The latest published Framework of every profession, by profession name."""
    versions = _versions().latest_per_profession().order_by("profession__name")
    return _frameworks_for_versions(list(versions))


def skills_changed_by_owners(profession: Profession) -> list[Skill]:
    """Skills this profession's levels use that another profession owns and has changed (name,
    description, descriptors or learning resources) since this profession last published: its
    heads should look at them before they next publish. None before a first publication
    (everything is new then). A fixed number of queries (two), whatever the size of the data."""
    since = (
        FrameworkVersion.objects.filter(profession=profession)
        .order_by("-number")
        .values_list("published_at", flat=True)
        .first()
    )
    if since is None:
        return []
    pk = OuterRef("pk")
    changed = (
        Exists(Skill.history.filter(id=pk, history_date__gt=since))
        | Exists(SkillDescriptor.history.filter(skill_id=pk, history_date__gt=since))
        | Exists(LearningResource.history.filter(skill_id=pk, history_date__gt=since))
    )
    used = Exists(Expectation.objects.filter(skill=pk, role_level__profession=profession))
    skills = Skill.objects.filter(used, changed).exclude(owner=profession)
    return list(skills.select_related("owner").order_by("name"))
