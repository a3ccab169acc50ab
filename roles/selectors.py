"""Reading published frameworks. Public pages, exports and assessments read through here.

A FrameworkVersion never changes once published, so the `Framework` built from its snapshot
is kept in memory per version id: a page needs one query (which version is the latest) and
no parsing after the first request.
"""

from dataclasses import dataclass, field

from django.http import Http404

from .models import PROFICIENCY_RANK, FrameworkVersion, Proficiency


@dataclass(frozen=True)
class SkillView:
    slug: str
    name: str
    description: str
    descriptors: dict  # proficiency value -> text
    resources: tuple  # of dicts: title, url, provider, kind, proficiency


@dataclass(frozen=True)
class ExpectationView:
    skill: SkillView
    proficiency: str
    note: str

    @property
    def rank(self):
        return PROFICIENCY_RANK[self.proficiency]

    @property
    def proficiency_label(self):
        return Proficiency(self.proficiency).label

    @property
    def descriptor(self):
        return self.skill.descriptors.get(self.proficiency, "")


@dataclass(frozen=True)
class LevelView:
    slug: str
    name: str
    rank: int
    summary: str
    description: str
    grades: tuple
    time_at_level: str
    expectations: tuple  # of ExpectationView, by skill name

    def expectation_for(self, skill_slug):
        for expectation in self.expectations:
            if expectation.skill.slug == skill_slug:
                return expectation
        return None


@dataclass(frozen=True)
class Framework:
    """A published version of one profession's framework, ready to show."""

    version_id: int
    number: int
    profession_name: str
    profession_slug: str
    profession_summary: str
    levels: tuple  # of LevelView, by rank
    skills: dict = field(default_factory=dict)  # slug -> SkillView

    def level(self, slug):
        for level in self.levels:
            if level.slug == slug:
                return level
        raise Http404("No such level")

    def next_level(self, level):
        later = [other for other in self.levels if other.rank > level.rank]
        return later[0] if later else None


def framework_from_content(version_id, number, content):
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
    )


_FRAMEWORKS = {}  # version id -> Framework; versions never change once published
_CACHE_SIZE = 512


def _remember(version):
    framework = framework_from_content(version.pk, version.number, version.content)
    if len(_FRAMEWORKS) >= _CACHE_SIZE:
        _FRAMEWORKS.clear()
    _FRAMEWORKS[version.pk] = framework
    return framework


def frameworks_for_version_ids(version_ids):
    """The Frameworks of these versions, in the order given: at most one query."""
    missing = [pk for pk in version_ids if pk not in _FRAMEWORKS]
    if missing:
        for version in FrameworkVersion.objects.filter(pk__in=missing).only("number", "content"):
            _remember(version)
    return [_FRAMEWORKS[pk] for pk in version_ids]


def framework_for_version_id(version_id):
    """The Framework of a version: no query when cached, one when not."""
    return frameworks_for_version_ids([version_id])[0]


def _versions():
    # The snapshot is only read (once per version) by framework_for_version_id.
    return FrameworkVersion.objects.only("pk", "number", "profession_id")


def latest_framework_or_404(profession_slug):
    """The latest published Framework of a profession."""
    version = _versions().filter(profession__slug=profession_slug).order_by("-number").first()
    if version is None:
        raise Http404("No published framework for this profession")
    return framework_for_version_id(version.pk)


def version_framework_or_404(profession_slug, number):
    version = _versions().filter(profession__slug=profession_slug, number=number).first()
    if version is None:
        raise Http404("No such version")
    return framework_for_version_id(version.pk)


def latest_frameworks():
    """The latest published Framework of every profession, by profession name."""
    versions = _versions().latest_per_profession().order_by("profession__name")
    return frameworks_for_version_ids([version.pk for version in versions])
