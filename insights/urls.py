from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path(
        "professions/<slug:profession>/capability/",
        views.capability_report_view,
        name="capability_report",
    ),
    path(
        "professions/<slug:profession>/capability.csv",
        views.capability_csv_view,
        name="capability_csv",
    ),
]
