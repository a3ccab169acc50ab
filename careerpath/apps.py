from django.apps import AppConfig


class CareerpathConfig(AppConfig):
    name = "careerpath"
    verbose_name = "careerpath"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401 - registers the deploy checks
        from .middleware import mark_sign_in_time

        user_logged_in.connect(mark_sign_in_time, dispatch_uid="careerpath-sign-in-time")
