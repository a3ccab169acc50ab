from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/single-sign-on/", views.sso_start, name="sso_start"),
    path("sign-in/single-sign-on/callback/", views.sso_callback, name="sso_callback"),
    path("sign-out/done/", views.signed_out, name="signed_out"),
    path("account/two-factor/", views.two_factor, name="two_factor"),
]
