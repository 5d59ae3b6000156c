"""Writing org units: the materialised path follows the parent link, and a unit moved to
another parent takes its whole subtree (and the rollups above it) along."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from django.db import transaction
from simple_history.utils import bulk_update_with_history

from twintrack import hooks
from twintrack.orgs.models import OrgUnit


@dataclass
class OrgValues:
    code: str
    name_zh: str
    name_en: str
    kind: str
    parent_code: str | None


ORG_FIELDS = ("name_zh", "name_en", "kind")


def _path_for(parent: OrgUnit | None, org_id: int) -> tuple[str, int]:
    if parent is None:
        return f"/{org_id}/", 0
    return f"{parent.path}{org_id}/", parent.depth + 1


def _refresh_subtree_paths(org: OrgUnit, old_path: str) -> None:
    descendants = list(OrgUnit.objects.filter(path__startswith=old_path).exclude(id=org.id))
    for unit in descendants:
        unit.path = org.path + unit.path[len(old_path):]
        unit.depth = unit.path.count("/") - 2
    bulk_update_with_history(descendants, OrgUnit, ["path", "depth"], default_change_reason="moved with parent")


@transaction.atomic
def save_orgunits(rows: Iterable[OrgValues], reason: str = "", user=None) -> tuple[int, int, int]:
    """Rows must come parents first (the importer orders them). Returns (created, updated, unchanged)."""
    created = updated = unchanged = 0
    moved = False
    by_code = {o.code: o for o in OrgUnit.objects.filter(code__in=[r.code for r in rows] +
                                                           [r.parent_code for r in rows if r.parent_code])}
    for values in rows:
        parent = by_code.get(values.parent_code) if values.parent_code else None
        org = by_code.get(values.code)
        if org is None:
            org = OrgUnit(code=values.code, parent=parent, path="/pending/")
        elif all(getattr(org, f) == getattr(values, f) for f in ORG_FIELDS) and org.parent_id == (
                parent.id if parent else None):
            unchanged += 1
            continue
        is_new = org.pk is None
        old_path = org.path
        reparented = not is_new and org.parent_id != (parent.id if parent else None)
        for field in ORG_FIELDS:
            setattr(org, field, getattr(values, field))
        org.parent = parent
        org._change_reason = reason
        if user is not None:
            org._history_user = user
        if is_new:
            org.save()
        org.path, org.depth = _path_for(parent, org.id)
        org.save()
        if reparented:
            _refresh_subtree_paths(org, old_path)
            moved = True
            # the units below moved too: later rows must see their new paths
            by_code.update({o.code: o for o in OrgUnit.objects.filter(code__in=list(by_code))})
        by_code[org.code] = org
        created += is_new
        updated += not is_new
    if moved:
        hooks.rebuild_rollups()
    return created, updated, unchanged
