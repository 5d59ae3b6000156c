"""Who sees and publishes bulletins: the units' subtree reads them; the bureau publishes for the
units it sees."""
from twintrack.orgs.access import Policy, can_view_org, is_bureau, visible_orgs
from twintrack.reports.models import PublishedBulletin


class PublishedBulletinPolicy(Policy):
    def visible(self, user):
        return PublishedBulletin.objects.filter(org__in=visible_orgs(user))

    def can_create_here(self, user, obj):
        return is_bureau(user) and can_view_org(user, obj.org)
