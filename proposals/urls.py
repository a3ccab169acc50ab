from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("your-proposals/", views.proposal_list, name="list"),
    path(
        "professions/<slug:profession>/levels/<slug:level>/propose/",
        views.propose_level,
        name="propose_level",
    ),
    path(
        "skills/<slug:skill>/propose/<slug:proficiency>/",
        views.propose_descriptor,
        name="propose_descriptor",
    ),
]
