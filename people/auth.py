"""The sign-in backend: Django's ModelBackend, reading the account's staff record with it.

Almost every signed-in page asks for the person behind the account (people.permissions.
person_for reads `user.person`) and, for the service navigation, whether they line manage
anyone (`is_line_manager`, people.context_processors). Loading the user with its staff record
and that answer in one query saves two queries on every signed-in request.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from .models import Person


def with_staff_record(users):
    """Users with `person` joined and `has_reports` (someone active has their staff record as
    line manager) worked out in the same statement."""
    reports = Person.objects.filter(line_manager_id=OuterRef("person__id"), is_active=True)
    return users.select_related("person").annotate(has_reports=Exists(reports))


class StaffRecordBackend(ModelBackend):
    def get_user(self, user_id):
        user = with_staff_record(get_user_model()._default_manager.filter(pk=user_id)).first()
        return user if user is not None and self.user_can_authenticate(user) else None
