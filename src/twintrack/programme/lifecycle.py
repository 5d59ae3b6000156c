"""Deleting without deleting: enterprises and projects are deactivated, never removed.

A deactivated project counts nowhere: not as launched (like a cancelled one) and not with
its progress or energy lines, which leave the rollups with it (`contributions_of_projects`
only sees active projects). Deactivating an enterprise deactivates its active projects at
the same moment, and restoring it restores those. Every change is a history row with who,
when and why; a project whose figures fall in an approved (locked) month cannot be
deactivated until the bureau reopens that month.

The import kinds refuse rows that would write to a deleted record (`refuse_deleted_*`, in
the kinds' `row_checks`).
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from twintrack import hooks
from twintrack.approvals.services import refuse_locked
from twintrack.enterprises.importing import deleted_enterprise_reason
from twintrack.enterprises.models import Enterprise
from twintrack.imports.kinds import good_records, refuse_inactive
from twintrack.programme.contributions import ContributionsMove, contributions_of_projects
from twintrack.programme.models import Project

FIELDS = ["is_active", "deleted_at"]


def _set(model, objects: list, active: bool, when, reason: str, user) -> None:
    for obj in objects:
        obj.is_active, obj.deleted_at = active, (None if active else when)
    if objects:
        hooks.bump_data_version(_units_of(model, objects))  # bulk history writes send no signal
        bulk_update_with_history(objects, model, FIELDS, default_user=user, default_change_reason=reason[:100])


def _units_of(model, objects: list) -> set[int]:
    if model is Enterprise:
        return {enterprise.org_id for enterprise in objects}
    return set(Enterprise.objects.filter(projects__in=[p.id for p in objects]).values_list("org_id", flat=True))


def _refuse_locked_figures(project_ids: list[int]) -> None:
    """Deactivating or restoring changes every month the projects have figures in."""
    contributions = contributions_of_projects({"id__in": project_ids}) if project_ids else {}
    refuse_locked(key for key, totals in contributions.items() if totals)


@transaction.atomic
def deactivate_projects(projects, reason: str, user=None) -> int:
    projects = [p for p in projects if p.is_active]
    ids = [p.id for p in projects]
    _refuse_locked_figures(ids)
    with ContributionsMove({"id__in": ids}):
        _set(Project, projects, False, timezone.now(), reason, user)
    return len(projects)


@transaction.atomic
def restore_projects(projects, reason: str, user=None) -> int:
    projects = [p for p in projects if not p.is_active]
    ids = [p.id for p in projects]
    with ContributionsMove({"id__in": ids}):
        _set(Project, projects, True, None, reason, user)
    _refuse_locked_figures(ids)  # after: only active projects have contributions
    return len(projects)


@transaction.atomic
def deactivate_enterprise(enterprise: Enterprise, reason: str, user=None) -> int:
    """Deactivate the enterprise and its active projects; returns how many projects went with it."""
    when = timezone.now()
    projects = list(enterprise.projects.filter(is_active=True))
    ids = [p.id for p in projects]
    _refuse_locked_figures(ids)
    with ContributionsMove({"id__in": ids}):
        _set(Project, projects, False, when, reason, user)
    _set(Enterprise, [enterprise], False, when, reason, user)
    return len(projects)


@transaction.atomic
def restore_enterprise(enterprise: Enterprise, reason: str, user=None) -> int:
    """Restore the enterprise and the projects that were deactivated with it."""
    if enterprise.is_active:
        return 0
    projects = list(enterprise.projects.filter(is_active=False, deleted_at=enterprise.deleted_at))
    _set(Enterprise, [enterprise], True, None, reason, user)
    return restore_projects(projects, reason, user)


# --- import row checks: nothing is written to a deleted record ------------------------------

def _deleted_project(code: str) -> str:
    return _("project %(code)s has been deleted; the bureau can restore it") % {"code": code}


def refuse_deleted_project_rows(records, ctx) -> None:
    """progress and energy rows for a deleted project."""
    refuse_inactive(good_records(records), ctx, Project, "id", lambda r: r.out.project_id, "project_code",
                    lambda r: _deleted_project(r.values.get("project_code", "")))


def refuse_deleted_in_projects(records, ctx) -> None:
    """projects rows that update a deleted project or attach one to a deleted enterprise."""
    good = good_records(records)  # both checks see the same rows: one row may have both problems
    refuse_inactive(good, ctx, Project, "code", lambda r: r.out.code, "code", lambda r: _deleted_project(r.out.code))
    refuse_inactive(good, ctx, Enterprise, "id", lambda r: r.out.enterprise_id, "uscc",
                    lambda r: deleted_enterprise_reason(r.values.get("uscc", "")))

