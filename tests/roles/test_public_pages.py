"""The public pages of published frameworks: content, 404s, bad input, access, query bounds."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from careerpath import public_cache
from roles import forms, selectors
from roles.models import FrameworkVersion, RoleLevel
from roles.services import framework_publish
from tests.factories import (
    ExpectationFactory,
    LearningResourceFactory,
    PersonFactory,
    ProfessionFactory,
    RoleLevelFactory,
    SkillDescriptorFactory,
    SkillFactory,
    UserFactory,
    make_framework,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    profession, version = make_framework(levels=3, skills=2)
    return profession, version


def assert_errors_shown(response, messages):
    """The page shows each message twice (summary and field) and compares nothing."""
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    for message in messages:
        assert html.count(message) == 2  # in the summary and by the field
    assert response.context["comparison"] is None
    return html


def levels_of(profession):
    return list(RoleLevel.objects.filter(profession=profession).order_by("rank"))


def page(client, name, *args, query=""):
    return client.get(reverse(f"roles:{name}", args=args) + query)


# --- profession list -------------------------------------------------------------------
def test_profession_list_shows_published_professions_only(client, framework):
    profession, _ = framework
    unpublished, _ = make_framework(publish=False)

    response = page(client, "profession_list")

    assert response.status_code == 200
    html = response.content.decode()
    assert profession.name in html
    assert profession.summary in html
    assert reverse("roles:pathway", args=[profession.slug]) in html
    assert unpublished.name not in html


def test_profession_list_says_when_nothing_is_published(client, db):
    response = page(client, "profession_list")

    assert "No profession has published its career framework yet" in response.content.decode()


# --- pathway ---------------------------------------------------------------------------
def test_pathway_lists_levels_in_rank_order_with_links_and_version(client, framework):
    profession, version = framework
    first, second, third = levels_of(profession)

    response = page(client, "pathway", profession.slug)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(first.name) < html.index(second.name) < html.index(third.name)
    assert reverse("roles:level", args=[profession.slug, second.slug]) in html
    assert "HEO, SEO" in html
    assert "12 to 24 months" in html
    assert f"Version 1, published {version.published_at:%-d %B %Y}" in html
    for name in ("compare_levels", "framework_json", "framework_csv", "changelog"):
        assert reverse(f"roles:{name}", args=[profession.slug]) in html


def test_pathway_of_unknown_or_unpublished_profession_is_404(client, db):
    unpublished, _ = make_framework(publish=False)

    assert page(client, "pathway", "no-such-profession").status_code == 404
    assert page(client, "pathway", unpublished.slug).status_code == 404


def test_pathway_never_shows_the_working_copy(client, framework):
    profession, _ = framework
    first = levels_of(profession)[0]
    first.name = "Half-finished rename"
    first.save()

    html = page(client, "pathway", profession.slug).content.decode()

    assert "Half-finished rename" not in html


def test_publishing_shows_the_change_at_once(client, framework):
    profession, _ = framework
    first = levels_of(profession)[0]
    before_pathway = page(client, "pathway", profession.slug).content.decode()
    before_level = page(client, "level", profession.slug, first.slug).content.decode()
    assert "Version 1" in before_pathway
    assert "A rewritten description" not in before_level

    first.summary = "A rewritten summary"
    first.description = "A rewritten description"
    first.save()
    framework_publish(profession=profession, by=None, change_note="Rewrote the first level")

    after_pathway = page(client, "pathway", profession.slug).content.decode()
    after_level = page(client, "level", profession.slug, first.slug).content.decode()
    assert "Version 2" in after_pathway
    assert "A rewritten summary" in after_pathway
    assert "A rewritten description" in after_level


# --- level -----------------------------------------------------------------------------
def test_level_shows_skills_proficiency_descriptor_and_resources(client, db):
    profession = ProfessionFactory()
    level = RoleLevelFactory(profession=profession, rank=1, description="Runs the service.")
    upper = RoleLevelFactory(profession=profession, rank=2)
    skill = SkillFactory(name="Stakeholder management")
    SkillDescriptorFactory(skill=skill, proficiency="practitioner", description="Leads talks.")
    SkillDescriptorFactory(skill=skill, proficiency="expert", description="Shapes policy.")
    ExpectationFactory(role_level=level, skill=skill, proficiency="practitioner")
    ExpectationFactory(role_level=upper, skill=skill, proficiency="expert")
    LearningResourceFactory(skill=skill, title="Any-level course", proficiency="")
    LearningResourceFactory(skill=skill, title="Practitioner course", proficiency="practitioner")
    LearningResourceFactory(skill=skill, title="Expert masterclass", proficiency="expert")
    framework_publish(profession=profession, by=None, change_note="First")

    response = page(client, "level", profession.slug, level.slug)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Runs the service." in html
    assert "Stakeholder management" in html
    assert "Practitioner" in html
    assert "Leads talks." in html
    assert "Shapes policy." not in html
    assert "Any-level course" in html
    assert "Practitioner course" in html
    assert "Expert masterclass" not in html
    compare = reverse("roles:compare_levels", args=[profession.slug])
    assert f"{compare}?from={level.slug}&amp;to={upper.slug}" in html
    assert f"Compare with {upper.name}" in html
    assert reverse("roles:skill", args=[skill.slug]) in html


def test_highest_level_has_no_compare_with_next_link(client, framework):
    profession, _ = framework
    top = levels_of(profession)[-1]

    html = page(client, "level", profession.slug, top.slug).content.decode()

    assert "Compare with " not in html.replace("Compare with a role", "")
    assert "most senior level" in html


def test_unknown_level_is_404(client, framework):
    profession, _ = framework

    assert page(client, "level", profession.slug, "no-such-level").status_code == 404
    assert page(client, "level", "no-such-profession", "level-1").status_code == 404


# --- compare levels --------------------------------------------------------------------
def test_compare_defaults_to_first_level_and_the_next(client, framework):
    profession, _ = framework
    first, second, _third = levels_of(profession)

    response = page(client, "compare_levels", profession.slug)

    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert comparison.current.slug == first.slug
    assert comparison.target.slug == second.slug
    assert f"From {first.name} to {second.name}" in response.content.decode()


def test_compare_from_alone_goes_to_the_next_level(client, framework):
    profession, _ = framework
    _first, second, third = levels_of(profession)

    response = page(client, "compare_levels", profession.slug, query=f"?from={second.slug}")

    assert response.context["comparison"].current.slug == second.slug
    assert response.context["comparison"].target.slug == third.slug


def test_compare_shows_rises_by_steps(client, framework):
    profession, _ = framework
    first, _second, third = levels_of(profession)

    response = page(
        client, "compare_levels", profession.slug, query=f"?from={first.slug}&to={third.slug}"
    )

    html = response.content.decode()
    # make_framework: Awareness at level 1, Practitioner at level 3: two steps up.
    assert "Rises 2 steps" in html
    assert len(response.context["comparison"].rises) == 2


@pytest.mark.parametrize(
    ("query", "messages"),
    [
        ("?from=nope&to=nope", [forms.LEVEL_FROM_UNKNOWN, forms.LEVEL_TO_UNKNOWN]),
        ("?from=level-x", [forms.LEVEL_FROM_UNKNOWN, forms.LEVEL_TO_REQUIRED]),
        ("?to=missing", [forms.LEVEL_FROM_REQUIRED, forms.LEVEL_TO_UNKNOWN]),
    ],
)
def test_compare_with_unknown_levels_shows_a_gov_uk_error(client, framework, query, messages):
    profession, _ = framework

    response = page(client, "compare_levels", profession.slug, query=query)

    html = assert_errors_shown(response, messages)
    assert "<title>Error: " in html


def test_compare_the_same_level_twice_is_an_error(client, framework):
    profession, _ = framework
    first = levels_of(profession)[0]

    response = page(
        client, "compare_levels", profession.slug, query=f"?from={first.slug}&to={first.slug}"
    )

    assert forms.LEVELS_THE_SAME in response.content.decode()


def test_compare_from_the_highest_level_alone_looks_back_one_level(client, framework):
    profession, _ = framework
    _first, second, third = levels_of(profession)

    response = page(client, "compare_levels", profession.slug, query=f"?from={third.slug}")

    assert response.context["comparison"].current.slug == second.slug
    assert response.context["comparison"].target.slug == third.slug


def test_compare_a_one_level_profession_explains_why_not(client, db):
    profession, _ = make_framework(levels=1)

    response = page(client, "compare_levels", profession.slug)

    assert response.status_code == 200
    assert "has only one level" in response.content.decode()


# --- compare roles ---------------------------------------------------------------------
def test_compare_roles_without_a_choice_shows_the_form_grouped_by_profession(client, framework):
    profession, _ = framework

    response = page(client, "compare_roles")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<optgroup label="{profession.name}">' in html
    assert "govuk-error-summary" not in html
    assert response.context["comparison"] is None


def test_compare_roles_shows_gaps_to_learn_and_transferable(client, db):
    shared, only_current, only_target = (
        SkillFactory(name="Shared skill"),
        SkillFactory(name="Only current"),
        SkillFactory(name="Only target"),
    )
    ops = RoleLevelFactory(profession=ProfessionFactory(name="Ops"), rank=1)
    ExpectationFactory(role_level=ops, skill=shared, proficiency="awareness")
    ExpectationFactory(role_level=ops, skill=only_current, proficiency="working")
    product = RoleLevelFactory(profession=ProfessionFactory(name="Product"), rank=1)
    ExpectationFactory(role_level=product, skill=shared, proficiency="expert")
    ExpectationFactory(role_level=product, skill=only_target, proficiency="working")
    for level in (ops, product):
        framework_publish(profession=level.profession, by=None, change_note="First")
    query = f"?from={ops.profession.slug}/{ops.slug}&to={product.profession.slug}/{product.slug}"

    response = page(client, "compare_roles", query=query)

    html = response.content.decode()
    comparison = response.context["comparison"]
    assert [c.skill.name for c in comparison.gaps] == ["Shared skill"]
    assert "3 steps more" in html
    assert [c.skill.name for c in comparison.to_learn] == ["Only target"]
    assert [c.skill.name for c in comparison.transferable] == ["Only current"]


def test_compare_roles_that_share_nothing_says_so(client, db):
    first, _ = make_framework(levels=1, skills=1)
    second, _ = make_framework(levels=1, skills=2)
    first_level, second_level = levels_of(first)[0], levels_of(second)[0]
    query = f"?from={first.slug}/{first_level.slug}&to={second.slug}/{second_level.slug}"

    response = page(client, "compare_roles", query=query)

    html = response.content.decode()
    assert "no skills in common" in html
    assert len(response.context["comparison"].to_learn) == 2


@pytest.mark.parametrize(
    ("query", "messages"),
    [
        ("?from=x/y&to=a/b", [forms.ROLE_FROM_UNKNOWN, forms.ROLE_TO_UNKNOWN]),
        ("?from=&to=", [forms.ROLE_FROM_REQUIRED, forms.ROLE_TO_REQUIRED]),
        ("?from=nothing&to=", [forms.ROLE_FROM_UNKNOWN, forms.ROLE_TO_REQUIRED]),
    ],
)
def test_compare_roles_with_bad_input_shows_errors(client, framework, query, messages):
    response = page(client, "compare_roles", query=query)

    assert_errors_shown(response, messages)


def test_compare_roles_from_a_level_page_chooses_the_current_role_without_errors(client, framework):
    profession, _ = framework
    first = levels_of(profession)[0]
    level_html = page(client, "level", profession.slug, first.slug).content.decode()
    link = reverse("roles:compare_roles") + f"?from={profession.slug}/{first.slug}"
    assert link in level_html

    response = client.get(link)

    html = response.content.decode()
    assert "govuk-error-summary" not in html
    assert f'<option value="{profession.slug}/{first.slug}" selected>' in html
    assert response.context["comparison"] is None


def test_compare_a_role_with_itself_is_an_error(client, framework):
    profession, _ = framework
    first = levels_of(profession)[0]
    value = f"{profession.slug}/{first.slug}"

    response = page(client, "compare_roles", query=f"?from={value}&to={value}")

    assert forms.ROLES_THE_SAME in response.content.decode()
    assert response.context["comparison"] is None


# --- skills ----------------------------------------------------------------------------
def test_skill_page_shows_growth_in_every_profession_descriptors_and_resources(client, db):
    skill = SkillFactory(name="Customer service")
    SkillDescriptorFactory(skill=skill, proficiency="awareness", description="Knows the basics.")
    LearningResourceFactory(skill=skill, title="Serving customers", kind="qualification")
    for name in ("Operations", "Tax"):
        profession = ProfessionFactory(name=name)
        for rank, proficiency in enumerate(["awareness", "working"], start=1):
            level = RoleLevelFactory(profession=profession, rank=rank, name=f"{name} {rank}")
            ExpectationFactory(role_level=level, skill=skill, proficiency=proficiency)
        framework_publish(profession=profession, by=None, change_note="First")

    response = page(client, "skill", skill.slug)

    html = response.content.decode()
    assert response.status_code == 200
    assert [entry["framework"].profession_name for entry in response.context["growth"]] == [
        "Operations",
        "Tax",
    ]
    assert "Operations 2" in html
    assert "Tax 1" in html
    assert "Knows the basics." in html
    assert "Serving customers" in html
    assert "Accredited qualification" in html


def test_unknown_or_unpublished_skill_is_404(client, framework):
    unpublished_skill = SkillFactory()

    assert page(client, "skill", "no-such-skill").status_code == 404
    assert page(client, "skill", unpublished_skill.slug).status_code == 404


def test_skill_list_names_each_skill_once_with_its_professions(client, db):
    skill = SkillFactory(name="Shared by two")
    for name in ("Alpha", "Beta"):
        level = RoleLevelFactory(profession=ProfessionFactory(name=name), rank=1)
        ExpectationFactory(role_level=level, skill=skill)
        framework_publish(profession=level.profession, by=None, change_note="First")

    html = page(client, "skill_list").content.decode()

    assert html.count("Shared by two") == 1
    assert "Alpha, Beta" in html


# --- access: the same public page for everyone -----------------------------------------
@pytest.fixture
def people(framework):
    profession, _ = framework
    further_up = PersonFactory()
    manager = PersonFactory(line_manager=further_up)
    report = PersonFactory(line_manager=manager)
    head = UserFactory()
    profession.heads.add(head)
    return {
        "staff": report.user,
        "line manager": manager.user,
        "manager further up": further_up.user,
        "other staff": PersonFactory().user,
        "head of profession": head,
        "admin": UserFactory(is_staff=True, is_superuser=True),
    }


@pytest.mark.parametrize(
    "who",
    ["staff", "line manager", "manager further up", "other staff", "head of profession", "admin"],
)
def test_every_role_sees_the_same_public_pages_as_anonymous(client, framework, people, who):
    profession, _ = framework
    first, second, _ = levels_of(profession)
    skill_slug = first.expectations.first().skill.slug
    urls = [
        reverse("roles:profession_list"),
        reverse("roles:pathway", args=[profession.slug]),
        reverse("roles:level", args=[profession.slug, first.slug]),
        reverse("roles:compare_levels", args=[profession.slug]),
        reverse("roles:compare_roles")
        + f"?from={profession.slug}/{first.slug}&to={profession.slug}/{second.slug}",
        reverse("roles:skill_list"),
        reverse("roles:skill", args=[skill_slug]),
        reverse("search:search") + "?q=level",
    ]
    anonymous = [client.get(url) for url in urls]
    client.force_login(people[who])

    signed_in = [client.get(url) for url in urls]

    for before, after in zip(anonymous, signed_in, strict=True):
        assert before.status_code == after.status_code == 200
        main = after.content.decode().split('id="main-content"')[1]
        # Heads of the profession (and administrators) also get a link to its capability
        # report on the pathway (tests/insights); nothing else differs.
        main = re.sub(r'<div class="[^"]*app-capability-link.*?</div>', "", main, flags=re.S)
        assert main == before.content.decode().split('id="main-content"')[1]


# --- queries do not grow with the data --------------------------------------------------
def _urls(profession, levels):
    first, second = levels[0], levels[1]
    skill_slug = first.expectations.first().skill.slug
    return [
        reverse("roles:profession_list"),
        reverse("roles:pathway", args=[profession.slug]),
        reverse("roles:level", args=[profession.slug, first.slug]),
        reverse("roles:compare_levels", args=[profession.slug]),
        reverse("roles:compare_roles")
        + f"?from={profession.slug}/{first.slug}&to={profession.slug}/{second.slug}",
        reverse("roles:skill_list"),
        reverse("roles:skill", args=[skill_slug]),
    ]


@pytest.mark.parametrize("size", ["small", "large"])
def test_queries_are_bounded_whatever_the_size(
    client, django_assert_max_num_queries, django_assert_num_queries, size
):
    if size == "small":
        frameworks = [make_framework(levels=2, skills=2)]
    else:
        frameworks = [make_framework(levels=10, skills=40) for _ in range(4)]
    profession = frameworks[0][0]
    urls = _urls(profession, levels_of(profession))

    # Rendered (whole public pages dropped each time: careerpath/public_cache.py).
    # Cold (snapshots not yet read): one query for the versions, one for their content.
    for url in urls:
        selectors._FRAMEWORKS.clear()
        public_cache.published()
        with django_assert_max_num_queries(2):
            assert client.get(url).status_code == 200
    # Warm: only the query that names the latest version(s).
    for url in urls:
        public_cache.published()
        with django_assert_num_queries(1):
            assert client.get(url).status_code == 200
    # Kept whole for anonymous visitors: no query at all.
    for url in urls:
        client.get(url)
        with django_assert_num_queries(0):
            assert client.get(url)["X-Public-Cache"] == "hit"


def test_a_cached_framework_is_not_reused_for_a_different_publication(framework):
    # SQLite can hand a rolled-back version's id to a new one: the cache must notice.
    profession, version = framework
    assert selectors.latest_framework_or_404(profession.slug).profession_name == profession.name
    content = {**version.content, "profession": {**version.content["profession"], "name": "New"}}
    FrameworkVersion.objects.filter(pk=version.pk).update(
        content=content, published_at=version.published_at + timedelta(seconds=1)
    )

    assert selectors.latest_framework_or_404(profession.slug).profession_name == "New"


def test_saving_a_version_forgets_what_was_cached_under_its_id(framework):
    _profession, version = framework
    selectors.framework_for_version_id(version.pk)
    assert version.pk in selectors._FRAMEWORKS

    version.change_note = "Saved again"
    version.save()

    assert version.pk not in selectors._FRAMEWORKS


def test_the_hand_written_latest_version_query_names_the_models_tables():
    from roles.models import FrameworkVersion, Profession
    from roles.selectors import LATEST_VERSION_SQL

    assert f'FROM "{FrameworkVersion._meta.db_table}" v' in LATEST_VERSION_SQL
    assert f'JOIN "{Profession._meta.db_table}" p' in LATEST_VERSION_SQL
