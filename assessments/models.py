"""Self-assessments against a published level, their ratings and their timeline.

Every status change goes through assessments.lifecycle. Personal data: see the access matrix in
docs/architecture.md.
"""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from careerpath.templatetags.govuk_dates import govuk_datetime
from people.models import Department, Person
from roles.models import FrameworkVersion, Grade, Profession, Proficiency, RoleLevel, Skill

EVIDENCE_MAX_LENGTH = 3000
COMMENT_MAX_LENGTH = 2000


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    RETURNED = "returned", "Returned"
    SIGNED_OFF = "signed_off", "Signed off"


OPEN_STATUSES = [
    AssessmentStatus.DRAFT,
    AssessmentStatus.SUBMITTED,
    AssessmentStatus.IN_REVIEW,
    AssessmentStatus.RETURNED,
]
# What a line manager, or a manager further up, may see of a report's assessments (the rule is
# assessments/permissions.py's; an index below serves the lists of them, newest first).
VISIBLE_TO_MANAGERS = [
    AssessmentStatus.SUBMITTED,
    AssessmentStatus.IN_REVIEW,
    AssessmentStatus.SIGNED_OFF,
]


class SelfAssessmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def awaiting_review_by(self, manager):
        return self.filter(
            person__line_manager=manager,
            status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW],
        )


class SelfAssessment(models.Model):
    """A person's assessment of themselves against one level, pinned to a published version."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assessments")
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="assessments"
    )
    role_level = models.ForeignKey(RoleLevel, on_delete=models.PROTECT, related_name="+")
    # The level as it was published in framework_version, stored when the assessment starts:
    # the pinned snapshot is read by this slug, and names can change later.
    level_slug = models.SlugField(max_length=120)
    level_name = models.CharField(max_length=120)
    status = models.CharField(
        max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    review_started_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    manager_summary = models.TextField(max_length=COMMENT_MAX_LENGTH, blank=True)
    return_reason = models.TextField(max_length=COMMENT_MAX_LENGTH, blank=True)
    # Optimistic locking: every save adds one; a save from a stale page is refused.
    lock_version = models.PositiveIntegerField(default=1)

    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role_level"],
                condition=Q(status__in=OPEN_STATUSES),
                name="one_open_assessment_per_level",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AssessmentStatus.values), name="assessment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=AssessmentStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="assessment_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=AssessmentStatus.SIGNED_OFF)
                | Q(signed_off_at__isnull=False, reviewer__isnull=False),
                name="assessment_signed_off_has_reviewer",
            ),
            models.CheckConstraint(
                condition=~Q(status=AssessmentStatus.RETURNED) | ~Q(return_reason=""),
                name="assessment_returned_has_reason",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("manager_summary"), COMMENT_MAX_LENGTH),
                name="assessment_summary_not_too_long",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("return_reason"), COMMENT_MAX_LENGTH),
                name="assessment_reason_not_too_long",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "status"]),
            # "Further down your line", newest first: for a large line the planner walks this
            # and stops at the first rows of the line (assessments/review_views.py).
            models.Index(
                F("submitted_at").desc(),
                F("id").desc(),
                name="visible_newest_first",
                condition=Q(status__in=VISIBLE_TO_MANAGERS),
            ),
        ]

    def __str__(self):
        return f"{self.person.name}: {self.level_name} ({self.get_status_display()})"


class Rating(models.Model):
    """One skill of an assessment: expected, self and agreed proficiency, evidence, comment."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    skill_name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField()
    expected_proficiency = models.CharField(max_length=20, choices=Proficiency.choices)
    self_proficiency = models.CharField(max_length=20, choices=Proficiency.choices, blank=True)
    evidence = models.TextField(max_length=EVIDENCE_MAX_LENGTH, blank=True)
    manager_proficiency = models.CharField(max_length=20, choices=Proficiency.choices, blank=True)
    manager_comment = models.TextField(max_length=COMMENT_MAX_LENGTH, blank=True)
    # Copied from the author's last signed-off assessment: shown to be checked, and confirmed
    # (cleared) when the author saves the skill.
    copied = models.BooleanField(default=False)

    class Meta:
        ordering = ["assessment", "position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "skill"], name="rating_once_per_skill"),
            models.CheckConstraint(
                condition=Q(expected_proficiency__in=Proficiency.values),
                name="rating_expected_valid",
            ),
            models.CheckConstraint(
                condition=Q(self_proficiency="") | Q(self_proficiency__in=Proficiency.values),
                name="rating_self_valid",
            ),
            models.CheckConstraint(
                condition=Q(manager_proficiency="") | Q(manager_proficiency__in=Proficiency.values),
                name="rating_manager_valid",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("evidence"), EVIDENCE_MAX_LENGTH),
                name="rating_evidence_not_too_long",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("manager_comment"), COMMENT_MAX_LENGTH),
                name="rating_comment_not_too_long",
            ),
        ]

    def __str__(self):
        return f"{self.skill_name} in {self.assessment_id}"


