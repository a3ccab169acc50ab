"""Search across the latest published frameworks: professions, levels (with the titles and
awarding bodies of their qualifications) and skills.

Works in memory on the Frameworks from roles.selectors (one query whatever the data), so it
searches exactly what the public pages show. Matching is case-insensitive and every word of
the query must appear somewhere in the item's searchable text.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from .selectors import Framework, LevelView, SkillView

MAX_WORDS = 10


@dataclass(frozen=True)
class ProfessionHit:
    framework: Framework


@dataclass(frozen=True)
class LevelHit:
    framework: Framework
    level: LevelView


@dataclass(frozen=True)
class SkillHit:
    skill: SkillView
    professions: tuple[str, ...]  # names of the professions that need it


@dataclass
class SearchResults:
    query: str
    professions: list[ProfessionHit] = field(default_factory=list)
    levels: list[LevelHit] = field(default_factory=list)
    skills: list[SkillHit] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.professions) + len(self.levels) + len(self.skills)


def query_words(query: str | None) -> list[str]:
    """The lower-cased words of a query, at most MAX_WORDS of them."""
    return (query or "").casefold().split()[:MAX_WORDS]


def _matches(words: list[str], *texts: str | None) -> bool:
    haystack = " ".join(text or "" for text in texts).casefold()
    return all(word in haystack for word in words)


def search_frameworks(frameworks: Iterable[Framework], query: str | None) -> SearchResults:
    """Professions, levels and skills of these frameworks that match every word of the query."""
    results = SearchResults(query=(query or "").strip())
    words = query_words(query)
    if not words:
        return results
    skills = {}
    for framework in frameworks:
        if _matches(words, framework.profession_name, framework.profession_summary):
            results.professions.append(ProfessionHit(framework=framework))
        for level in framework.levels:
            qualifications = (
                text for q in level.qualifications for text in (q["title"], q["awarding_body"])
            )
            if _matches(words, level.name, level.summary, level.description, *qualifications):
                results.levels.append(LevelHit(framework=framework, level=level))
        for skill in framework.skills.values():
            if skill.slug in skills:
                skills[skill.slug][1].append(framework.profession_name)
            elif _matches(words, skill.name, skill.description):
                skills[skill.slug] = (skill, [framework.profession_name])
    results.skills = [
        SkillHit(skill=skill, professions=tuple(names))
        for skill, names in sorted(skills.values(), key=lambda item: item[0].name.casefold())
    ]
    return results
