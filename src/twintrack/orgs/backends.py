"""The session's user, loaded with their membership in one query.

Every page asks who the user is, which role they hold and which unit they see; Django's
ModelBackend spends a query on each. Logging in is ModelBackend's, unchanged.
"""
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MembershipBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related(
            "membership__org", "membership__enterprise", "membership__provider")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
