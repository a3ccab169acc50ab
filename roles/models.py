"""Career frameworks: professions, their ordered role levels, skills and what each level expects.

The tables below are the *working copy* that heads of profession edit in the admin. Nothing
public reads them: publishing (roles.services.framework_publish) freezes a profession's whole
framework into a FrameworkVersion's JSON `content`, and every public page, export and
self-assessment reads the latest published version. The snapshot format is in
docs/open-data.md and is built by roles.snapshot.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords


class Proficiency(models.TextChoices):
    AWARENESS = "awareness", "Awareness"
    WORKING = "working", "Working"
    PRACTITIONER = "practitioner", "Practitioner"
    EXPERT = "expert", "Expert"

    @classmethod
    def rank(cls, value):
        """1 for Awareness up to 4 for Expert; 0 for no proficiency at all."""
        return PROFICIENCY_RANK.get(value, 0)


PROFICIENCY_RANK = {value: index for index, value in enumerate(Proficiency.values, start=1)}


def proficiency_order(field: str = "proficiency") -> models.Case:
    """An expression for order_by: Awareness, Working, Practitioner, Expert (the scale's
    order, not the alphabet's), then rows with no proficiency."""
    return models.Case(
        *(models.When(**{field: value}, then=rank) for value, rank in PROFICIENCY_RANK.items()),
        default=len(PROFICIENCY_RANK) + 1,
        output_field=models.IntegerField(),
    )


class Grade(models.TextChoices):
    """Civil Service grades, lowest to highest."""

    AA = "AA", "Administrative Assistant (AA)"
    AO = "AO", "Administrative Officer (AO)"
    EO = "EO", "Executive Officer (EO)"
    HEO = "HEO", "Higher Executive Officer (HEO)"
    SEO = "SEO", "Senior Executive Officer (SEO)"
    G7 = "G7", "Grade 7"
    G6 = "G6", "Grade 6"
    SCS = "SCS", "Senior Civil Service (SCS)"


GRADE_ORDER = list(Grade.values)


class ResourceKind(models.TextChoices):
    COURSE = "course", "Course"
    QUALIFICATION = "qualification", "Accredited qualification"
    ELEARNING = "e-learning", "E-learning"
    READING = "reading", "Reading"
    COMMUNITY = "community", "Community of practice"


class Profession(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(blank=True)
    heads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="headed_professions"
    )
    history = HistoricalRecords(excluded_fields=["heads"])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class RoleLevel(models.Model):
    profession = models.ForeignKey(Profession, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    rank = models.PositiveSmallIntegerField(help_text="1 for the first level, then 2, 3 and so on.")
    summary = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    grades = models.JSONField(default=list, blank=True, help_text="Typical grades, lowest first.")
    time_at_level = models.CharField(
        max_length=120, blank=True, help_text="For example: 12 to 24 months."
    )
    # Optimistic locking: two people editing the same level cannot silently overwrite.
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["profession", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["profession", "slug"], name="level_slug_per_profession"
            ),
            models.UniqueConstraint(
                fields=["profession", "rank"], name="level_rank_per_profession"
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="level_rank_positive"),
        ]

    def __str__(self):
        return f"{self.name} ({self.profession})"


class Skill(models.Model):
    """A skill. Several professions may use it in their levels, but one profession owns it: only
    the owner's heads (and service administrators) change its name, description, descriptors and
    learning resources (roles.permissions.can_edit_skill; docs/governance.md)."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        Profession,
        on_delete=models.PROTECT,
        related_name="owned_skills",
        verbose_name="owning profession",
        help_text="Only this profession's heads may change the skill; others may use it.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SkillDescriptor(models.Model):
    """What someone with a skill at a proficiency can do."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="descriptors")
    proficiency = models.CharField(max_length=20, choices=Proficiency.choices)
    description = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["skill", "proficiency"]
        constraints = [
            models.UniqueConstraint(
                fields=["skill", "proficiency"], name="descriptor_once_per_proficiency"
            ),
            models.CheckConstraint(
                condition=Q(proficiency__in=Proficiency.values), name="descriptor_proficiency_valid"
            ),
        ]

    def __str__(self):
        return f"{self.skill}: {self.get_proficiency_display()}"


class Expectation(models.Model):
    """The proficiency a role level expects in a skill."""

    role_level = models.ForeignKey(RoleLevel, on_delete=models.CASCADE, related_name="expectations")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="expectations")
    proficiency = models.CharField(max_length=20, choices=Proficiency.choices)
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role_level", "skill__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["role_level", "skill"], name="expectation_once_per_skill"
            ),
            models.CheckConstraint(
                condition=Q(proficiency__in=Proficiency.values),
                name="expectation_proficiency_valid",
            ),
        ]

    def __str__(self):
        return f"{self.role_level.name}: {self.skill} at {self.get_proficiency_display()}"


