from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("set-up/", views.set_up, name="set_up"),
    path("set-up/check-your-email/", views.set_up_sent, name="set_up_sent"),
    path(
        "set-up/<uidb64>/<token>/",
        views.choose_password,
        name="set_up_password",
    ),
    path("set-up/done/", views.set_up_done, name="set_up_done"),
]
