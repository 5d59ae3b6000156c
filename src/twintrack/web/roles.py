"""What each role reaches in the web app, on top of the per-object policies in
`twintrack.orgs.access`: the home page of a role and the gates of whole page classes."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from twintrack.enterprises.models import Enterprise
from twintrack.orgs.access import may, membership_of, role_of, scope_root, visible
from twintrack.orgs.models import OrgUnit, Role
from twintrack.programme.models import Progress


def home_url(user) -> str:
    """Where a user starts: the dashboard, or an enterprise user's own enterprise."""
    if role_of(user) == Role.ENTERPRISE:
        membership = membership_of(user)
        if membership is not None and membership.enterprise_id:
            return reverse("enterprise_detail", args=[membership.enterprise_id])
    if role_of(user) == Role.PROVIDER and visible(user, Enterprise).exists():
        return reverse("diagnosis:home")  # a service provider starts at the enterprises assigned to it
    if role_of(user) == Role.SUPERVISOR and scope_root(user) is None:
        return reverse("supervision:home")  # a supervisor without a unit starts at their rounds
    return reverse("dashboard")


def may_submit_data(user) -> bool:
    """Bureau and district officers (who see a unit) upload files and submit months."""
    return may(user, "view", OrgUnit) and may(user, "create", Progress)


def require_data_entry(user) -> OrgUnit:
    if not may_submit_data(user):
        raise PermissionDenied
    return scope_root(user)


def navigation(user) -> list[dict]:
    """The menu entries a user may open (names of URL patterns and their labels)."""
    from django.utils.translation import gettext as _

    if user is None or not user.is_authenticated:
        return []
    entries = []
    units = may(user, "view", OrgUnit)  # the menu offers what the pages' own gates let through
    if units:
        entries.append(("dashboard", _("Dashboard")))
        entries.append(("orgunit_list", _("Units and targets")))
    if may(user, "view", Enterprise):
        entries += [("enterprise_list", _("Enterprises")), ("project_list", _("Projects"))]
    if may_submit_data(user):
        entries.append(("monthly", _("Monthly submission")))
    if units:
        entries.append(("approvals", _("Approvals")))
        entries.append(("quality", _("Data quality")))
    role = role_of(user)
    if role in (Role.BUREAU, Role.DISTRICT, Role.SUPERVISOR):
        entries.append(("energy:index", _("Energy and carbon")))
    if units:  # whoever sees a unit (bureau, district officers, supervisors)
        entries.append(("reports:bulletins", _("Bulletins")))
    if role is not None:
        entries.append(("diagnosis:home", _("Diagnosis")))
    if role in (Role.BUREAU, Role.DISTRICT, Role.SUPERVISOR, Role.ENTERPRISE):
        entries.append(("supervision:home", _("Supervision")))
    if may_submit_data(user) or role == Role.BUREAU:
        entries.append(("jobs:list", _("Background jobs")))
    if may(user, "view", get_user_model()):
        entries.append(("user_list", _("Users")))
        entries.append(("notify:channels", _("Notice channels")))
    return [{"name": name, "label": label, "url": reverse(name)} for name, label in entries]
