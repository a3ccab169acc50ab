"""The roles app's URLs alone, with the admin: roles must work without the apps that use it."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("roles.urls")),
]
