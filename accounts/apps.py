from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .throttle import give_back_on_sign_in

        user_logged_in.connect(give_back_on_sign_in, dispatch_uid="accounts-rate-limit-give-back")
