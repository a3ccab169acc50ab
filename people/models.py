"""Departments, staff records and line management.

Personal data: see the access matrix in docs/architecture.md. people depends on roles, never the
other way round; assessments and insights depend on people.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from roles.models import Grade, Profession, RoleLevel


class Department(models.Model):
    name = models.CharField(max_length=200, unique=True)
    acronym = models.CharField(max_length=20, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def reporting_to(self, manager):
        """Direct reports of a manager."""
        return self.filter(line_manager=manager)

    def below(self, manager):
        """Everyone anywhere under a manager in the line-management tree (one indexed query)."""
        return self.filter(management_path__startswith=manager.subtree_prefix).exclude(
            pk=manager.pk
        )


class Person(models.Model):
    """A member of staff, as held by HR. Linked to a sign-in account by work email address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    staff_number = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254, unique=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="people")
    profession = models.ForeignKey(
        Profession, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    role_level = models.ForeignKey(
        RoleLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    grade = models.CharField(max_length=3, choices=Grade.choices)
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="direct_reports"
    )
    # Materialised path of primary keys from the top of the tree down to this person,
    # "/12/345/6789/": "anyone above" and "everyone below" are each one indexed lookup.
    # Kept right by people.services whenever a line manager changes.
    management_path = models.CharField(max_length=1000, db_index=True, editable=False, default="")
    is_active = models.BooleanField(default=True)
    # When the retention command first saw the person inactive (docs/security.md): their data
    # is erased RETENTION_LEAVERS_DAYS later. Cleared if they come back.
    left_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When their personal data was erased (people.erasure): the record is then a placeholder.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=~Q(line_manager=F("pk")), name="person_not_own_manager"
            ),
            models.CheckConstraint(condition=Q(email=Lower("email")), name="person_email_lower"),
            models.CheckConstraint(condition=Q(grade__in=Grade.values), name="person_grade_valid"),
            models.CheckConstraint(
                condition=Q(erased_at__isnull=True) | Q(is_active=False, user__isnull=True),
                name="person_erased_is_inactive_leaver",
            ),
        ]
        indexes = [models.Index(fields=["line_manager", "is_active"])]

    def __str__(self):
        return f"{self.name} ({self.staff_number})"

    @property
    def subtree_prefix(self):
        return self.management_path or f"/{self.pk}/"

    def manager_ids_above(self):
        """Primary keys of every manager above this person, nearest last."""
        ids = [int(part) for part in self.management_path.strip("/").split("/") if part]
        return ids[:-1]


class DepartmentalHead(models.Model):
    """A head of profession in one department, under the profession's head for the whole civil
    service: sees that profession's capability report for their own department only. Appointed
    by service administrators in the admin."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="departmental_headships"
    )
    profession = models.ForeignKey(Profession, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["profession", "department"]
        verbose_name = "departmental head of profession"
        verbose_name_plural = "departmental heads of profession"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "profession", "department"], name="departmental_head_once"
            ),
        ]

    def __str__(self):
        return f"{self.user} for {self.profession} in {self.department.acronym}"
