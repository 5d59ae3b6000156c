"""An overdue badge counts days while that means something; a requirement overdue for years (a
demo set in 2023) reads "逾期" with its due date, never "1132 天"."""
from datetime import date, timedelta

from django.utils import timezone, translation

from twintrack.supervision.models import Requirement
from twintrack.supervision.templatetags.supervision_tags import overdue_badge, overdue_title


def test_the_badge_counts_recent_days_and_dates_old_ones(city, supervision):
    from twintrack.supervision.services import issue_requirement

    requirement = issue_requirement(city.users.supervisor, supervision.round, supervision.task, "整改",
                                    timezone.localdate() + timedelta(days=1), org=city.tongxiang)
    with translation.override("zh-hans"):
        Requirement.objects.filter(pk=requirement.pk).update(due_date=timezone.localdate() - timedelta(days=12))
        requirement.refresh_from_db()
        assert overdue_badge(requirement) == "12 天" and overdue_title(requirement) == "已超过完成时限 12 天"
        Requirement.objects.filter(pk=requirement.pk).update(due_date=date(2023, 10, 31))
        requirement.refresh_from_db()
        assert overdue_badge(requirement) == overdue_title(requirement) == "逾期（限期 2023-10-31）"
