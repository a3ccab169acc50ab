from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save

from careerpath.public_cache import published


def _public_pages_out_of_date(sender, **kwargs):
    """A version was published, changed or removed: whole public pages kept for anonymous
    visitors are replaced (careerpath/public_cache.py). At once, and again once the change is
    committed: a page rendered from the old data between the two is kept under a token that no
    longer counts."""
    published()
    transaction.on_commit(published)


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
        version = self.get_model("FrameworkVersion")
        for signal in (post_save, post_delete):
            signal.connect(_public_pages_out_of_date, sender=version, dispatch_uid="public_pages")
        # A profession's name and slug are read by the public pages outside its snapshots.
        profession = self.get_model("Profession")
        for signal in (post_save, post_delete):
            signal.connect(_public_pages_out_of_date, sender=profession, dispatch_uid="public_pp")
