from django.apps import AppConfig


class CareerpathConfig(AppConfig):
    name = "careerpath"
    verbose_name = "careerpath"
