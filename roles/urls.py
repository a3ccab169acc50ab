from django.urls import path

from . import version_views, views

app_name = "roles"

urlpatterns = [
    path("professions/", views.profession_list, name="profession_list"),
    path("professions/<slug:profession>/", views.pathway, name="pathway"),
    path("professions/<slug:profession>/levels/<slug:level>/", views.level, name="level"),
    path("professions/<slug:profession>/compare/", views.compare_levels, name="compare_levels"),
    path("compare-roles/", views.compare_roles, name="compare_roles"),
    path("skills/", views.skill_list, name="skill_list"),
    path("skills/<slug:skill>/", views.skill, name="skill"),
    # Open data and versions (roles/version_views.py)
    path(
        "professions/<slug:profession>/framework.json",
        version_views.framework_json,
        name="framework_json",
    ),
    path(
        "professions/<slug:profession>/framework.csv",
        version_views.framework_csv,
        name="framework_csv",
    ),
    path("professions/<slug:profession>/changes/", version_views.changelog, name="changelog"),
    path(
        "professions/<slug:profession>/versions/compare/",
        version_views.compare_versions,
        name="compare_versions",
    ),
    path(
        "professions/<slug:profession>/versions/<int:number>/",
        version_views.version,
        name="version",
    ),
]
