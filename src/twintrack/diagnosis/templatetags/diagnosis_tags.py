"""Template helpers of the diagnosis pages, and the coverage panel other apps include:

    {% load diagnosis_tags %}{% diagnosis_coverage org period %}

(`org` an OrgUnit, `period` "YYYY-MM": coverage at the end of that month, or today if later).
"""
from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from twintrack.diagnosis.models import Assessment, CoverageSetting
from twintrack.display import amounts
from twintrack.display.language import active_lang
from twintrack.display.periods import parse_period
from twintrack.orgs.access import may, role_of
from twintrack.orgs.models import OrgUnit

register = template.Library()


@register.filter
def pct(value, places: int = 1) -> str:
    """A share (0..1) as a percentage: 0.625 -> '62.5%'."""
    if value is None or value == "":
        return "—"
    return amounts.percent(value, int(places), keep_zeros=True, rounding=ROUND_HALF_EVEN)


@register.filter
def bar(value) -> int:
    """A share (0..1) as a whole percentage 0..100 for a <progress> or a width class."""
    if value is None:
        return 0
    return max(0, min(100, int((Decimal(value) * 100).quantize(Decimal(1)))))


@register.inclusion_tag("diagnosis/_nav.html", takes_context=True)
def diagnosis_nav(context, current: str = ""):
    request = context.get("request")
    user = getattr(request, "user", None)
    entries = []
    if may(user, "view", Assessment):
        units = may(user, "view", OrgUnit)

        entries.append(("home", _("Enterprises") if role_of(user) != "enterprise" else _("My diagnosis")))
        if units:
            entries.append(("subindustries", _("Sub-industries")))
        entries.append(("demonstrations", _("Demonstrations")))
        entries.append(("solutions", _("Solutions")))
        if units:
            entries.append(("providers", _("Service providers")))
        entries.append(("frameworks", _("Frameworks")))
        if may(user, "create", CoverageSetting):
            entries.append(("settings", _("Coverage setting")))
    return {"entries": [{"name": n, "label": label, "url": reverse(f"diagnosis:{n}"), "current": n == current}
                        for n, label in entries]}


def _as_of(period: str) -> date:
    today = timezone.localdate()
    try:
        year, month = parse_period(str(period or ""))
    except ValueError:
        return today
    end = date(year, month, calendar.monthrange(year, month)[1])
    return min(end, today)


def coverage_context(org, as_of: date, lang: str) -> dict:
    """The dashboard panel's data: the unit's coverage (cached by the version of its subtree)."""
    from twintrack.diagnosis.coverage import coverage_from_parts
    from twintrack.metrics import version

    coverage = version.cached(f"diagnosis-coverage:{org.id}:{as_of.isoformat()}",
                              lambda: coverage_from_parts(org, as_of), [org])
    return {"coverage": coverage, "as_of": as_of, "org": org,
            "url": reverse("diagnosis:subindustries") + f"?org={org.code}"}


@register.inclusion_tag("diagnosis/_coverage_panel.html", takes_context=True)
def diagnosis_coverage(context, org, period=""):
    if org is None:
        return {"coverage": None}
    lang = active_lang()
    return coverage_context(org, _as_of(period), lang)


@register.simple_tag(takes_context=True)
def may_create(context, model_name: str) -> bool:
    from django.apps import apps

    request = context.get("request")
    return may(getattr(request, "user", None), "create", apps.get_model("diagnosis", model_name))
