"""The search page: public, reading only published content (search.models)."""

from django.shortcuts import render

from careerpath.views import public

from .forms import SearchForm
from .query import search as search_documents


@public
def search(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        results = search_documents(form.cleaned_data["q"])
    return render(request, "search/search.html", {"form": form, "results": results})
