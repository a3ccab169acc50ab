from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
    default = True

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.admin.models import LogEntry
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.db.models.signals import post_save

        from . import security_events
        from .throttle import give_back_on_sign_in

        user_logged_in.connect(give_back_on_sign_in, dispatch_uid="accounts-rate-limit-give-back")
        # The security log (accounts/security_log.py).
        user_logged_in.connect(security_events.signed_in, dispatch_uid="security-signed-in")
        user_logged_out.connect(security_events.signed_out, dispatch_uid="security-signed-out")
        user_login_failed.connect(
            security_events.sign_in_failed, dispatch_uid="security-sign-in-failed"
        )
        user_locked_out.connect(security_events.locked_out, dispatch_uid="security-locked-out")
        post_save.connect(
            security_events.admin_changed, sender=LogEntry, dispatch_uid="security-admin-change"
        )


class CareerpathAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the site that asks administrators for a second factor."""

    default = False
    default_site = "accounts.admin_site.CareerpathAdminSite"
