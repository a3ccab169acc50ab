from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _heads_group_in_step(sender, using="default", **kwargs):
    """After a migration adds a framework model (and Django its permissions), give the existing
    "Heads of profession" group the permissions roles.services.HEAD_PERMISSIONS lists now, so
    that heads can edit the new part without anyone being appointed again."""
    from django.contrib.auth.models import Group

    from .services import HEADS_GROUP, heads_group_ensure

    if Group.objects.using(using).filter(name=HEADS_GROUP).exists():
        heads_group_ensure()


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = "Career frameworks"

    def ready(self):
        # Connected after django.contrib.auth's handler (auth comes first in INSTALLED_APPS),
        # so the permissions of a new model exist when this runs.
        post_migrate.connect(_heads_group_in_step, sender=self, dispatch_uid="roles_heads_group")
