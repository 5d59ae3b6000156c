"""Who reads and sets the data-quality rules: the bureau's page."""
from twintrack.orgs.access import Policy, is_bureau, role_of
from twintrack.quality.models import QualityRule


class QualityRulePolicy(Policy):
    def visible(self, user):
        return QualityRule.objects.all() if role_of(user) else QualityRule.objects.none()

    def can_list(self, user):
        return is_bureau(user)

    def can_change(self, user, obj):
        return is_bureau(user)