class Qualification(models.Model):
    """An accredited qualification that fits a role level (City & Guilds, CMI and the like).

    Part of the framework: published with the level, listed on its page and in open data."""

    role_level = models.ForeignKey(
        RoleLevel, on_delete=models.CASCADE, related_name="qualifications"
    )
    position = models.PositiveSmallIntegerField(
        default=1, help_text="Its place in the level's list: lower numbers come first."
    )
    title = models.CharField(max_length=200)
    awarding_body = models.CharField(
        max_length=120, help_text="Who awards it, for example City & Guilds."
    )
    url = models.URLField(
        "web address", max_length=500, blank=True, help_text="Where to find out more. Optional."
    )
    summary = models.CharField(
        max_length=300, blank=True, help_text="A sentence on what it covers. Optional."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["role_level_id", "position", "title"]  # no join to order by the level
        constraints = [
            models.UniqueConstraint(
                "role_level",
                Lower("title"),
                name="qualification_title_once_per_level",
                violation_error_message="This level already has a qualification with this title.",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="qualification_title_given"),
            models.CheckConstraint(
                condition=~Q(awarding_body=""), name="qualification_awarding_body_given"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.awarding_body})"


class LearningResource(models.Model):
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="resources")
    proficiency = models.CharField(
        max_length=20,
        choices=Proficiency.choices,
        blank=True,
        help_text="Leave blank when the resource helps at any proficiency.",
    )
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    provider = models.CharField(max_length=120, blank=True)
    kind = models.CharField(max_length=20, choices=ResourceKind.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["skill", "proficiency", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proficiency="") | Q(proficiency__in=Proficiency.values),
                name="resource_proficiency_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ResourceKind.values), name="resource_kind_valid"
            ),
        ]

    def __str__(self):
        return self.title


class PrioritySkill(models.Model):
    """A skill a profession's head has made a priority for a year (its capability plan): the
    capability report shows these first, with their trend. Not part of published versions."""

    profession = models.ForeignKey(
        Profession, on_delete=models.CASCADE, related_name="priority_skills"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="The calendar year the priority is for")
    history = HistoricalRecords()

    class Meta:
        ordering = ["profession", "-year", "skill__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["profession", "skill", "year"], name="priority_skill_once_a_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="priority_year_sensible"
            ),
        ]

    def __str__(self):
        return f"{self.skill} ({self.year})"


class FrameworkVersionQuerySet(models.QuerySet):
    def latest_per_profession(self):
        """The newest published version of each profession (one query, any database)."""
        newest = (
            FrameworkVersion.objects.filter(profession=models.OuterRef("profession"))
            .order_by("-number")
            .values("number")[:1]
        )
        return self.filter(number=models.Subquery(newest))


class FrameworkVersion(models.Model):
    """A profession's framework as published: a frozen JSON snapshot, numbered from 1."""

    profession = models.ForeignKey(Profession, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    change_note = models.TextField()
    content = models.JSONField()

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        ordering = ["profession", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["profession", "number"], name="version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
            models.CheckConstraint(condition=~Q(change_note=""), name="version_change_note_given"),
        ]

    def __str__(self):
        return f"{self.profession} version {self.number}"
