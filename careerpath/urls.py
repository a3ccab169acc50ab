from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views

from . import views
from .forms import SignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "sign-in/",
        # Password sign-in, and the choice of department for single sign-on (accounts/views.py).
        views.public(accounts_views.SignInView.as_view(authentication_form=SignInForm)),
        name="login",
    ),
    path("sign-out/", accounts_views.sign_out, name="logout"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("roles.urls")),
    path("", include("search.urls")),
    path("", include("people.urls")),
    path("", include("proposals.urls")),
    path("", include("assessments.urls")),
    path("", include("insights.urls")),
    path("", include("careers.urls")),
]

handler400 = "careerpath.views.bad_request"
handler403 = "careerpath.views.permission_denied"
handler404 = "careerpath.views.page_not_found"
handler500 = "careerpath.views.server_error"
