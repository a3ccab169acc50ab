from django.urls import path

from . import views

app_name = "people"

# Account set-up for imported staff (and a forgotten password).
urlpatterns = [
    path("account/set-up/", views.set_up, name="set_up"),
    path("account/set-up/check-your-email/", views.set_up_sent, name="set_up_sent"),
    path("account/set-up/choose-password/<token>/", views.choose_password, name="set_up_password"),
    path("account/set-up/done/", views.set_up_done, name="set_up_done"),
]
