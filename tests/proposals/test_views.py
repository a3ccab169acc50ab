"""Propose a change (from a level's or a skill's page) and "Your proposals", for every role."""

import pytest
from django.urls import reverse

from proposals import services
from proposals.models import Proposal
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNED_IN_ROLES = [
    "staff",
    "line_manager",
    "head_of_product",
    "head_of_operations",
    "departmental_head",
    "service_admin",
]
NEW_TEXT = "Breaks a product strategy into measurable goals."


@pytest.fixture
def level_url(product, product_level):
    return reverse("proposals:propose_level", args=[product.slug, product_level.slug])


@pytest.fixture
def descriptor_url(product_skill):
    return reverse("proposals:propose_descriptor", args=[product_skill.slug, "working"])


def post_data(published, **changes):
    return {"proposed_text": NEW_TEXT, "why": "It is vague.", "version": published.pk, **changes}


# --- who may open and use the pages ------------------------------------------------------
@pytest.mark.parametrize("url_fixture", ["level_url", "descriptor_url"])
def test_anonymous_visitors_are_sent_to_sign_in(client, request, url_fixture, product_version):
    url = request.getfixturevalue(url_fixture)

    for response in (client.get(url), client.post(url, post_data(product_version))):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
@pytest.mark.parametrize("url_fixture", ["level_url", "descriptor_url"])
def test_every_signed_in_role_may_propose(client, request, role, url_fixture, product_version):
    user = request.getfixturevalue(role)
    url = request.getfixturevalue(url_fixture)
    client.force_login(user)

    page = client.get(url)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    response = client.post(url, post_data(product_version))

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response.url == f"/your-proposals/#proposal-{proposal.pk}"
    assert proposal.proposed_by == user
    assert proposal.version == product_version


def test_the_form_is_prefilled_with_the_published_text(client, staff, level_url, product_version):
    client.force_login(staff)

    response = client.get(level_url)

    form = response.context["form"]
    assert form["proposed_text"].value() == "A longer description of the job at this level."
    assert form["version"].value() == product_version.pk
    assert "Propose a change to" in response.content.decode()


def test_the_descriptor_form_is_prefilled_with_that_proficiencys_text(
    client, staff, descriptor_url
):
    client.force_login(staff)

    response = client.get(descriptor_url)

    assert response.context["form"]["proposed_text"].value() == "At working you can do things."


@pytest.mark.parametrize(
    "url",
    [
        "/professions/product/levels/no-such-level/propose/",
        "/professions/no-such-profession/levels/level-1/propose/",
        "/skills/no-such-skill/propose/working/",
    ],
)
def test_unknown_targets_answer_404(client, staff, product, url):
    client.force_login(staff)

    assert client.get(url).status_code == 404


def test_an_unknown_proficiency_answers_404(client, staff, product_skill):
    client.force_login(staff)

    response = client.get(f"/skills/{product_skill.slug}/propose/master/")

    assert response.status_code == 404


# --- bad and forged input ----------------------------------------------------------------
def test_empty_fields_get_govuk_errors_and_keep_what_was_typed(
    client, staff, level_url, product_version
):
    client.force_login(staff)

    response = client.post(level_url, post_data(product_version, proposed_text="Kept", why=""))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "govuk-error-summary" in html
    assert services.WHY_REQUIRED in html
    assert "Kept" in html
    assert not Proposal.objects.exists()


def test_unchanged_text_is_refused_beside_the_field(client, staff, level_url, product_version):
    client.force_login(staff)

    response = client.post(
        level_url,
        post_data(product_version, proposed_text="A longer description of the job at this level."),
    )

    assert response.context["form"].errors["proposed_text"] == [services.PROPOSED_TEXT_UNCHANGED]
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("version", ["", "abc", "0", "999999"])
def test_a_forged_version_is_refused(client, staff, level_url, product_version, version):
    client.force_login(staff)

    response = client.post(level_url, post_data(product_version, version=version))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [services.NOT_PUBLISHED]
    assert not Proposal.objects.exists()


def test_another_professions_version_is_refused(client, staff, level_url, operations):
    client.force_login(staff)

    response = client.post(level_url, post_data(operations.versions.get()))

    assert response.context["form"].non_field_errors() == [services.NOT_PUBLISHED]
    assert not Proposal.objects.exists()


def test_a_forged_proposer_or_status_is_ignored(client, staff, level_url, product_version):
    other = UserFactory()
    client.force_login(staff)

    client.post(level_url, post_data(product_version, proposed_by=other.pk, status="accepted"))

    proposal = Proposal.objects.get()
    assert proposal.proposed_by == staff
    assert proposal.status == "pending"


# --- your proposals ----------------------------------------------------------------------
def test_your_proposals_needs_sign_in(client):
    response = client.get(reverse("proposals:list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
def test_your_proposals_lists_only_your_own(client, request, role, product_version, product_level):
    someone_else = UserFactory()
    proposal_for_level = services.proposal_create_for_level(
        by=someone_else,
        version_id=product_version.pk,
        level_slug=product_level.slug,
        proposed_text="Someone else's text.",
        why="Theirs.",
    )
    user = request.getfixturevalue(role)
    client.force_login(user)

    response = client.get(reverse("proposals:list"))

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert list(response.context["proposals"]) == []
    assert proposal_for_level.proposed_text not in response.content.decode()


def test_your_proposals_shows_outcomes(
    client, staff, proposal_for_level, proposal_for_descriptor, head_of_product
):
    services.proposal_decline(
        proposal=proposal_for_level, by=head_of_product, reason="Level two covers this."
    )
    services.proposal_accept(proposal=proposal_for_descriptor, by=head_of_product)
    client.force_login(staff)

    response = client.get(reverse("proposals:list"))

    html = response.content.decode()
    assert list(response.context["proposals"]) == [proposal_for_descriptor, proposal_for_level]
    assert "Level two covers this." in html
    assert "Declined" in html
    assert "Accepted" in html
    assert "It will be public when the framework is next published." in html


@pytest.mark.parametrize("count", [1, 20])
def test_your_proposals_query_count_does_not_grow(
    client, staff, propose_many, count, django_assert_max_num_queries
):
    propose_many(count)
    client.force_login(staff)

    with django_assert_max_num_queries(4):
        response = client.get(reverse("proposals:list"))

    assert len(response.context["proposals"]) == count


@pytest.mark.parametrize("levels", [3, 12])
def test_the_propose_page_query_count_does_not_grow(
    client, staff, levels, django_assert_max_num_queries
):
    from tests.factories import make_framework

    profession, _ = make_framework(levels=levels)
    level = profession.levels.order_by("rank").first()
    client.force_login(staff)
    url = reverse("proposals:propose_level", args=[profession.slug, level.slug])

    # Sign-in, the latest version and its snapshot: the same few queries for any size.
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200


# --- the links on the public pages -------------------------------------------------------
def test_the_level_page_links_to_propose_a_change(client, product, product_level, level_url):
    response = client.get(reverse("roles:level", args=[product.slug, product_level.slug]))

    assert f'href="{level_url}"' in response.content.decode()


def test_the_skill_page_links_to_propose_a_change_at_each_proficiency(client, product_skill):
    response = client.get(reverse("roles:skill", args=[product_skill.slug]))

    html = response.content.decode()
    for proficiency in ("awareness", "working", "practitioner", "expert"):
        url = reverse("proposals:propose_descriptor", args=[product_skill.slug, proficiency])
        assert f'href="{url}"' in html
