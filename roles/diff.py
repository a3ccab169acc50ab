"""What changed between two published snapshots of a profession's framework.

`snapshot_diff(before, after)` compares two snapshots (roles.snapshot format) and returns a
`FrameworkDiff`: plain lists of changes that a template can show as "what changed in version N".
Levels are matched by slug; a level whose slug stayed but whose name changed is "renamed".
"""

from dataclasses import dataclass, field
from typing import Any

from .models import Proficiency

LEVEL_FIELDS = (
    ("summary", "Summary"),
    ("description", "Description"),
    ("grades", "Typical grades"),
    ("time_at_level", "Time at level"),
    ("rank", "Position in the pathway"),
)


def proficiency_label(value: str | None) -> str:
    try:
        return Proficiency(value).label
    except ValueError:
        return value or "None"


@dataclass
class LevelChange:
    name: str
    fields: list[str] = field(default_factory=list)  # labels of the level's fields that changed


@dataclass
class ExpectationChange:
    level: str
    skill: str
    before: str = ""  # proficiency label, "" when added
    after: str = ""  # proficiency label, "" when removed


@dataclass
class QualificationChange:
    level: str
    title: str


@dataclass
class FrameworkDiff:
    first: bool = False  # the first version: nothing to compare with
    profession_summary_changed: bool = False
    levels_added: list[str] = field(default_factory=list)  # level names
    levels_removed: list[str] = field(default_factory=list)
    levels_renamed: list[tuple[str, str]] = field(default_factory=list)  # (old name, new name)
    levels_changed: list[LevelChange] = field(default_factory=list)
    expectations_added: list[ExpectationChange] = field(default_factory=list)
    expectations_removed: list[ExpectationChange] = field(default_factory=list)
    expectations_changed: list[ExpectationChange] = field(default_factory=list)
    # Same proficiency, another note (before and after are the proficiency label).
    expectation_notes_changed: list[ExpectationChange] = field(default_factory=list)
    qualifications_added: list[QualificationChange] = field(default_factory=list)
    qualifications_removed: list[QualificationChange] = field(default_factory=list)
    # Same title, another awarding body, web address or summary.
    qualifications_changed: list[QualificationChange] = field(default_factory=list)
    qualifications_reordered: list[str] = field(default_factory=list)  # level names
    skills_renamed: list[tuple[str, str]] = field(default_factory=list)  # (old name, new name)
    skills_redescribed: list[str] = field(default_factory=list)  # skill names
    # (skill name, proficiency label)
    descriptors_changed: list[tuple[str, str]] = field(default_factory=list)
    resources_added: list[tuple[str, str]] = field(default_factory=list)  # (skill, title)
    resources_removed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in self.__dataclass_fields__ if name != "first")


