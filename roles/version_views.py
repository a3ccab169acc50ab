"""Open data exports, change log and earlier versions. (Stubs: being built.)"""

from django.http import Http404

from careerpath.views import public


def _todo(request, **kwargs):
    raise Http404("Not built yet")


framework_json = public(_todo)
framework_csv = public(_todo)
changelog = public(_todo)
version = public(_todo)
