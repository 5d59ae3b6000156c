"""What each role reaches in the web app, on top of the per-object policies in
`twintrack.orgs.access`: the home page of a role and the gates of whole page classes."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from twintrack.enterprises.models import Enterprise
from twintrack.orgs.access import can_create, is_bureau, membership_of, role_of, scope_root, visible
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


def require_units(user) -> OrgUnit:
    """The top unit the user sees; 403 for accounts that reach no unit (enterprise, provider)."""
    root = scope_root(user)
    if root is None:
        raise PermissionDenied
    return root


def require_programme(user) -> None:
    """Enterprise and project pages: for anyone who sees a unit or at least one enterprise
    (a service provider sees nothing until the diagnosis app assigns it enterprises)."""
    if scope_root(user) is None and not visible(user, Enterprise).exists():
        raise PermissionDenied


def require_bureau(user) -> None:
    if not is_bureau(user):
        raise PermissionDenied


def may_submit_data(user) -> bool:
    """Bureau and district officers upload files and submit months."""
    return scope_root(user) is not None and can_create(user, Progress)


def require_data_entry(user) -> OrgUnit:
    if not may_submit_data(user):
        raise PermissionDenied
    return scope_root(user)


# Menu entries other apps add (supervision, diagnosis, energy): (url name, label, function(user) -> bool),
# shown after the web app's own entries, in the order registered.
EXTRA_MENU: list[tuple[str, object, object]] = []


def register_menu(url_name: str, label, visible_to) -> None:
    if all(entry[0] != url_name for entry in EXTRA_MENU):
        EXTRA_MENU.append((url_name, label, visible_to))


def navigation(user) -> list[dict]:
    """The menu entries a user may open (names of URL patterns and their labels)."""
    from django.utils.translation import gettext as _

    if user is None or not user.is_authenticated:
        return []
    entries = []
    units = scope_root(user) is not None
    if units:
        entries.append(("dashboard", _("Dashboard")))
        entries.append(("orgunit_list", _("Units and targets")))
    if units or visible(user, Enterprise).exists():
        entries += [("enterprise_list", _("Enterprises")), ("project_list", _("Projects"))]
    if may_submit_data(user):
        entries.append(("monthly", _("Monthly submission")))
    if units:
        entries.append(("approvals", _("Approvals")))
        entries.append(("quality", _("Data quality")))
    for url_name, label, visible_to in EXTRA_MENU:
        if visible_to(user):
            entries.append((url_name, str(label)))
    if is_bureau(user):
        entries.append(("user_list", _("Users")))
        entries.append(("notify:channels", _("Notice channels")))
    return [{"name": name, "label": label, "url": reverse(name)} for name, label in entries]