def _levels(content: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {level["slug"]: level for level in content.get("levels", ())}


def _skills(content: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {skill["slug"]: skill for skill in content.get("skills", ())}


def _expectations(level: dict[str, Any]) -> dict[str, str]:
    return {e["skill"]: e["proficiency"] for e in level.get("expectations", ())}


def _notes(level: dict[str, Any]) -> dict[str, str]:
    return {e["skill"]: e.get("note", "") for e in level.get("expectations", ())}


def _qualifications(level: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A level's qualifications by title (whatever its case), in order. Versions published
    before levels had qualifications have none."""
    return {q["title"].casefold(): q for q in level.get("qualifications", ())}


def _qualifications_diff(
    diff: FrameworkDiff, name: str, old: dict[str, Any], new: dict[str, Any]
) -> None:
    """What changed in one level's qualifications (old is {} for a level just added)."""
    before, after = _qualifications(old), _qualifications(new)
    for key, qualification in after.items():
        if key not in before:
            diff.qualifications_added.append(QualificationChange(name, qualification["title"]))
        elif before[key] != qualification:
            diff.qualifications_changed.append(QualificationChange(name, qualification["title"]))
    for key, qualification in before.items():
        if key not in after:
            diff.qualifications_removed.append(QualificationChange(name, qualification["title"]))
    kept_before = [key for key in before if key in after]
    kept_after = [key for key in after if key in before]
    if kept_before != kept_after:
        diff.qualifications_reordered.append(name)


def _resource_key(resource: dict[str, Any]) -> tuple[str, str, str]:
    return (resource.get("title", ""), resource.get("url", ""), resource.get("proficiency", ""))


def snapshot_diff(before: dict[str, Any] | None, after: dict[str, Any]) -> FrameworkDiff:
    """The changes from snapshot `before` (None for the first version) to snapshot `after`."""
    if before is None:
        return FrameworkDiff(first=True)
    diff = FrameworkDiff()
    diff.profession_summary_changed = before.get("profession", {}).get("summary", "") != after.get(
        "profession", {}
    ).get("summary", "")
    old_levels, new_levels = _levels(before), _levels(after)
    old_skills, new_skills = _skills(before), _skills(after)

    def skill_name(slug: str) -> str:
        skill = new_skills.get(slug) or old_skills.get(slug) or {}
        return skill.get("name", slug)

    for slug, level in sorted(new_levels.items(), key=lambda item: item[1]["rank"]):
        old = old_levels.get(slug)
        if old is None:
            diff.levels_added.append(level["name"])
            for skill, proficiency in _expectations(level).items():
                diff.expectations_added.append(
                    ExpectationChange(
                        level=level["name"],
                        skill=skill_name(skill),
                        after=proficiency_label(proficiency),
                    )
                )
            _qualifications_diff(diff, level["name"], {}, level)
            continue
        if old["name"] != level["name"]:
            diff.levels_renamed.append((old["name"], level["name"]))
        changed = [label for key, label in LEVEL_FIELDS if old.get(key) != level.get(key)]
        if changed:
            diff.levels_changed.append(LevelChange(name=level["name"], fields=changed))
        old_expected, new_expected = _expectations(old), _expectations(level)
        for skill in sorted(set(old_expected) | set(new_expected), key=skill_name):
            was, now = old_expected.get(skill), new_expected.get(skill)
            if was == now:
                if _notes(old).get(skill, "") != _notes(level).get(skill, ""):
                    diff.expectation_notes_changed.append(
                        ExpectationChange(
                            level=level["name"],
                            skill=skill_name(skill),
                            before=proficiency_label(was),
                            after=proficiency_label(now),
                        )
                    )
                continue
            change = ExpectationChange(
                level=level["name"],
                skill=skill_name(skill),
                before=proficiency_label(was) if was else "",
                after=proficiency_label(now) if now else "",
            )
            if was is None:
                diff.expectations_added.append(change)
            elif now is None:
                diff.expectations_removed.append(change)
            else:
                diff.expectations_changed.append(change)
        _qualifications_diff(diff, level["name"], old, level)
    for slug, level in sorted(old_levels.items(), key=lambda item: item[1]["rank"]):
        if slug not in new_levels:
            diff.levels_removed.append(level["name"])

    for slug in sorted(set(old_skills) & set(new_skills), key=skill_name):
        old, new = old_skills[slug], new_skills[slug]
        if old["name"] != new["name"]:
            diff.skills_renamed.append((old["name"], new["name"]))
        if old.get("description", "") != new.get("description", ""):
            diff.skills_redescribed.append(new["name"])
        old_descriptors, new_descriptors = old.get("descriptors", {}), new.get("descriptors", {})
        for proficiency in Proficiency.values:
            if old_descriptors.get(proficiency, "") != new_descriptors.get(proficiency, ""):
                diff.descriptors_changed.append((new["name"], proficiency_label(proficiency)))
    for slug in sorted(new_skills, key=skill_name):
        old_resources = {_resource_key(r) for r in old_skills.get(slug, {}).get("resources", ())}
        for resource in new_skills[slug].get("resources", ()):
            if _resource_key(resource) not in old_resources:
                diff.resources_added.append((skill_name(slug), resource["title"]))
    for slug in sorted(old_skills, key=skill_name):
        new_resources = {_resource_key(r) for r in new_skills.get(slug, {}).get("resources", ())}
        for resource in old_skills[slug].get("resources", ()):
            if _resource_key(resource) not in new_resources:
                diff.resources_removed.append((skill_name(slug), resource["title"]))
    return diff
