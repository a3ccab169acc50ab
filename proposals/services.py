"""Every write to a proposal: making one, and a head's decision on it. Each in one transaction.

Who decides is the owning profession's heads (roles.permissions); `owning_profession` is the one
place that says which profession owns a level or a skill.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from roles.models import (
    FrameworkVersion,
    Profession,
    Proficiency,
    RoleLevel,
    Skill,
    SkillDescriptor,
)
from roles.permissions import can_edit_profession
from roles.selectors import framework_for_version_id
from roles.services import role_level_save

from . import emails
from .models import (
    DECISION_REASON_MAX_LENGTH,
    PROPOSED_TEXT_MAX_LENGTH,
    WHY_MAX_LENGTH,
    Proposal,
    ProposalKind,
    ProposalStatus,
)

PROPOSED_TEXT_REQUIRED = "Enter the text you propose"
PROPOSED_TEXT_TOO_LONG = (
    f"The text you propose must be {PROPOSED_TEXT_MAX_LENGTH:,} characters or fewer"
)
PROPOSED_TEXT_UNCHANGED = "Change the text: what you propose is the same as the published text"
WHY_REQUIRED = "Enter why it should change"
WHY_TOO_LONG = f"Why it should change must be {WHY_MAX_LENGTH:,} characters or fewer"
NOT_PUBLISHED = "This is not in the published framework you were reading. Go back and try again"
NOT_IN_WORKING_COPY = (
    "This has been removed from the framework since it was published, so you cannot propose a "
    "change to it"
)
NO_OWNER = "No profession owns this skill yet, so nobody can decide on a proposal for it"
SIGN_IN_REQUIRED = "Sign in to propose a change"

DECISION_REQUIRED = "Select whether you accept or decline the proposal"
DECLINE_REASON_REQUIRED = "Enter why you are declining the proposal"
DECLINE_REASON_TOO_LONG = (
    f"Why you are declining must be {DECISION_REASON_MAX_LENGTH:,} characters or fewer"
)
ALREADY_DECIDED = (
    "This proposal has already been {outcome} by someone else. Reload the page to see the decision"
)
NOT_YOUR_PROFESSION = "Only a head of the profession that owns this can decide on the proposal"
TARGET_GONE = (
    "What this proposal changes is no longer in the working copy, so it cannot be accepted. "
    "Decline it and say why"
)


def owning_profession(target: RoleLevel | Skill) -> Profession | None:
    """The profession whose heads decide on a change to this level or skill: a level's own
    profession, a skill's owner."""
    if isinstance(target, RoleLevel):
        return target.profession
    return target.owner


def _clean_text(value: str | None, *, required: str, too_long: str, limit: int) -> str:
    text = (value or "").strip().replace("\r\n", "\n")
    if not text:
        raise ValidationError(required)
    if len(text) > limit:
        raise ValidationError(too_long)
    return text


def _checked_texts(proposed_text: str | None, why: str | None) -> tuple[str, str]:
    """Both texts trimmed and checked; every problem at once, by field."""
    errors = {}
    texts = {}
    for field, value, required, too_long, limit in (
        (
            "proposed_text",
            proposed_text,
            PROPOSED_TEXT_REQUIRED,
            PROPOSED_TEXT_TOO_LONG,
            PROPOSED_TEXT_MAX_LENGTH,
        ),
        ("why", why, WHY_REQUIRED, WHY_TOO_LONG, WHY_MAX_LENGTH),
    ):
        try:
            texts[field] = _clean_text(value, required=required, too_long=too_long, limit=limit)
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)
    return texts["proposed_text"], texts["why"]


def _version(version_id: int | None) -> FrameworkVersion:
    version = (
        FrameworkVersion.objects.select_related("profession").filter(pk=version_id).first()
        if isinstance(version_id, int)
        else None
    )
    if version is None:
        raise ValidationError(NOT_PUBLISHED)
    return version


def _proposer(by: User | None) -> User:
    if by is None or not by.is_authenticated or not by.is_active:
        raise PermissionDenied(SIGN_IN_REQUIRED)
    return by


def proposal_create_for_level(
    *,
    by: User,
    version_id: int,
    level_slug: str,
    proposed_text: str,
    why: str,
) -> Proposal:
    """Propose new text for a level's description, as read in published version `version_id`."""
    by = _proposer(by)
    proposed_text, why = _checked_texts(proposed_text, why)
    version = _version(version_id)
    published = framework_for_version_id(version.pk).find_level(level_slug)
    if published is None:
        raise ValidationError(NOT_PUBLISHED)
    level = (
        RoleLevel.objects.select_related("profession")
        .filter(profession_id=version.profession_id, slug=level_slug)
        .first()
    )
    if level is None:
        raise ValidationError(NOT_IN_WORKING_COPY)
    return _save_new(
        Proposal(
            kind=ProposalKind.LEVEL_DESCRIPTION,
            profession=owning_profession(level),
            version=version,
            role_level=level,
            target_name=f"{published.name} ({version.profession.name})",
            current_text=published.description,
            proposed_text=proposed_text,
            why=why,
            proposed_by=by,
        )
    )


