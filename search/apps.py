from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from roles.signals import version_published

        from .services import search_documents_on_publish

        version_published.connect(search_documents_on_publish, dispatch_uid="search_documents")
