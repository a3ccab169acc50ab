"""Writing the search documents: at publication, in its transaction; rebuilding; constraints."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, transaction

from roles.models import FrameworkVersion
from roles.services import framework_publish
from search import services
from search.models import Kind, SearchDocument, SearchTerm


def documents_of(profession):
    return SearchDocument.objects.filter(version__profession=profession)


def test_publishing_writes_the_versions_documents_of_every_kind(frameworks):
    operations = frameworks["operations"]
    version = FrameworkVersion.objects.get(profession=operations)

    kinds = set(documents_of(operations).values_list("kind", flat=True))

    assert kinds == set(Kind.values)
    assert set(documents_of(operations).values_list("version", flat=True)) == {version.pk}
    level = documents_of(operations).get(kind=Kind.LEVEL, title="Operations officer")
    assert level.grades == "AO EO"
    assert " serv " in level.stems  # "Serves" stemmed


def test_a_new_version_replaces_the_professions_documents_and_words(frameworks):
    product = frameworks["product"]
    before = documents_of(product).count()

    second = framework_publish(profession=product, by=None, change_note="Again")

    assert documents_of(product).count() == before
    assert set(documents_of(product).values_list("version", flat=True)) == {second.pk}
    assert set(
        SearchTerm.objects.filter(version__profession=product).values_list("version", flat=True)
    ) == {second.pk}
    # The other profession's documents are left as they were.
    assert documents_of(frameworks["operations"]).exists()


def test_if_the_documents_cannot_be_written_nothing_is_published(frameworks, monkeypatch):
    product = frameworks["product"]
    before = list(documents_of(product).values_list("pk", flat=True))

    def broken(**kwargs):
        raise RuntimeError("search is broken")

    monkeypatch.setattr(services, "write_documents", broken)
    with pytest.raises(RuntimeError):
        framework_publish(profession=product, by=None, change_note="Will fail")

    assert FrameworkVersion.objects.filter(profession=product).count() == 1
    assert list(documents_of(product).values_list("pk", flat=True)) == before


def test_rebuild_writes_the_latest_version_of_each_profession_only(frameworks):
    product = frameworks["product"]
    latest = framework_publish(profession=product, by=None, change_note="Again")
    expected = sorted(SearchDocument.objects.values_list("version", "kind", "title"))
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()

    out = io.StringIO()
    call_command("search_rebuild", stdout=out)

    assert sorted(SearchDocument.objects.values_list("version", "kind", "title")) == expected
    assert latest.pk in set(SearchTerm.objects.values_list("version", flat=True))
    assert f"{len(expected)} search documents written." in out.getvalue()


def test_the_migration_writes_documents_for_versions_published_before_search(frameworks):
    expected = sorted(SearchDocument.objects.values_list("version", "kind", "title"))
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()
    migration = importlib.import_module("search.migrations.0001_search_documents")

    migration.documents_for_published_versions(apps, schema_editor=None)

    assert sorted(SearchDocument.objects.values_list("version", "kind", "title")) == expected


@pytest.mark.parametrize(
    "fields", [{"kind": "rumour", "title": "A thing"}, {"kind": Kind.SKILL, "title": ""}]
)
def test_the_database_refuses_a_document_it_could_not_show(frameworks, fields):
    version = FrameworkVersion.objects.first()
    before = SearchDocument.objects.count()

    with pytest.raises(IntegrityError), transaction.atomic():
        SearchDocument.objects.create(
            version=version, profession_slug="x", profession_name="X", **fields
        )

    assert SearchDocument.objects.count() == before


def test_the_database_refuses_a_word_twice_for_one_version(frameworks):
    term = SearchTerm.objects.first()

    with pytest.raises(IntegrityError), transaction.atomic():
        SearchTerm.objects.create(version=term.version, word=term.word, stem=term.stem)
