from . import plan_views, review_views, views

app_name = "assessments"

# The author's journey (views.py), the line manager's review (review_views.py) and the
# development plan (plan_views.py).
urlpatterns = [*views.urlpatterns, *review_views.urlpatterns, *plan_views.urlpatterns]
