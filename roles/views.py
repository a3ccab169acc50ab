"""Public pages of the published frameworks. (Stubs: being built.)"""

from django.http import Http404

from careerpath.views import public


def _todo(request, **kwargs):
    raise Http404("Not built yet")


profession_list = public(_todo)
pathway = public(_todo)
level = public(_todo)
compare_levels = public(_todo)
compare_roles = public(_todo)
skill_list = public(_todo)
skill = public(_todo)
search = public(_todo)
