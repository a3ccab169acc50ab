"""What changes between two role levels: up a pathway, or sideways into another profession.

Both comparisons work on published Frameworks (roles.selectors) and run no queries.
"""

from dataclasses import dataclass

from .selectors import ExpectationView, Framework, LevelView, SkillView

RISES = "rises"
FALLS = "falls"
UNCHANGED = "unchanged"
NEW = "new"
NO_LONGER_LISTED = "dropped"


@dataclass(frozen=True)
class SkillChange:
    """One skill seen at two levels; either expectation may be missing."""

    skill: SkillView
    current: ExpectationView | None
    target: ExpectationView | None

    @property
    def current_rank(self) -> int:
        return self.current.rank if self.current else 0

    @property
    def target_rank(self) -> int:
        return self.target.rank if self.target else 0

    @property
    def steps(self) -> int:
        """How many proficiency steps the target expects above (positive) or below the current."""
        return self.target_rank - self.current_rank

    @property
    def size(self) -> int:
        """How many steps apart the two proficiencies are, whichever way."""
        return abs(self.steps)

    @property
    def status(self) -> str:
        if self.current is None:
            return NEW
        if self.target is None:
            return NO_LONGER_LISTED
        if self.steps > 0:
            return RISES
        if self.steps < 0:
            return FALLS
        return UNCHANGED

    @property
    def current_label(self) -> str:
        return self.current.proficiency_label if self.current else ""

    @property
    def target_label(self) -> str:
        return self.target.proficiency_label if self.target else ""


@dataclass(frozen=True)
class LevelComparison:
    current: LevelView
    target: LevelView
    changes: tuple[SkillChange, ...]  # by skill name

    def _with(self, status: str) -> list[SkillChange]:
        return [change for change in self.changes if change.status == status]

    @property
    def rises(self) -> list[SkillChange]:
        return self._with(RISES)

    @property
    def falls(self) -> list[SkillChange]:
        return self._with(FALLS)

    @property
    def new(self) -> list[SkillChange]:
        return self._with(NEW)

    @property
    def no_longer_listed(self) -> list[SkillChange]:
        return self._with(NO_LONGER_LISTED)

    @property
    def unchanged(self) -> list[SkillChange]:
        return self._with(UNCHANGED)


def _changes(current: LevelView, target: LevelView) -> tuple[SkillChange, ...]:
    current_by_slug = {e.skill.slug: e for e in current.expectations}
    target_by_slug = {e.skill.slug: e for e in target.expectations}
    skills = {e.skill.slug: e.skill for e in current.expectations}
    skills.update({e.skill.slug: e.skill for e in target.expectations})
    return tuple(
        SkillChange(
            skill=skill,
            current=current_by_slug.get(slug),
            target=target_by_slug.get(slug),
        )
        for slug, skill in sorted(skills.items(), key=lambda item: item[1].name.lower())
    )


def compare_levels(current: LevelView, target: LevelView) -> LevelComparison:
    """Every skill of either level, with what the target level expects compared to the current."""
    return LevelComparison(current=current, target=target, changes=_changes(current, target))


@dataclass(frozen=True)
class RoleComparison:
    """A sideways move: from a level of one profession to a level of another (or the same)."""

    current_framework: Framework
    current: LevelView
    target_framework: Framework
    target: LevelView
    changes: tuple[SkillChange, ...]  # by skill name

    @property
    def shared(self) -> list[SkillChange]:
        """Skills both roles list."""
        return [c for c in self.changes if c.current is not None and c.target is not None]

    @property
    def gaps(self) -> list[SkillChange]:
        """Shared skills the target role expects at a higher proficiency, largest gap first."""
        rising = [c for c in self.shared if c.steps > 0]
        return sorted(rising, key=lambda c: (-c.steps, c.skill.name.lower()))

    @property
    def to_learn(self) -> list[SkillChange]:
        """Skills only the target role needs."""
        return [c for c in self.changes if c.current is None]

    @property
    def transferable(self) -> list[SkillChange]:
        """Skills only the current role lists: experience to bring, not needed by the target."""
        return [c for c in self.changes if c.target is None]

    @property
    def shares_nothing(self) -> bool:
        return not self.shared


def compare_roles(
    current_framework: Framework,
    current: LevelView,
    target_framework: Framework,
    target: LevelView,
) -> RoleComparison:
    """Every skill of either role, with what the target role expects compared to the current."""
    return RoleComparison(
        current_framework=current_framework,
        current=current,
        target_framework=target_framework,
        target=target,
        changes=_changes(current, target),
    )
