"""The sign-in backend: Django's ModelBackend, reading the account's staff record with it.

Almost every signed-in page asks for the person behind the account (people.permissions.
person_for reads `user.person`), so loading the user with its staff record in one query saves
a query on every signed-in request.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class StaffRecordBackend(ModelBackend):
    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("person").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
