"""Template helpers of the supervision pages, and the dashboard's overdue panel.

The dashboard includes the panel with two lines:

    {% load supervision_tags %}
    {% overdue_requirements org %}
"""
from django import template
from django.utils.translation import get_language

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


@register.inclusion_tag("supervision/overdue_snippet.html", takes_context=True)
def overdue_requirements(context, org=None, limit=5, hide_empty=True):
    """The overdue supervision requirements the user sees under `org` (everything visible if
    None); nothing at all when there are none and `hide_empty`."""
    from twintrack.supervision.summary import overdue_requirements_for

    user = context.get("user") or getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return {"overdue": None}
    overdue = overdue_requirements_for(user, org, limit=limit)
    if hide_empty and not overdue["count"]:
        return {"overdue": None}
    return {"overdue": overdue}
