"""Credit proposers when their accepted changes are published.

Publishing (roles.services.framework_publish, whatever page or command calls it) saves a new
FrameworkVersion in a transaction that locks its profession; proposal_accept locks the
profession too. So when a new version is saved, the profession's accepted proposals that no
version has published yet are exactly those in its snapshot: their credits are added to its
change note (shown in the change log) and they are marked as published in it.
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from roles.models import FrameworkVersion

from .models import Proposal
from .services import credit

CREDITS_HEADING = "Proposed changes included in this version:"


@receiver(pre_save, sender=FrameworkVersion, dispatch_uid="proposals_credit_in_change_note")
def _credit_in_change_note(sender, instance: FrameworkVersion, raw=False, **kwargs):
    if raw or not instance._state.adding:
        return
    proposals = list(
        Proposal.objects.accepted_unpublished(instance.profession_id).select_related("proposed_by")
    )
    instance._credited_proposal_ids = [proposal.pk for proposal in proposals]
    if proposals:
        credits = "\n".join(credit(proposal) for proposal in proposals)
        instance.change_note = f"{instance.change_note}\n\n{CREDITS_HEADING}\n{credits}"


@receiver(post_save, sender=FrameworkVersion, dispatch_uid="proposals_mark_published")
def _mark_published(sender, instance: FrameworkVersion, created=False, raw=False, **kwargs):
    ids = getattr(instance, "_credited_proposal_ids", None)
    if raw or not created or not ids:
        return
    Proposal.objects.filter(pk__in=ids, published_in__isnull=True).update(published_in=instance)
