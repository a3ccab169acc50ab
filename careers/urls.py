from django.urls import path

from . import views

app_name = "careers"

urlpatterns = [
    path("your-career/", views.home, name="home"),
    path("your-career/profile/", views.profile, name="profile"),
    path("your-career/ready/", views.readiness, name="readiness"),
    path("your-career/moves/", views.moves, name="moves"),
    path("your-career/your-data/", views.your_data, name="your_data"),
]
