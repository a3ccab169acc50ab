"""Published frameworks to search: Product management and Operations, written as people would.

tests/search/test_postgresql_search.py is PostgreSQL's own search and is collected only when the
tests run on PostgreSQL (as CI does); it fails, rather than skips, if it ever runs elsewhere.
"""

import html

import pytest
from django.conf import settings
from django.utils.html import strip_tags

from roles.services import framework_publish
from tests.factories import (
    ExpectationFactory,
    LearningResourceFactory,
    ProfessionFactory,
    QualificationFactory,
    RoleLevelFactory,
    SkillDescriptorFactory,
    SkillFactory,
)

POSTGRESQL_ONLY = {"test_postgresql_search.py"}


def on_postgresql() -> bool:
    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def pytest_ignore_collect(collection_path, config):
    if collection_path.name in POSTGRESQL_ONLY and not on_postgresql():
        return True
    return None


SKILLS = {
    "strategic-ownership": (
        "Strategic ownership",
        "Owns the product strategy and value proposition.",
        {"working": "Breaks a strategy into goals.", "expert": "Sets the vision for a group."},
        [("Writing a product strategy", "Civil Service Learning")],
    ),
    "agile-working": (
        "Agile working",
        "Works in short cycles with the team.",
        {
            "working": "Plans each sprint with the team and reviews it.",
            "practitioner": "Coaches teams on retrospectives.",
        },
        [("Running a good sprint", "Government Digital Service")],
    ),
    "customer-service": (
        "Customer service",
        "Serves customers well, taking their circumstances into account.",
        {"working": "Handles customer complaints calmly."},
        [("Customer service essentials", "Civil Service Learning")],
    ),
    "people-management": (
        "People management",
        "Leads and develops a team.",
        {"working": "Managing a small team day to day."},
        [],
    ),
}

PRODUCT_LEVELS = [
    ("Associate product manager", "Learning the job on a programme.", ["HEO", "SEO"]),
    ("Product manager", "Leads strategy and tactics for one product.", ["SEO"]),
    ("Senior product manager", "Hands-on for two or three products.", ["G7"]),
    ("Lead product manager", "Owns groups of products.", ["G7", "G6"]),
    ("Head of product", "Responsible for the whole profession.", ["SCS"]),
]
OPERATIONS_LEVELS = [
    ("Operations officer", "Serves the public on the front line.", ["AO", "EO"]),
    ("Operations team leader", "Leads a team serving customers.", ["HEO"]),
    ("Operations manager", "Runs a service for customers.", ["G7"]),
]


def _skill(slug):
    name, description, descriptors, resources = SKILLS[slug]
    skill = SkillFactory(slug=slug, name=name, description=description)
    for proficiency, text in descriptors.items():
        SkillDescriptorFactory(skill=skill, proficiency=proficiency, description=text)
    for title, provider in resources:
        LearningResourceFactory(skill=skill, title=title, provider=provider)
    return skill


def _profession(name, slug, summary, levels, skills):
    profession = ProfessionFactory(name=name, slug=slug, summary=summary)
    made = []
    for rank, (level_name, summary_text, grades) in enumerate(levels, start=1):
        level = RoleLevelFactory(
            profession=profession,
            name=level_name,
            slug=level_name.lower().replace(" ", "-"),
            rank=rank,
            summary=summary_text,
            description="",
            grades=grades,
        )
        for skill in skills:
            ExpectationFactory(role_level=level, skill=skill)
        made.append(level)
    return profession, made


@pytest.fixture
def frameworks(db):
    return publish_frameworks()


def publish_frameworks():
    """Product management and Operations, published; they share People management."""
    skills = {slug: _skill(slug) for slug in SKILLS}
    product, _product_levels = _profession(
        "Product management",
        "product-management",
        "Making products people need.",
        PRODUCT_LEVELS,
        [skills["strategic-ownership"], skills["agile-working"], skills["people-management"]],
    )
    operations, operations_levels = _profession(
        "Operations",
        "operations",
        "Serving citizens and businesses.",
        OPERATIONS_LEVELS,
        [skills["customer-service"], skills["people-management"]],
    )
    QualificationFactory(
        role_level=operations_levels[1],
        title="Level 3 Diploma in Team Leading",
        awarding_body="City & Guilds",
    )
    for profession in (product, operations):
        framework_publish(profession=profession, by=None, change_note="First version")
    return {"product": product, "operations": operations, "skills": skills}


def titles(results, kind=None):
    """The plain titles of the hits (their <mark> taken out), optionally of one kind."""
    return [
        html.unescape(strip_tags(hit.title))
        for hit in results.hits
        if kind is None or hit.kind == kind
    ]
