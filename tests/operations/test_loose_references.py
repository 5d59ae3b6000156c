"""The references the application keeps without a database constraint (the progress table's
project, its history's user) are checked by `check-data` instead, on both engines."""
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.utils import translation

from twintrack.operations.checks import check_data, loose_references, missing_references
from twintrack.programme.models import Progress


def test_the_progress_tables_references_are_the_loose_ones():
    found = {(model._meta.db_table, field.name) for model, field in loose_references()}
    assert ("programme_progress", "project") in found
    assert ("programme_historicalprogress", "history_user") in found
    assert ("programme_historicalprogress", "project") not in found  # history may outlive its project


def test_a_progress_row_of_a_missing_project_is_found(project_factory):
    project = project_factory()
    Progress.objects.create(project=project, year=2023, month=4, investment_yuan=Decimal(100))
    assert missing_references() == []
    with connection.cursor() as cursor:
        cursor.execute("UPDATE programme_progress SET project_id = %s WHERE project_id = %s", [project.id + 10_000, project.id])
    with translation.override("en"):
        assert missing_references() == ["table programme_progress: 1 rows refer to a missing row of programme_project"]
        assert any("missing row of programme_project" in line for line in check_data().problems)
    with translation.override("zh-hans"):
        assert "programme_project" in missing_references()[0] and "rows refer" not in missing_references()[0]


def test_a_project_with_progress_still_cannot_be_deleted(project_factory):
    project = project_factory()
    Progress.objects.create(project=project, year=2023, month=4, investment_yuan=Decimal(100))
    with pytest.raises(ProtectedError):
        project.delete()
