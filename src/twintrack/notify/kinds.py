"""The kinds of event, each with its title (English msgid, Chinese in the .po).

A title is a %-format over the notice's params: `unit` (the unit's Chinese name), `period`
(2023-07), `code` (a requirement's code), `due` (a date), `enterprise`, `provider`, `by`.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    key: str
    title: str  # lazy msgid
    label: str  # what the preferences page calls it


KINDS = {kind.key: kind for kind in [
    Kind("month_submitted", _("%(unit)s submitted %(period)s for approval"), _("A month is submitted")),
    Kind("month_approved", _("%(unit)s %(period)s was approved"), _("A month is approved")),
    Kind("month_sent_back", _("%(unit)s %(period)s was sent back: %(reason)s"), _("A month is sent back")),
    Kind("month_reopened", _("%(unit)s %(period)s was reopened: %(reason)s"), _("A month is reopened")),
    Kind("requirement_issued", _("New requirement %(code)s for %(unit)s, due %(due)s"),
         _("A requirement is issued")),
    Kind("requirement_answered", _("%(unit)s answered requirement %(code)s"), _("A requirement is answered")),
    Kind("requirement_sent_back", _("The response to requirement %(code)s was sent back: %(reason)s"),
         _("A response is sent back")),
    Kind("requirement_verified", _("Requirement %(code)s was verified and closed"), _("A requirement is verified")),
    Kind("requirement_due_soon", _("Requirement %(code)s is due on %(due)s"), _("A requirement is due soon")),
    Kind("requirement_overdue", _("Requirement %(code)s is overdue (due %(due)s)"), _("A requirement is overdue")),
    Kind("bulletin_published", _("The %(period)s bulletin of %(unit)s was published"),
         _("A bulletin is published")),
    Kind("provider_assigned", _("%(provider)s was assigned to %(enterprise)s"), _("A service provider is assigned")),
    Kind("deadline_approaching", _("%(unit)s: %(period)s is due by %(due)s and not submitted yet"),
         _("The monthly deadline approaches")),
    Kind("deadline_passed", _("%(unit)s: the deadline for %(period)s (%(due)s) has passed, not submitted"),
         _("The monthly deadline has passed")),
    Kind("approved_figures_changed", _("Alarm: an import by %(by)s changed approved figures of %(unit)s %(period)s"),
         _("Approved figures changed (alarm)")),
]}


class _Blank(dict):
    def __missing__(self, key):
        return ""


def render_title(kind_key: str, params: dict) -> str:
    """The title in the active language; an unknown kind (an old row) shows its key."""
    kind = KINDS.get(kind_key)
    if kind is None:
        return kind_key
    return str(kind.title) % _Blank(params)
