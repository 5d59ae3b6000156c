"""Which data versions a recorded change bumps (`twintrack.metrics.version`).

Every change saved one record at a time leaves a history record, and its signal lands here:
a record that belongs to a unit (through its own `org`, its enterprise's, its project's or its
requirement's) bumps that unit and its ancestors; a changed record also bumps the unit it
belonged to before (an enterprise moving district changes both). An approval also bumps the
units below (it locks their months). Anything else, and the org tree, accounts and tokens,
bumps the global version. Bulk writes send no signal: they call `hooks.bump_data_version`.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model

from twintrack.approvals.models import MonthApproval
from twintrack.metrics import version
from twintrack.orgs.models import Membership

# Records with a unit that still concern every page: the tree, who may see what, and the
# coverage settings (which the units below may inherit).
GLOBAL_MODELS = {"orgs.orgunit", "orgs.membership", "orgs.accesstoken", "diagnosis.coveragesetting"}


# The links through which a record belongs to a unit, and the unit's path from the linked model.
LINKS = (("org", None), ("enterprise", "org_id"), ("project", "enterprise__org_id"), ("requirement", "org_id"))


def _unit_of(record) -> int | None:
    """The unit a record (or a historical record) belongs to, or None if it names none."""
    for link, unit_path in LINKS:
        linked_id = getattr(record, f"{link}_id", None)
        if linked_id is None:
            continue
        if unit_path is None:
            return linked_id
        linked_model = record._meta.get_field(link).related_model
        return linked_model._base_manager.filter(pk=linked_id).values_list(unit_path, flat=True).first()
    return None


def units_of_users(user_ids) -> set[int] | None:
    """The units whose pages show these users' notices (a user's cached pages all lie under their
    own unit, an enterprise user's under the enterprise's); None if one of them has no unit (a
    superuser, the bureau without a unit)."""
    rows = Membership.objects.filter(user_id__in=set(user_ids)).values_list("user_id", "org_id", "enterprise__org_id")
    unit_of_user = {user_id: org_id or enterprise_org_id for user_id, org_id, enterprise_org_id in rows}
    units = {unit_of_user.get(user_id) for user_id in set(user_ids)}
    return None if None in units else units


def bump_for_record(instance, history_instance=None, **kwargs) -> None:
    """The post_create_historical_record receiver."""
    label = instance._meta.label_lower
    if label in GLOBAL_MODELS or isinstance(instance, get_user_model()):
        version.bump()
        return
    units = {_unit_of(instance)}
    if history_instance is not None and history_instance.history_type == "~":
        previous = history_instance.prev_record
        if previous is not None:
            units.add(_unit_of(previous))
    if None in units:
        version.bump()
        return
    version.bump(units, with_descendants=isinstance(instance, MonthApproval))


def bump_for_notices(users=(), **kwargs) -> None:
    """The notices_changed receiver: the unread count in the top bar of these users' pages."""
    version.bump(units_of_users(users))
