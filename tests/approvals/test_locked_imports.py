"""An import into a locked month is refused row by row, like any other bad cell."""
import io

import pytest

from twintrack.approvals.services import approve, submit
from twintrack.imports.importer import ImportRejected
from twintrack.web.import_kinds import import_file

YEAR = 2023


def csv_file(text: str) -> io.BytesIO:
    handle = io.BytesIO(text.encode("utf-8"))
    handle.name = "progress.csv"
    return handle


def test_a_progress_row_for_an_approved_month_is_a_row_error_and_nothing_is_written(units, people, progress):
    from twintrack.programme.models import Progress

    submit(units["330402"], YEAR, 3, people["nanhu"])
    approve(units["330402"], YEAR, 3, people["bureau"])
    upload = csv_file("project_code,month,investment_yuan\nP1,2023-04,7\nP1,2023-03,9\n")
    with pytest.raises(ImportRejected) as rejected:
        import_file("progress", upload, user=people["nanhu"])
    assert rejected.value.messages == [
        "row 3, column month: 2023-03 is approved for 南湖区 and locked; the bureau can reopen it"]
    assert sorted(Progress.objects.values_list("month", "investment_yuan")) == [(3, 1000000), (4, 2000000)]


def test_after_reopening_the_same_file_goes_in(units, people, progress):
    from twintrack.approvals.services import reopen

    submit(units["330402"], YEAR, 3, people["nanhu"])
    approve(units["330402"], YEAR, 3, people["bureau"])
    reopen(units["330402"], YEAR, 3, people["bureau"], "late correction")
    result = import_file("progress", csv_file("project_code,month,investment_yuan\nP1,2023-03,9\n"),
                         user=people["nanhu"])
    assert result.updated == 1


def test_a_district_cannot_import_into_another_districts_projects(units, people, progress):
    upload = csv_file("project_code,month,investment_yuan\nP1,2023-05,7\n")
    with pytest.raises(ImportRejected) as rejected:
        import_file("progress", upload, user=people["pinghu"])
    assert rejected.value.messages == ['row 2, column project_code: no project has code "P1"']


def test_targets_are_for_the_bureau_only(units, people):
    upload = csv_file("org_code,metric,year,through_month,value\n330402,projects,2023,12,5\n")
    with pytest.raises(ImportRejected) as rejected:
        import_file("targets", upload, user=people["nanhu"])
    assert "may not set targets" in rejected.value.messages[0]
    assert import_file("targets", upload, user=people["bureau"]).created == 1


def test_an_enterprise_goes_only_under_a_unit_the_district_sees(units, people, industry_codes):
    from approval_helpers import valid_uscc

    upload = csv_file(f"uscc,name_zh,org_code,industry_code\n{valid_uscc(7)},甲,330482,3311\n"
                      f"{valid_uscc(8)},乙,330402,3311\n")
    with pytest.raises(ImportRejected) as rejected:
        import_file("enterprises", upload, user=people["nanhu"])
    assert rejected.value.messages == ['row 2, column org_code: no org unit has code "330482"']
