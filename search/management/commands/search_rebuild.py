from django.core.management.base import BaseCommand

from search.services import search_documents_rebuild


class Command(BaseCommand):
    help = (
        "Write the search documents again from the latest published version of every "
        "profession (publishing keeps them up to date; use this after loading data directly)."
    )

    def handle(self, *args, **options):
        count = search_documents_rebuild()
        self.stdout.write(f"{count} search documents written.")