class ReviewReminder(models.Model):
    """A reminder sent about an assessment waiting too long for its review (send_reminders).

    One row per waiting period (an assessment is waiting from `submitted_at`; a resubmission
    starts a new period) per week of being overdue: week 0 starts the day the review became
    overdue, week 1 seven days later, and so on. The unique constraint is what keeps to "at most
    one reminder per review per week", however often and however many times at once the
    command runs. Who was told is kept for the record.
    """

    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="reminders"
    )
    submitted_at = models.DateTimeField()
    week = models.PositiveIntegerField()
    sent_at = models.DateTimeField()
    working_days = models.PositiveIntegerField()
    manager = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    manager_above = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "submitted_at", "week"],
                name="review_reminder_once_a_week",
            ),
        ]

    def __str__(self):
        return f"Reminder {self.week} for {self.assessment_id} at {self.sent_at:%Y-%m-%d}"


class EventKind(models.TextChoices):
    STARTED = "started", "Started"
    SUBMITTED = "submitted", "Submitted to line manager"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REVIEW_STARTED = "review_started", "Review started"
    RETURNED = "returned", "Returned"
    RESUBMITTED = "resubmitted", "Resubmitted"
    SIGNED_OFF = "signed_off", "Signed off"


class AssessmentEvent(models.Model):
    """What happened to an assessment and when: the timeline on 'Your assessments'."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, {govuk_datetime(self.at)}"


class OutcomeCount(models.Model):
    """Signed-off ratings counted by where the agreed proficiency falls against the level's
    expectation, per profession, department, level, grade, quarter of sign-off and skill.

    Kept up to date in the same transaction as each sign-off (assessments.outcomes), rebuilt
    from the ratings after a bulk load, and read by insights, so a capability report over a
    million ratings sums a few thousand rows. Nothing here names or points at a person.
    """

    profession = models.ForeignKey(Profession, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    role_level = models.ForeignKey(RoleLevel, on_delete=models.CASCADE, related_name="+")
    grade = models.CharField(max_length=3, choices=Grade.choices)
    quarter = models.DateField(help_text="The first day of the quarter of sign-off")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    below = models.PositiveIntegerField(default=0)
    meeting = models.PositiveIntegerField(default=0)
    above = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["profession", "department", "role_level", "grade", "quarter", "skill"],
                name="outcome_count_once_per_cell",
            ),
            models.CheckConstraint(condition=Q(grade__in=Grade.values), name="outcome_grade_valid"),
        ]

    def __str__(self):
        return f"{self.skill_id} in {self.quarter}: {self.below}/{self.meeting}/{self.above}"


# --- development plans -----------------------------------------------------------------------
# A person's actions to develop skills (usually the gaps an assessment found). The person edits
# them, their line manager reads and comments, managers further up read: assessments.plans
# holds the writes and assessments.plan_permissions the access rules.
PLAN_TITLE_MAX_LENGTH = 200
PLAN_DETAILS_MAX_LENGTH = 2000
PLAN_COMMENT_MAX_LENGTH = 2000
PLAN_RESOURCE_TITLE_MAX_LENGTH = 200
PLAN_RESOURCE_URL_MAX_LENGTH = 500


class PlanStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class PlanActionQuerySet(models.QuerySet):
    def overdue(self, today):
        """Actions not done whose target date is before `today`."""
        return self.filter(target_date__lt=today).exclude(status=PlanStatus.DONE)

    def in_plan_order(self, today):
        """Each action marked `is_overdue` (as of `today`), overdue ones first, then those still
        to do by target date, then those done, most recently finished first."""
        overdue = models.Case(
            models.When(
                Q(target_date__lt=today) & ~Q(status=PlanStatus.DONE), then=models.Value(True)
            ),
            default=models.Value(False),
            output_field=models.BooleanField(),
        )
        done = models.Case(
            models.When(status=PlanStatus.DONE, then=models.Value(True)),
            default=models.Value(False),
            output_field=models.BooleanField(),
        )
        return self.annotate(is_overdue=overdue, is_done=done).order_by(
            "-is_overdue",
            "is_done",
            "target_date",
            models.F("completed_at").desc(nulls_last=True),
            "pk",
        )


class PlanAction(models.Model):
    """One action of a person's development plan, for one skill, with a target date.

    The skill's name and the learning resource or qualification chosen are copied from the
    published framework as text, so the action reads the same however the framework changes.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="plan_actions")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    skill_name = models.CharField(max_length=120)
    title = models.CharField(max_length=PLAN_TITLE_MAX_LENGTH)
    details = models.TextField(max_length=PLAN_DETAILS_MAX_LENGTH, blank=True)
    resource_title = models.CharField(max_length=PLAN_RESOURCE_TITLE_MAX_LENGTH, blank=True)
    resource_url = models.URLField(max_length=PLAN_RESOURCE_URL_MAX_LENGTH, blank=True)
    target_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=PlanStatus.choices, default=PlanStatus.NOT_STARTED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking: every change adds one; a change from a stale page is refused.
    lock_version = models.PositiveIntegerField(default=1)

    objects = PlanActionQuerySet.as_manager()

    class Meta:
        ordering = ["target_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="plan_action_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=PlanStatus.DONE, completed_at__isnull=False)
                | (~Q(status=PlanStatus.DONE) & Q(completed_at__isnull=True)),
                name="plan_action_done_has_completed_at",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="plan_action_title_not_blank"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("title"), PLAN_TITLE_MAX_LENGTH),
                name="plan_action_title_not_too_long",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("details"), PLAN_DETAILS_MAX_LENGTH),
                name="plan_action_details_not_too_long",
            ),
            models.CheckConstraint(
                condition=~Q(skill_name=""), name="plan_action_skill_name_not_blank"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("resource_title"), PLAN_RESOURCE_TITLE_MAX_LENGTH),
                name="plan_action_resource_title_not_too_long",
            ),
            # A link is only ever to a web page, and only with the title it is shown under.
            models.CheckConstraint(
                condition=Q(resource_url="")
                | (
                    ~Q(resource_title="")
                    & (
                        Q(resource_url__startswith="https://")
                        | Q(resource_url__startswith="http://")
                    )
                ),
                name="plan_action_resource_url_valid",
            ),
            models.CheckConstraint(
                condition=Q(lock_version__gte=1), name="plan_action_lock_version_positive"
            ),
        ]
        indexes = [models.Index(fields=["person", "target_date"])]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"