def proposal_create_for_descriptor(
    *,
    by: User,
    version_id: int,
    skill_slug: str,
    proficiency: str,
    proposed_text: str,
    why: str,
) -> Proposal:
    """Propose new text for what a skill looks like at a proficiency, as read in published
    version `version_id`."""
    by = _proposer(by)
    proposed_text, why = _checked_texts(proposed_text, why)
    version = _version(version_id)
    published = framework_for_version_id(version.pk).skills.get(skill_slug)
    if (
        published is None
        or proficiency not in Proficiency.values
        or not published.descriptors.get(proficiency)
    ):
        raise ValidationError(NOT_PUBLISHED)
    skill = Skill.objects.filter(slug=skill_slug).first()
    if skill is None:
        raise ValidationError(NOT_IN_WORKING_COPY)
    profession = owning_profession(skill)
    if profession is None:
        raise ValidationError(NO_OWNER)
    return _save_new(
        Proposal(
            kind=ProposalKind.SKILL_DESCRIPTOR,
            profession=profession,
            version=version,
            skill=skill,
            proficiency=proficiency,
            target_name=f"{published.name} at {Proficiency(proficiency).label}",
            current_text=published.descriptors[proficiency],
            proposed_text=proposed_text,
            why=why,
            proposed_by=by,
        )
    )


def _save_new(proposal: Proposal) -> Proposal:
    if proposal.proposed_text == proposal.current_text.strip().replace("\r\n", "\n"):
        raise ValidationError({"proposed_text": [PROPOSED_TEXT_UNCHANGED]})
    proposal.created_at = timezone.now()
    with transaction.atomic():
        proposal.full_clean()
        proposal.save()
    return proposal


def credit(proposal: Proposal) -> str:
    """How the change log names an accepted proposal and who made it."""
    name = proposal.proposed_by.get_full_name() or "a member of staff"
    if proposal.kind == ProposalKind.LEVEL_DESCRIPTION:
        what = f"the description of {proposal.target_name}"
    else:
        what = f"what {proposal.target_name} looks like"
    return f"Proposed by {name}: {what}."


def _locked_for_decision(proposal: Proposal, by: User) -> Proposal:
    """The proposal, locked for this transaction, once `by` may decide on it and it is still
    waiting for a decision."""
    locked = (
        Proposal.objects.select_for_update()
        .select_related("proposed_by", "profession")
        .get(pk=proposal.pk)
    )
    if by is None or not can_edit_profession(by, locked.profession):
        raise PermissionDenied(NOT_YOUR_PROFESSION)
    if locked.status != ProposalStatus.PENDING:
        raise ValidationError(ALREADY_DECIDED.format(outcome=locked.get_status_display().lower()))
    return locked


def _apply(proposal: Proposal, by: User) -> None:
    """Write the proposed text into the working copy, recorded in history under `by`, with the
    proposer credited as the change's reason."""
    reason = credit(proposal)
    if proposal.kind == ProposalKind.LEVEL_DESCRIPTION:
        level = RoleLevel.objects.filter(pk=proposal.role_level_id).first()
        if level is None:
            raise ValidationError(TARGET_GONE)
        level.description = proposal.proposed_text
        level._change_reason = reason
        role_level_save(role_level=level, loaded_version=level.lock_version, by=by)
        return
    if proposal.skill_id is None or not Skill.objects.filter(pk=proposal.skill_id).exists():
        raise ValidationError(TARGET_GONE)
    descriptor = SkillDescriptor.objects.filter(
        skill_id=proposal.skill_id, proficiency=proposal.proficiency
    ).first() or SkillDescriptor(skill_id=proposal.skill_id, proficiency=proposal.proficiency)
    descriptor.description = proposal.proposed_text
    descriptor._history_user = by
    descriptor._change_reason = reason
    descriptor.full_clean()
    descriptor.save()


def proposal_accept(*, proposal: Proposal, by: User, base_url: str = "") -> Proposal:
    """Accept a proposal: its text goes into the working copy (published with the next version,
    whose change note credits the proposer), and the proposer is emailed once this commits."""
    with transaction.atomic():
        proposal = _locked_for_decision(proposal, by)
        # Publishing locks the profession too: an acceptance is either in a version, whose
        # change note credits it, or waits for the next one.
        Profession.objects.select_for_update().filter(pk=proposal.profession_id).first()
        _apply(proposal, by)
        proposal.status = ProposalStatus.ACCEPTED
        proposal.decided_by = by
        proposal.decided_at = timezone.now()
        proposal.full_clean()
        proposal.save()
        emails.send_decision_on_commit(proposal, base_url=base_url)
    return proposal


def proposal_decline(
    *, proposal: Proposal, by: User, reason: str | None, base_url: str = ""
) -> Proposal:
    """Decline a proposal with a reason the proposer is emailed once this commits."""
    with transaction.atomic():
        proposal = _locked_for_decision(proposal, by)
        try:
            reason = _clean_text(
                reason,
                required=DECLINE_REASON_REQUIRED,
                too_long=DECLINE_REASON_TOO_LONG,
                limit=DECISION_REASON_MAX_LENGTH,
            )
        except ValidationError as error:
            raise ValidationError({"reason": error.messages}) from error
        proposal.status = ProposalStatus.DECLINED
        proposal.decided_by = by
        proposal.decided_at = timezone.now()
        proposal.decision_reason = reason
        proposal.full_clean()
        proposal.save()
        emails.send_decision_on_commit(proposal, base_url=base_url)
    return proposal
