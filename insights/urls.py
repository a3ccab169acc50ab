from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path(
        "professions/<slug:profession>/insights/",
        views.profession_insights_view,
        name="profession_insights",
    ),
]
