"""Template helpers of the supervision pages, and the dashboard's overdue panel.

The dashboard includes the panel with two lines:

    {% load supervision_tags %}
    {% overdue_requirements org %}
"""
from django import template
from django.utils import timezone
from django.utils.translation import get_language

from twintrack.metrics import version

register = template.Library()


@register.filter
def dname(obj, lang=None):
    """An object's name in the current language (name_en in English where there is one)."""
    if obj is None:
        return ""
    return obj.display_name(lang or get_language() or "zh-hans")


@register.filter
def addressee(requirement):
    return requirement.addressee(get_language() or "zh-hans")


@register.filter
def overdue_on(requirement, day):
    return requirement.is_overdue(day)


@register.filter
def days_overdue(requirement):
    return requirement.days_overdue()


COUNTED_DAYS = 90  # beyond a quarter a day count says less than the date (and a past demo reads "1132 天")


@register.filter
def overdue_badge(requirement):
    """"12 days" while the count means something, else "overdue since <due date>"."""
    from django.utils.translation import gettext as _

    return _overdue_text(requirement, _("%(days)s days"))


@register.filter
def overdue_title(requirement):
    from django.utils.translation import gettext as _

    return _overdue_text(requirement, _("%(days)s days past the due date"))


def _overdue_text(requirement, counted: str) -> str:
    from django.utils.translation import gettext as _

    days = requirement.days_overdue()
    if days <= COUNTED_DAYS:
        return counted % {"days": days}
    return _("overdue since %(date)s") % {"date": requirement.due_date.isoformat()}


@register.inclusion_tag("supervision/overdue_snippet.html", takes_context=True)
def overdue_requirements(context, org=None, limit=5, hide_empty=True):
    """The overdue supervision requirements the user sees under `org` (everything visible if
    None); nothing at all when there are none and `hide_empty`."""
    from twintrack.supervision.summary import overdue_requirements_for

    user = context.get("user") or getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return {"overdue": None}
    overdue = _kept_per_version(user, org, limit, lambda: overdue_requirements_for(user, org, limit=limit))
    if hide_empty and not overdue["count"]:
        return {"overdue": None}
    return {"overdue": overdue}


def _kept_per_version(user, org, limit, compute):
    """The box is asked for on every dashboard render, and at the province's root it costs tens
    of milliseconds; it changes only with the requirements under `org` (their writes bump its
    version), the user's visibility (user changes bump the global one) and the day."""
    if org is None:  # everything the user sees: no one unit's version covers it
        return compute()
    key = f"overdue:{user.pk}:{org.id}:{limit}:{timezone.localdate().isoformat()}"
    return version.cached(key, compute, [org])