class PlanComment(models.Model):
    """A line manager's comment on one action of their report's development plan."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=PLAN_COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="plan_comment_not_blank"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), PLAN_COMMENT_MAX_LENGTH),
                name="plan_comment_not_too_long",
            ),
        ]

    def __str__(self):
        return f"Comment on {self.action_id}, {govuk_datetime(self.created_at)}"


class CapabilityDataVersion(models.Model):
    """One row whose token changes whenever anything a capability report reads changes.

    Database triggers (assessments.capability_data) write a new random token, in the same
    transaction, after every insert, update, delete or truncate of the tables a report reads:
    this summary (OutcomeCount), departments, levels, priority skills and skills. However the
    change is made (a sign-off's upsert, a rebuild, the admin, an import, a cascade), the token
    changes. insights.reports keeps reports under the token it read first, before anything
    else: a token is never used twice, so a kept report is never behind. With no row (a
    database without the triggers) nothing is kept.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.CharField(max_length=36)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="capability_data_one_row")]

    def __str__(self):
        return self.token


class PageDataVersion(models.Model):
    """Tokens that change whenever anything a signed-in person's kept pages read changes
    (assessments.page_data, assessments.personal_pages).

    Database triggers write a new random token, in the writer's own transaction:
    - `directory`: after any write to the people, departments, accounts (other than the time of
      the last sign-in), professions, levels, skills and framework versions;
    - `user:<id>`: after any write to an assessment, its ratings or timeline, or a development
      plan, for the account of the person it belongs to, of everyone above them in their line,
      and of its reviewer.
    A kept page is served only while both tokens it was made under are unchanged.
    """

    key = models.CharField(max_length=40, primary_key=True)
    token = models.CharField(max_length=36)

    def __str__(self):
        return f"{self.key}: {self.token}"
