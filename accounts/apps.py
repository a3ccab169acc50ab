from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
    default = True


class CareerpathAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the site that asks administrators for a second factor."""

    default = False
    default_site = "accounts.admin_site.CareerpathAdminSite"
