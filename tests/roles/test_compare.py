"""Comparison logic: levels of one profession, and roles across professions."""

from roles.compare import (
    FALLS,
    NEW,
    NO_LONGER_LISTED,
    RISES,
    UNCHANGED,
    compare_levels,
    compare_roles,
)
from roles.selectors import framework_from_content


def content(name, levels):
    """A snapshot: levels is [(level slug, {skill slug: proficiency})]."""
    skill_slugs = sorted({slug for _, skills in levels for slug in skills})
    return {
        "profession": {"name": name, "slug": name.lower(), "summary": ""},
        "levels": [
            {
                "slug": slug,
                "name": slug.title(),
                "rank": rank,
                "expectations": [
                    {"skill": skill, "proficiency": proficiency}
                    for skill, proficiency in sorted(skills.items())
                ],
            }
            for rank, (slug, skills) in enumerate(levels, start=1)
        ],
        "skills": [
            {"slug": slug, "name": slug.replace("-", " ").title(), "descriptors": {}}
            for slug in skill_slugs
        ],
    }


def framework(name, levels, version_id=1):
    return framework_from_content(version_id, 1, content(name, levels))


def test_every_skill_of_either_level_gets_a_status():
    product = framework(
        "Product",
        [
            (
                "junior",
                {
                    "a-rises": "awareness",
                    "b-same": "working",
                    "c-drops": "working",
                    "e-falls": "expert",
                },
            ),
            (
                "senior",
                {
                    "a-rises": "expert",
                    "b-same": "working",
                    "d-new": "practitioner",
                    "e-falls": "working",
                },
            ),
        ],
    )

    comparison = compare_levels(*product.levels)

    statuses = {change.skill.slug: change.status for change in comparison.changes}
    assert statuses == {
        "a-rises": RISES,
        "b-same": UNCHANGED,
        "c-drops": NO_LONGER_LISTED,
        "d-new": NEW,
        "e-falls": FALLS,
    }
    assert [c.skill.slug for c in comparison.rises] == ["a-rises"]
    assert comparison.rises[0].steps == 3
    assert comparison.falls[0].size == 2
    assert [c.skill.slug for c in comparison.new] == ["d-new"]
    assert [c.skill.slug for c in comparison.no_longer_listed] == ["c-drops"]
    assert [c.skill.slug for c in comparison.unchanged] == ["b-same"]


def test_new_skill_counts_steps_from_nothing():
    product = framework("Product", [("one", {}), ("two", {"skill": "working"})])

    change = compare_levels(*product.levels).changes[0]

    assert change.current is None
    assert change.current_label == ""
    assert change.target_label == "Working"
    assert change.steps == 2


def test_changes_are_in_skill_name_order():
    product = framework(
        "Product", [("one", {"zebra": "working"}), ("two", {"apple": "working", "zebra": "expert"})]
    )

    comparison = compare_levels(*product.levels)

    assert [c.skill.slug for c in comparison.changes] == ["apple", "zebra"]


def test_roles_comparison_sorts_gaps_largest_first():
    ops = framework(
        "Ops",
        [("officer", {"data": "awareness", "people": "working", "only-ops": "expert"})],
        version_id=1,
    )
    product = framework(
        "Product",
        [("manager", {"data": "expert", "people": "practitioner", "only-product": "working"})],
        version_id=2,
    )

    comparison = compare_roles(ops, ops.levels[0], product, product.levels[0])

    assert [(c.skill.slug, c.steps) for c in comparison.gaps] == [("data", 3), ("people", 1)]
    assert [c.skill.slug for c in comparison.shared] == ["data", "people"]
    assert [c.skill.slug for c in comparison.to_learn] == ["only-product"]
    assert [c.skill.slug for c in comparison.transferable] == ["only-ops"]
    assert not comparison.shares_nothing


def test_roles_with_no_shared_skill_share_nothing():
    ops = framework("Ops", [("officer", {"service": "working"})], version_id=1)
    product = framework("Product", [("manager", {"strategy": "working"})], version_id=2)

    comparison = compare_roles(ops, ops.levels[0], product, product.levels[0])

    assert comparison.shares_nothing
    assert comparison.gaps == []
    assert [c.skill.slug for c in comparison.to_learn] == ["strategy"]


def test_shared_skill_at_a_lower_target_proficiency_is_no_gap():
    ops = framework("Ops", [("officer", {"data": "expert"})], version_id=1)
    product = framework("Product", [("manager", {"data": "working"})], version_id=2)

    comparison = compare_roles(ops, ops.levels[0], product, product.levels[0])

    assert comparison.gaps == []
    assert len(comparison.shared) == 1
