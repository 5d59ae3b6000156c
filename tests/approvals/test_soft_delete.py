"""Nothing is hard-deleted: enterprises and projects are deactivated, leave the rollups and
come back when restored; a project with figures in a locked month stays until it is reopened."""
from datetime import date
from decimal import Decimal

import pytest

from twintrack.approvals.services import MonthLocked, approve, submit
from twintrack.metrics.report import report_for_period
from twintrack.metrics.rollups import rollup_differences
from twintrack.programme.lifecycle import (
    deactivate_enterprise, deactivate_projects, restore_enterprise, restore_projects,
)

YEAR = 2023


def city_figures(units):
    report = report_for_period(units["330400"], YEAR, 6)
    return report["metrics"]["projects"]["actual"], report["metrics"]["investment_yuan"]["actual"]


def test_a_deactivated_project_leaves_the_rollups_and_comes_back(units, people, progress):
    from twintrack.programme.models import Project

    project = Project.objects.get(code="P1")
    assert city_figures(units) == (1, 3000000.0)
    deactivate_projects([project], "entered twice", people["nanhu"])
    project.refresh_from_db()
    assert not project.is_active and project.deleted_at is not None
    assert city_figures(units) == (0, 0.0)
    assert rollup_differences() == []
    latest = project.history.latest()
    assert (latest.is_active, latest.history_user, latest.history_change_reason) == (
        False, people["nanhu"], "entered twice")
    restore_projects([project], "not a duplicate after all", people["bureau"])
    assert city_figures(units) == (1, 3000000.0)
    assert rollup_differences() == []


def test_deactivating_an_enterprise_takes_its_projects_and_restoring_brings_them_back(units, people, progress,
                                                                                     enterprise):
    deactivate_enterprise(enterprise, "closed", people["bureau"])
    assert city_figures(units) == (0, 0.0)
    assert not enterprise.projects.filter(is_active=True).exists()
    restore_enterprise(enterprise, "reopened", people["bureau"])
    enterprise.refresh_from_db()
    assert enterprise.is_active and city_figures(units) == (1, 3000000.0)
    assert rollup_differences() == []


def test_a_project_with_figures_in_a_locked_month_cannot_be_deactivated(units, people, progress):
    from twintrack.programme.models import Project

    submit(units["330402"], YEAR, 4, people["nanhu"])
    approve(units["330402"], YEAR, 4, people["bureau"])
    with pytest.raises(MonthLocked):
        deactivate_projects([Project.objects.get(code="P1")], "oops", people["nanhu"])
    assert Project.objects.get(code="P1").is_active


def test_imports_refuse_rows_for_deleted_projects(units, people, progress):
    import io

    from twintrack.imports.importer import ImportRejected
    from twintrack.web.import_kinds import import_file
    from twintrack.programme.models import Project

    deactivate_projects([Project.objects.get(code="P1")], "gone", people["bureau"])
    upload = io.BytesIO(b"project_code,month,investment_yuan\nP1,2023-05,7\n")
    upload.name = "progress.csv"
    with pytest.raises(ImportRejected) as rejected:
        import_file("progress", upload)
    assert rejected.value.messages == [
        "row 2, column project_code: project P1 has been deleted; the bureau can restore it"]


def test_a_new_project_keeps_rollups_exact_next_to_a_deleted_one(units, people, progress, project_factory):
    from twintrack.programme.models import Project

    deactivate_projects([Project.objects.get(code="P1")], "gone", people["bureau"])
    project_factory("P9", start=date(YEAR, 5, 2))
    assert city_figures(units) == (1, 0.0)
    assert rollup_differences() == []
