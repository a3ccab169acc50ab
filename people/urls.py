from . import insights_views, review_views, views

app_name = "people"

# Staff side (people/views.py) and manager side (people/review_views.py).
urlpatterns = [
    *views.urlpatterns,
    *review_views.urlpatterns,
    *insights_views.urlpatterns,
]
