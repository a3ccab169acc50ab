"""The service's URLs with stand-ins for the development plan's pages (assessments:plan and
assessments:plan_add, being built elsewhere), to check the links careers makes to them."""

from django.http import HttpResponse
from django.urls import URLResolver, include, path

from assessments.urls import urlpatterns as assessment_patterns
from careerpath.urls import urlpatterns as project
from careerpath.views import public


@public
def plan_stand_in(request):
    return HttpResponse("A development plan")


WITH_PLAN = [
    *assessment_patterns,
    path("plan/", plan_stand_in, name="plan"),
    path("plan/add/", plan_stand_in, name="plan_add"),
]

urlpatterns = [
    *(
        pattern
        for pattern in project
        if not (isinstance(pattern, URLResolver) and pattern.app_name == "assessments")
    ),
    path("", include((WITH_PLAN, "assessments"))),
]
