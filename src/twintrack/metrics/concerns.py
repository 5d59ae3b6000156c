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
# Records of figures alone: nothing a top bar or work queue shows (`version.bump`'s top_bar);
# the rollups they feed bump the attention counters when a unit's latest month moves.
FIGURES_MODELS = {"programme.progress", "programme.project"}


# The links through which a record belongs to a unit, and the path of the unit's path from the
# linked model.
LINKS = (("org", None), ("enterprise", "org__path"), ("project", "enterprise__org__path"), ("requirement", "org__path"))


def _link_of(values) -> tuple[str, int] | None:
    """(link, linked id) of the first link a record (or its previous version's values) names."""
    for link, _path in LINKS:
        linked_id = values.get(f"{link}_id")
        if linked_id is not None:
            return link, linked_id
    return None


def _links_of_model(model) -> list[str]:
    names = {f.attname for f in model._meta.concrete_fields}
    return [f"{link}_id" for link, _path in LINKS if f"{link}_id" in names]


def _previous_values(history_instance, model) -> dict:
    """The link ids of the version before this change (as simple-history's prev_record, in one
    query for the link columns only)."""
    fields = _links_of_model(model)
    if not fields:
        return {}
    manager = type(history_instance)._default_manager
    pk = model._meta.pk.attname
    return (manager.filter(**{pk: getattr(history_instance, pk)}, history_date__lt=history_instance.history_date)
            .order_by("-history_date").values(*fields).first()) or {}


def _paths_of(instance, links: set[tuple[str, int]]) -> list[str]:
    """The org paths of the units the links lead to: one query per kind of link (one in practice)."""
    paths = []
    for link, path_lookup in LINKS:
        ids = [linked_id for name, linked_id in links if name == link]
        if not ids:
            continue
        related = instance._meta.get_field(link).related_model
        lookup = "path" if path_lookup is None else path_lookup
        paths += related._base_manager.filter(pk__in=ids).values_list(lookup, flat=True)
    return paths


def units_of_users(user_ids) -> set[int] | None:
    """The units whose pages show these users' notices (a user's cached pages all lie under their
    own unit, an enterprise user's under the enterprise's); None if one of them has no unit (a
    superuser, the bureau without a unit)."""
    rows = Membership.objects.filter(user_id__in=set(user_ids)).values_list("user_id", "org_id", "enterprise__org_id")
    unit_of_user = {user_id: org_id or enterprise_org_id for user_id, org_id, enterprise_org_id in rows}
    units = {unit_of_user.get(user_id) for user_id in set(user_ids)}
    return None if None in units else units


def bump_for_record(instance, history_instance=None, **kwargs) -> None:
    """The post_create_historical_record receiver: two queries for a new record (the unit's path,
    the bump), three for a changed one (its previous link first)."""
    label = instance._meta.label_lower
    if label in GLOBAL_MODELS or isinstance(instance, get_user_model()):
        version.bump()
        return
    links = [_link_of(vars(instance))]
    if history_instance is not None and history_instance.history_type == "~":
        previous = _previous_values(history_instance, type(instance))
        if previous:
            links.append(_link_of(previous))
    if None in links:
        version.bump()
        return
    links = set(links)
    paths = _paths_of(instance, links)
    if len(paths) < len(links):  # a linked record that is gone: its unit is unknown
        version.bump()
        return
    version.bump_paths(paths, with_descendants=isinstance(instance, MonthApproval), top_bar=label not in FIGURES_MODELS)


def bump_for_notices(users=(), **kwargs) -> None:
    """The notices_changed receiver: the unread count in the top bar of these users' pages."""
    version.bump(units_of_users(users))
