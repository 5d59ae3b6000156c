"""Who sees a job: everyone their own; a bureau officer also every job of the units it sees.

A district officer never sees another unit's job (nor a colleague's): it reads as absent, 404.
"""
from django.db.models import Q

from twintrack.jobs.models import Job
from twintrack.orgs.access import Policy, is_bureau, visible_orgs


class JobPolicy(Policy):
    def visible(self, user):
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return Job.objects.none()
        own = Q(started_by=user)
        if is_bureau(user):
            return Job.objects.filter(own | Q(org__in=visible_orgs(user)))
        return Job.objects.filter(own)

    def can_list(self, user):
        return bool(getattr(user, "is_authenticated", False) and user.is_active)
