"""The one write path for projects and monthly progress: importers, forms and the demo all
come through here, so history is recorded and the rollups stay exact.

Callers pass already-validated values; these functions do not re-check business rules.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from decimal import Decimal
from datetime import date
from typing import Iterable

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from twintrack import hooks
from twintrack.approvals.services import refuse_locked
from twintrack.programme.contributions import ContributionsMove
from twintrack.programme.bulk import write_progress_batch, write_projects_batch
from twintrack.programme.models import Target

BATCH = 2000
STAGE_BATCH = 50_000


@dataclass
class ProjectValues:
    code: str
    enterprise_id: int
    org_id: int  # the enterprise's unit, for the rollups
    title: str
    kind: str
    category: str
    start_date: date
    planned_end_date: date | None
    planned_investment_yuan: Decimal | None
    status: str



@dataclass
class ProgressValues:
    project_id: int
    org_id: int
    year: int
    month: int
    investment_yuan: Decimal
    energy_saved_tce: Decimal | None
    note: str




@dataclass
class WriteResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _write_with_history(model, to_create, to_update, fields, reason, user) -> None:
    if to_create or to_update:
        hooks.bump_data_version({record.org_id for record in [*to_create, *to_update]})
    for start in range(0, len(to_create), BATCH):
        bulk_create_with_history(to_create[start:start + BATCH], model, batch_size=BATCH,
                                 default_user=user, default_change_reason=reason)
    for start in range(0, len(to_update), BATCH):
        bulk_update_with_history(to_update[start:start + BATCH], model, list(fields), batch_size=BATCH,
                                 default_user=user, default_change_reason=reason)


@transaction.atomic
def save_projects(rows: Iterable[ProjectValues], reason: str = "", user=None) -> WriteResult:
    """Create or update projects by code, keeping the launched-project counts in the rollups
    (and a project's progress, if it moves to an enterprise of another unit). Codes must be unique."""
    tuples = [(v.code, v.enterprise_id, v.title, v.kind, v.category or "", v.start_date, v.planned_end_date,
               v.planned_investment_yuan, v.status, v.org_id) for v in rows]
    return _write_batches(tuples, write_projects_batch, reason, user)


def _write_batches(tuples: list[tuple], write_batch, reason: str, user, months_of=None) -> WriteResult:
    """Each batch written by write_batch; months_of(batch): the (year, month)s of a batch of
    progress rows (the data versions of those months move, not the rest of the units')."""
    result = WriteResult()
    for start in range(0, len(tuples), STAGE_BATCH):
        batch = tuples[start:start + STAGE_BATCH]
        deltas, counts = write_batch(batch, reason, getattr(user, "pk", None))
        if counts.get("n") or counts.get("c"):  # bulk writes send no history signal
            hooks.bump_data_version({row[-1] for row in batch}, top_bar=False,
                                    months=months_of(batch) if months_of else ())
        hooks.apply_rollup_deltas(deltas)
        result.created += counts.get("n", 0)
        result.updated += counts.get("c", 0)
        result.unchanged += counts.get("s", 0)
    return result


@transaction.atomic
def save_progress(rows: Iterable[ProgressValues], reason: str = "", user=None, keep: bool = False) -> WriteResult:
    """Create or update monthly progress by (project, year, month), adding the differences to
    the rollups: an unchanged re-import writes nothing at all. Keys must be unique. `keep`: also
    list the keys in bulk.KEPT (emptied by bulk.start_keeping), for an import's warnings."""
    tuples = [(v.project_id, v.year, v.month, v.investment_yuan, v.energy_saved_tce, v.note or "", v.org_id)
              for v in rows]
    refuse_locked({(t[6], t[1], t[2]) for t in tuples})  # approved months are locked (twintrack.approvals)
    return _write_batches(tuples, partial(write_progress_batch, keep=keep), reason, user,
                          months_of=lambda batch: {(t[1], t[2]) for t in batch})


@dataclass
class TargetValues:
    org_id: int
    metric: str
    year: int
    through_month: int
    value: Decimal


@transaction.atomic
def save_targets(rows: Iterable[TargetValues], reason: str = "", user=None) -> WriteResult:
    rows = list(rows)
    existing = {
        (t.org_id, t.metric, t.year, t.through_month): t
        for t in Target.objects.filter(org_id__in={r.org_id for r in rows}, year__in={r.year for r in rows})
    }
    to_create, to_update, unchanged = [], [], 0
    for values in rows:
        target = existing.get((values.org_id, values.metric, values.year, values.through_month))
        if target is None:
            to_create.append(Target(org_id=values.org_id, metric=values.metric, year=values.year,
                                    through_month=values.through_month, value=values.value))
        elif target.value != values.value:
            target.value = values.value
            to_update.append(target)
        else:
            unchanged += 1
    _write_with_history(Target, to_create, to_update, ("value",), reason, user)
    return WriteResult(len(to_create), len(to_update), unchanged)


@transaction.atomic
def remove_progress(progress, reason: str, user=None) -> None:
    """Delete one month's figures of a project, the way an import would change them: refused
    for an approved (locked) month, the history keeping who, when, why and the old values
    (a '-' row), the rollups recomputed for the project around the delete."""
    project = progress.project
    refuse_locked({(project.enterprise.org_id, progress.year, progress.month)})
    with ContributionsMove({"id": project.id}):
        progress._history_user = user
        progress._change_reason = reason[:100] or None
        progress.delete()
    hooks.bump_data_version({project.enterprise.org_id})
