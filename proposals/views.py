"""Propose a change (from a level's or a skill's public page) and "Your proposals".

Any signed-in person may propose; anonymous visitors are sent to sign in. Every page here is
about the signed-in person, so none is stored by a cache. Heads decide in the admin
(proposals.admin).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from roles import selectors
from roles.models import Proficiency

from . import services
from .forms import ProposalForm, add_service_errors
from .models import Proposal, ProposalKind

SENT = "Your proposal has been sent to the heads of {profession}"


def _propose(request, *, context, current_text, version_id, create):
    """The propose page: the form prefilled with the published text; on a valid post, one
    service call, then "Your proposals"."""
    if request.method == "POST":
        form = ProposalForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                proposal = create(data)
            except ValidationError as error:
                add_service_errors(form, error, fields=form.visible_fields_names)
            else:
                messages.success(request, SENT.format(profession=proposal.profession.name))
                return redirect(reverse("proposals:list") + f"#proposal-{proposal.pk}")
    else:
        form = ProposalForm(initial={"proposed_text": current_text, "version": version_id})
    return render(
        request, "proposals/propose.html", {**context, "form": form, "current_text": current_text}
    )


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def propose_level(request, profession, level):
    framework = selectors.latest_framework_or_404(profession)
    published = framework.level(level)
    return _propose(
        request,
        context={
            "kind": ProposalKind.LEVEL_DESCRIPTION,
            "caption": framework.profession_name,
            "subject": published.name,
            "framework": framework,
            "back_url": reverse("roles:level", args=[framework.profession_slug, published.slug]),
        },
        current_text=published.description,
        version_id=framework.version_id,
        create=lambda data: services.proposal_create_for_level(
            by=request.user,
            version_id=data["version"],
            level_slug=published.slug,
            proposed_text=data["proposed_text"],
            why=data["why"],
        ),
    )


def _newest_publication_of_skill(slug):
    """(Framework, SkillView) from the newest publication listing the skill, as the skill's
    public page shows it; None when no published framework lists it."""
    frameworks = [f for f in selectors.latest_frameworks() if slug in f.skills]
    if not frameworks:
        return None
    newest = max(frameworks, key=lambda f: (f.published_at is not None, f.published_at))
    return newest, newest.skills[slug]


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def propose_descriptor(request, skill, proficiency):
    found = _newest_publication_of_skill(skill)
    if found is None or proficiency not in Proficiency.values:
        raise Http404("No such skill")
    framework, published = found
    current_text = published.descriptors.get(proficiency)
    if not current_text:
        raise Http404("No such descriptor")
    label = Proficiency(proficiency).label
    return _propose(
        request,
        context={
            "kind": ProposalKind.SKILL_DESCRIPTOR,
            "caption": "Skill",
            "subject": f"{published.name} at {label}",
            "proficiency_label": label,
            "skill_name": published.name,
            "framework": framework,
            "back_url": reverse("roles:skill", args=[published.slug]),
        },
        current_text=current_text,
        version_id=framework.version_id,
        create=lambda data: services.proposal_create_for_descriptor(
            by=request.user,
            version_id=data["version"],
            skill_slug=published.slug,
            proficiency=proficiency,
            proposed_text=data["proposed_text"],
            why=data["why"],
        ),
    )


@login_required
@never_cache
@require_safe
def proposal_list(request):
    proposals = (
        Proposal.objects.by(request.user)
        .select_related("profession", "version", "published_in")
        .defer("version__content", "published_in__content")
    )
    return render(request, "proposals/proposal_list.html", {"proposals": proposals})
