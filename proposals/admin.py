"""Proposals in the admin for heads of profession: a head sees and decides only the proposals of
the professions they head (a service administrator every proposal). The change page of a
proposal is its decision page: accept (the text goes into the working copy) or decline with a
reason, through proposals.services. Nobody adds or deletes proposals here.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Value, When
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from accounts.security_log import ACCESS_DENIED, security_event
from roles.admin import headed_ids
from roles.models import RoleLevel, SkillDescriptor

from . import services
from .emails import base_url_of
from .forms import ACCEPT, DecisionForm, add_service_errors
from .models import Proposal, ProposalKind, ProposalStatus

ACCEPTED = (
    "Accepted: the proposed text is now in the {profession} working copy. Publish to make it public"
)
DECLINED = "Declined. {name} will be emailed your reason"


def working_text(proposal: Proposal) -> str | None:
    """What the working copy says now where the proposal would write (None: it is gone)."""
    if proposal.kind == ProposalKind.LEVEL_DESCRIPTION:
        return (
            RoleLevel.objects.filter(pk=proposal.role_level_id)
            .values_list("description", flat=True)
            .first()
        )
    if proposal.skill_id is None:
        return None
    return (
        SkillDescriptor.objects.filter(skill_id=proposal.skill_id, proficiency=proposal.proficiency)
        .values_list("description", flat=True)
        .first()
    ) or ""


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["target_name", "kind", "profession", "proposer", "created_at", "status"]
    # No list_filter: Django's filter sidebar has links smaller than WCAG 2.2's 24px targets.
    # Proposals waiting for a decision come first instead.
    list_select_related = ["profession", "proposed_by"]
    ordering = [
        Case(When(status=ProposalStatus.PENDING, then=Value(0)), default=Value(1)).asc(),
        "-created_at",
        "-pk",
    ]
    change_form_template = "admin/proposals/proposal/decide.html"

    @admin.display(description="Proposed by", ordering="proposed_by__last_name")
    def proposer(self, obj):
        return obj.proposed_by.get_full_name() or obj.proposed_by.email

    def get_queryset(self, request):
        return super().get_queryset(request).for_professions(headed_ids(request))

    def may_decide(self, request, obj=None) -> bool:
        """Staff who head a profession (the obj's, when given), or a service administrator."""
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        ids = headed_ids(request)
        if ids is None:
            return True
        return bool(ids) if obj is None else obj.profession_id in ids

    def has_module_permission(self, request):
        return self.may_decide(request)

    def has_view_permission(self, request, obj=None):
        return self.may_decide(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.may_decide(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def proposal_or_404(self, request, object_id) -> Proposal:
        try:
            proposal = (
                self.get_queryset(request)
                .select_related(
                    "proposed_by", "decided_by", "profession", "version", "published_in"
                )
                .defer("version__content", "published_in__content")
                .filter(pk=unquote(object_id))
                .first()
            )
        except (ValueError, TypeError, ValidationError):
            proposal = None
        if proposal is None:
            security_event(ACCESS_DENIED, request=request, reason="proposal_not_in_scope")
            raise Http404("No such proposal")
        return proposal

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_module_permission(request):
            raise PermissionDenied
        proposal = self.proposal_or_404(request, object_id)
        form = DecisionForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                if form.cleaned_data["decision"] == ACCEPT:
                    services.proposal_accept(
                        proposal=proposal, by=request.user, base_url=base_url_of(request)
                    )
                    message = ACCEPTED.format(profession=proposal.profession.name)
                else:
                    services.proposal_decline(
                        proposal=proposal,
                        by=request.user,
                        reason=form.cleaned_data["reason"],
                        base_url=base_url_of(request),
                    )
                    message = DECLINED.format(name=self.proposer(proposal))
            except PermissionDenied:
                security_event(ACCESS_DENIED, request=request, object_id=proposal.pk)
                raise Http404("No such proposal") from None
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, message)
                return HttpResponseRedirect(reverse("admin:proposals_proposal_changelist"))
            proposal = self.proposal_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Proposed change to {proposal.target_name}",
            "subtitle": None,
            "opts": self.model._meta,
            "original": proposal,
            "proposal": proposal,
            "pending": proposal.status == ProposalStatus.PENDING,
            "working_text": working_text(proposal),
            "form": form,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.change_form_template, context)
