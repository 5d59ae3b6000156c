"""The rollups and the data version, as the apps below metrics reach them.

Programme, enterprises and org units write what reports read, so each write keeps the
rollups and the data version exact in the writer's own transaction. These functions are
called synchronously, inside that transaction; the setting TWINTRACK_WRITE_HOOKS names what
answers each one (metrics keeps the Rollup and DataVersion tables, programme knows what
projects contribute). The settings module is where the deployment is put together, so no
app below metrics imports it, and nothing is registered at start-up.
"""
from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string


def _hook(name: str):
    return import_string(settings.TWINTRACK_WRITE_HOOKS[name])


def bump_data_version(org_ids=None, top_bar: bool = True, months=()) -> None:
    """Every write a page can show: cached pages die with it (metrics.version.bump). `org_ids`:
    the units whose data the write changes (their ancestors follow); None: it concerns no unit
    or every unit (the org tree, accounts, reference data). top_bar=False: a write of figures
    alone (progress, projects, a job's state), which no top bar or work queue shows. months:
    the (year, month)s of the progress rows written, when that is all the write changes."""
    _hook("bump_data_version")(org_ids, top_bar=top_bar, months=months)


def apply_rollup_deltas(deltas: dict) -> int:
    """Add {(org_id, year, month): figures.Totals} to the unit and its ancestors (metrics.rollups.apply_deltas)."""
    return _hook("apply_rollup_deltas")(deltas)


def rebuild_rollups() -> int:
    """Recompute every rollup from raw rows, after units move (metrics.rollups.rebuild_rollups)."""
    return _hook("rebuild_rollups")()


def contributions_move(project_filter: dict):
    """A context manager: what the matching projects contribute before, and the difference
    applied after (programme.contributions.ContributionsMove)."""
    return _hook("contributions_move")(project_filter)
