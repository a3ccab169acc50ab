"""Proposed changes to a framework: staff suggest new text for a level's description or for what
a skill looks like at a proficiency; a head of the owning profession accepts or declines.

A proposal is made against the published version the person read (`version`, with the text as
published there in `current_text`); accepting it writes `proposed_text` into the working copy
(proposals.services), and the next publication credits the proposer (proposals.signals).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from roles.models import Proficiency

PROPOSED_TEXT_MAX_LENGTH = 5000
WHY_MAX_LENGTH = 2000
DECISION_REASON_MAX_LENGTH = 2000


class ProposalKind(models.TextChoices):
    LEVEL_DESCRIPTION = "level_description", "Level description"
    SKILL_DESCRIPTOR = "skill_descriptor", "Skill at a proficiency"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class ProposalQuerySet(models.QuerySet):
    def for_professions(self, ids: set[int] | None) -> "ProposalQuerySet":
        """Proposals decided by these professions (None: every profession)."""
        return self if ids is None else self.filter(profession__in=ids)

    def by(self, user) -> "ProposalQuerySet":
        """A person's own proposals, newest first."""
        return self.filter(proposed_by=user).order_by("-created_at", "-pk")

    def accepted_unpublished(self, profession_id: int) -> "ProposalQuerySet":
        """Accepted into the working copy but not yet in a published version."""
        return self.filter(
            profession_id=profession_id,
            status=ProposalStatus.ACCEPTED,
            published_in__isnull=True,
        ).order_by("decided_at", "pk")


class Proposal(models.Model):
    kind = models.CharField(max_length=20, choices=ProposalKind.choices)
    # The profession whose heads decide: the level's, or the skill's owner
    # (proposals.services.owning_profession), fixed when the proposal is made.
    profession = models.ForeignKey(
        "roles.Profession", on_delete=models.PROTECT, related_name="proposals"
    )
    # The published version the person read when they proposed.
    version = models.ForeignKey(
        "roles.FrameworkVersion", on_delete=models.PROTECT, related_name="+"
    )
    # The working-copy object an acceptance changes. Kept as null if it is deleted later, so
    # the proposal and its outcome stay on record (`target_name` still says what it was).
    role_level = models.ForeignKey(
        "roles.RoleLevel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    skill = models.ForeignKey(
        "roles.Skill", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proficiency = models.CharField(max_length=20, choices=Proficiency.choices, blank=True)
    target_name = models.CharField(max_length=300)
    current_text = models.TextField(blank=True)
    proposed_text = models.TextField(max_length=PROPOSED_TEXT_MAX_LENGTH)
    why = models.TextField(max_length=WHY_MAX_LENGTH)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposals"
    )
    created_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(max_length=DECISION_REASON_MAX_LENGTH, blank=True)
    # The version that first published an accepted change (set when it is published).
    published_in = models.ForeignKey(
        "roles.FrameworkVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["profession", "status"], name="proposal_profession_status"),
            models.Index(fields=["proposed_by", "-created_at"], name="proposal_by_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ProposalKind.values), name="proposal_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=ProposalKind.LEVEL_DESCRIPTION, proficiency="")
                    | Q(kind=ProposalKind.SKILL_DESCRIPTOR, proficiency__in=Proficiency.values)
                ),
                name="proposal_proficiency_fits_kind",
            ),
            models.CheckConstraint(
                condition=~Q(proposed_text="") & ~Q(why="") & ~Q(target_name=""),
                name="proposal_text_and_why_given",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("proposed_text"), PROPOSED_TEXT_MAX_LENGTH),
                name="proposal_text_length",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("why"), WHY_MAX_LENGTH),
                name="proposal_why_length",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("decision_reason"), DECISION_REASON_MAX_LENGTH),
                name="proposal_decision_reason_length",
            ),
            models.CheckConstraint(
                condition=~Q(proposed_text=F("current_text")), name="proposal_changes_the_text"
            ),
            # Pending: nobody has decided. Decided: who and when are recorded.
            models.CheckConstraint(
                condition=(
                    Q(
                        status=ProposalStatus.PENDING,
                        decided_by__isnull=True,
                        decided_at__isnull=True,
                        decision_reason="",
                    )
                    | (
                        Q(status__in=[ProposalStatus.ACCEPTED, ProposalStatus.DECLINED])
                        & Q(decided_by__isnull=False, decided_at__isnull=False)
                    )
                ),
                name="proposal_decision_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.DECLINED) | ~Q(decision_reason=""),
                name="proposal_declined_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(published_in__isnull=True) | Q(status=ProposalStatus.ACCEPTED),
                name="proposal_published_only_if_accepted",
            ),
        ]

    def __str__(self):
        return f"{self.target_name}: {self.get_status_display().lower()}"
