#!/usr/bin/env python3
"""Published frameworks for the search benchmark: 10 professions of about 50 skills each.

Each profession has 5 levels (with grades) expecting all of its 50 skills; each skill has a
descriptor for every proficiency and two learning resources, in plain words drawn from a small
vocabulary so that searches match a realistic share of them. Every profession is published
through roles.services.framework_publish, so its search documents are written as in production.
Running it again adds nothing: professions already there are left as they are.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python \\
        scripts/search_benchmark_data.py [--professions 10] [--skills 50]

docs/performance.md ("Search") says how it was measured.
"""

import argparse
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerpath.settings")

TOPICS = [
    "strategy",
    "data",
    "customer",
    "service",
    "delivery",
    "policy",
    "finance",
    "risk",
    "change",
    "leadership",
    "research",
    "design",
    "testing",
    "security",
    "commercial",
    "contract",
    "budget",
    "planning",
    "analysis",
    "communication",
    "stakeholder",
    "engagement",
    "coaching",
    "sprint",
    "roadmap",
    "evidence",
    "quality",
    "compliance",
    "operations",
    "performance",
    "digital",
    "inclusion",
    "accessibility",
    "user",
    "needs",
    "procurement",
    "governance",
]
VERBS = [
    "plans",
    "leads",
    "manages",
    "reviews",
    "improves",
    "explains",
    "measures",
    "designs",
    "supports",
    "owns",
]
LEVELS = [
    ("Associate", ["HEO"]),
    ("Practitioner", ["SEO"]),
    ("Senior", ["G7"]),
    ("Lead", ["G7", "G6"]),
    ("Head", ["SCS"]),
]


def sentence(rng, words=10):
    picked = [rng.choice(TOPICS if i % 2 else VERBS) for i in range(words)]
    return " ".join(picked).capitalize() + "."


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--professions", type=int, default=10)
    parser.add_argument("--skills", type=int, default=50)
    options = parser.parse_args()

    import django

    django.setup()
    from django.db import transaction

    from roles.models import (
        PROFICIENCY_RANK,
        Expectation,
        LearningResource,
        Profession,
        RoleLevel,
        Skill,
        SkillDescriptor,
    )
    from roles.services import framework_publish

    rng = random.Random(14)  # noqa: S311 - the same data every run
    proficiencies = list(PROFICIENCY_RANK)
    for number in range(1, options.professions + 1):
        slug = f"benchmark-{number}"
        if Profession.objects.filter(slug=slug).exists():
            continue
        with transaction.atomic():
            profession = Profession.objects.create(
                name=f"Benchmark profession {number}", slug=slug, summary=sentence(rng, 16)
            )
            skills = Skill.objects.bulk_create(
                Skill(
                    name=f"{rng.choice(TOPICS).capitalize()} {rng.choice(TOPICS)} {number}-{i}",
                    slug=f"{slug}-skill-{i}",
                    description=sentence(rng, 14),
                    owner=profession,
                )
                for i in range(options.skills)
            )
            SkillDescriptor.objects.bulk_create(
                SkillDescriptor(skill=skill, proficiency=p, description=sentence(rng, 18))
                for skill in skills
                for p in proficiencies
            )
            LearningResource.objects.bulk_create(
                LearningResource(
                    skill=skill,
                    title=f"{rng.choice(VERBS).capitalize()} {rng.choice(TOPICS)} well",
                    url=f"https://learning.example.gov.uk/{skill.slug}-{k}",
                    provider="Civil Service Learning",
                    kind="course",
                )
                for skill in skills
                for k in range(2)
            )
            for rank, (name, grades) in enumerate(LEVELS, start=1):
                level = RoleLevel.objects.create(
                    profession=profession,
                    name=f"{name} benchmark {number}",
                    slug=f"{name.lower()}-{number}",
                    rank=rank,
                    summary=sentence(rng, 12),
                    description=sentence(rng, 30),
                    grades=grades,
                    lock_version=1,
                )
                Expectation.objects.bulk_create(
                    Expectation(
                        role_level=level,
                        skill=skill,
                        proficiency=proficiencies[min(rank, len(proficiencies)) - 1],
                    )
                    for skill in skills
                )
            framework_publish(profession=profession, by=None, change_note="Benchmark data")
        print(f"Published {profession.name}")


if __name__ == "__main__":
    main()
