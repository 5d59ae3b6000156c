"""Which month a page opens on when none is asked for: a question about the figures."""
from __future__ import annotations

from django.db.models import Q

from twintrack.display.periods import Period, current_month
from twintrack.metrics.models import Rollup
from twintrack.metrics.rules import ROLLUP_FIELDS


def default_period(org) -> Period:
    """The latest month, not after the current one, with figures for `org`; else the current month."""
    year, month = current_month()
    latest = (
        Rollup.objects.filter(org=org)
        .filter(Q(year__lt=year) | Q(year=year, month__lte=month))
        .exclude(**{field: 0 for field in ROLLUP_FIELDS})  # rows where every figure is zero
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )
    return Period(*latest) if latest else Period(year, month)
