"""The search page: public, reading only published content (search.models).

The results part of the page is cached per search generation (search.query.generation, one
query) and query: documents change only when a version is published, which moves the
generation on, so a publication is searchable at once and a repeated search costs one query.
For anonymous visitors the whole page is also kept (careerpath/public_cache.py).
"""

from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from careerpath.public_cache import cached_public_page
from careerpath.views import public

from .forms import SearchForm
from .query import generation
from .query import search as search_documents


@public
@cached_public_page
def search(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "query": None, "results": None}
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        query = " ".join(form.cleaned_data["q"].split())
        context["query"] = query
        context["generation"] = generation()
        # Worked out only when the template's cached fragment is missing.
        context["results"] = SimpleLazyObject(lambda: search_documents(query))
    return render(request, "search/search.html", context)
