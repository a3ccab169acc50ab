"""Writing the search documents: when a version is published, and to rebuild them all.

Each write replaces one profession's documents and terms with those of its newest published
version, in the caller's transaction (the publishing one), so search never shows a version that
was rolled back and never shows two versions of one profession.
"""

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction

from roles.models import FrameworkVersion
from roles.selectors import framework_from_content

from .documents import documents_for
from .models import SearchDocument, SearchTerm
from .text import stem, stems_text, words

MAX_WORD_LENGTH = 60  # SearchTerm.word
WORD_MIN_LENGTH = 3  # shorter words are never offered as "Did you mean"

# What each part of a document weighs in PostgreSQL's ranking: A is the most.
SEARCH_VECTOR = (
    SearchVector("title", weight="A", config="english")
    + SearchVector("grades", weight="A", config="english")
    + SearchVector("body", weight="B", config="english")
    + SearchVector("context", weight="C", config="english")
)


def write_documents(*, version, document_model=SearchDocument, term_model=SearchTerm) -> int:
    """Replace the documents and terms of the version's profession with the version's own.

    The models are parameters so that a data migration can pass its historical ones. Returns
    how many documents were written."""
    framework = framework_from_content(version.pk, version.number, version.content)
    profession_id = version.profession_id
    document_model.objects.filter(version__profession_id=profession_id).delete()
    term_model.objects.filter(version__profession_id=profession_id).delete()
    documents = documents_for(framework)
    document_model.objects.bulk_create(
        [
            document_model(
                version_id=version.pk,
                kind=document.kind,
                profession_slug=framework.profession_slug,
                profession_name=framework.profession_name,
                level_slug=document.level_slug,
                skill_slug=document.skill_slug,
                title=document.title,
                context=document.context,
                body=document.body,
                grades=document.grades,
                stems=stems_text(document.title, document.grades, document.body, document.context),
            )
            for document in documents
        ],
        batch_size=500,
    )
    if connection.vendor == "postgresql":
        document_model.objects.filter(version_id=version.pk).update(search_vector=SEARCH_VECTOR)
    vocabulary = {
        word
        for document in documents
        for text in (document.title, document.grades, document.body, document.context)
        for word in words(text)
        if WORD_MIN_LENGTH <= len(word) <= MAX_WORD_LENGTH and not word.isdigit()
    }
    term_model.objects.bulk_create(
        [
            term_model(version_id=version.pk, word=word, stem=stem(word))
            for word in sorted(vocabulary)
        ],
        batch_size=1000,
    )
    return len(documents)


def search_documents_on_publish(sender, version, **kwargs) -> None:
    """roles.signals.version_published: the new version replaces its profession's documents."""
    write_documents(version=version)


def search_documents_rebuild() -> int:
    """Write the documents of the latest published version of every profession, in one
    transaction. Returns how many documents there are now."""
    written = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()
        for version in FrameworkVersion.objects.latest_per_profession().order_by("pk"):
            written += write_documents(version=version)
    return written
