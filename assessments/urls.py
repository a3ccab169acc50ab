from . import review_views, views

app_name = "assessments"

# The author's journey (views.py) and the line manager's review (review_views.py).
urlpatterns = [*views.urlpatterns, *review_views.urlpatterns]
