"""What search reads: documents written from published versions, never from a working copy.

When a profession's framework is published (roles.signals.version_published, sent inside the
publishing transaction), search.services replaces that profession's documents with those of the
new version, so only the latest published version of each profession is ever searched.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    PROFESSION = "profession", "Profession"
    LEVEL = "level", "Level"
    SKILL = "skill", "Skill"
    DESCRIPTOR = "descriptor", "What a proficiency looks like"
    RESOURCE = "resource", "Learning resource"
    QUALIFICATION = "qualification", "Qualification"


class SearchDocument(models.Model):
    """One searchable thing of a published version, with what its result links to and shows."""

    version = models.ForeignKey(
        "roles.FrameworkVersion", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    profession_slug = models.SlugField(max_length=120, db_index=False)
    profession_name = models.CharField(max_length=120)
    level_slug = models.SlugField(
        max_length=120, blank=True, db_index=False
    )  # levels and qualifications
    skill_slug = models.SlugField(
        max_length=120, blank=True, db_index=False
    )  # skills, descriptors, resources
    title = models.TextField()
    context = models.TextField(blank=True)  # the skill or level it belongs to, a proficiency
    body = models.TextField(blank=True)
    grades = models.TextField(blank=True)  # codes, levels only (search.grades)
    # SQLite: the Snowball stems of every word, " stem stem ... " (search.stemming).
    stems = models.TextField(blank=True)
    # PostgreSQL: title and grades (weight A), context (C), body (B), English configuration.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="search_kind_valid"),
            models.CheckConstraint(condition=~Q(title=""), name="search_title_given"),
        ]
        # The GIN indexes (full text, trigrams) are PostgreSQL's own: the migration that makes
        # them checks the database first (0001_search_documents).

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


class SearchTerm(models.Model):
    """A word of a published version's documents, for "Did you mean ...".

    `stem` is its Snowball stem: a query word whose stem is here is known, not misspelled."""

    version = models.ForeignKey(
        "roles.FrameworkVersion", on_delete=models.CASCADE, related_name="+"
    )
    word = models.CharField(max_length=60)
    stem = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "word"], name="search_term_unique"),
            models.CheckConstraint(condition=~Q(word=""), name="search_term_given"),
        ]
        indexes = [models.Index(fields=["stem"], name="search_term_stem")]

    def __str__(self):
        return self.word
