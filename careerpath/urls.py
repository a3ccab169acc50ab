from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .forms import SignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "sign-in/",
        views.public(
            auth_views.LoginView.as_view(
                template_name="registration/sign_in.html",
                authentication_form=SignInForm,
                redirect_authenticated_user=True,
            )
        ),
        name="login",
    ),
    path(
        "sign-out/",
        auth_views.LogoutView.as_view(template_name="registration/signed_out.html"),
        name="logout",
    ),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("admin/", admin.site.urls),
    path("", include("roles.urls")),
    path("", include("search.urls")),
    path("", include("people.urls")),
    path("", include("assessments.urls")),
    path("", include("insights.urls")),
    path("", include("careers.urls")),
]

handler400 = "careerpath.views.bad_request"
handler403 = "careerpath.views.permission_denied"
handler404 = "careerpath.views.page_not_found"
handler500 = "careerpath.views.server_error"
