"""The progress kind's column fast path (programme/fastprogress.py) against the general path:
a clean file gives the same rows, counts, history and rollups; a file with anything wrong
goes the general way and gets the general path's exact messages."""
from datetime import date

import pytest

from twintrack.metrics.rollups import rollup_differences
from twintrack.programme import fastprogress
from twintrack.programme.models import Progress
from twintrack.web.import_kinds import import_file

pytestmark = pytest.mark.django_db

HEADER = ["project_code", "month", "investment_yuan", "energy_saved_tce", "note"]


@pytest.fixture
def projects(project_factory):
    return [project_factory(code=f"P{i:03d}", start=date(2023, 1, 5)) for i in range(6)]


@pytest.fixture
def general_only(monkeypatch):
    def off():
        monkeypatch.setattr(fastprogress, "import_columns", lambda *args, **kwargs: None)
    return off


def state(after: int = 0):
    """The progress rows, and the history rows written after history id `after`."""
    rows = sorted(Progress.objects.values_list("project__code", "year", "month", "investment_yuan",
                                               "energy_saved_tce", "note"))
    history = sorted(Progress.history.filter(history_id__gt=after).values_list("project_id", "year", "month", "investment_yuan",
                                                  "energy_saved_tce", "history_type", "history_change_reason"))
    return rows, history


FIRST = [HEADER, ["P000", "2023-03", "100.5", "1.25", ""], ["P001", "2023-03", "0", "", "ok"],
         ["P002", "2023-04", "12345678.99", "0.000001", ""], ["P003", "2023-03", "7", "", ""]]
SECOND = [HEADER, ["P000", "2023-03", "100.50", "1.250", ""], ["P001", "2023-03", "1", "", "ok"],
          ["P004", "2023-05", "3", "2", "a/b"], ["P003", "2023-03", "7", "", ""]]


def run_both(write_csv, after: int = 0):
    counts = []
    for rows in (FIRST, SECOND, SECOND):
        r = import_file("progress", write_csv(rows), reason="test")
        counts.append((r.rows_read, r.created, r.updated, r.unchanged))
    return counts, state(after), rollup_differences()


def test_a_clean_file_gives_the_same_rows_counts_history_and_rollups_either_way(
        projects, write_csv, calls, general_only):
    fast = run_both(write_csv)
    assert calls == {"fast": 3, "declined": 0}
    assert fast[0] == [(4, 4, 0, 0), (4, 1, 1, 2), (4, 0, 0, 4)]
    assert fast[2] == []  # the rollups agree with the rows (verify-rollups)
    Progress.objects.all().delete()  # (its '-' history rows are left out below)
    from twintrack import hooks
    hooks.rebuild_rollups()
    general_only()
    general = run_both(write_csv, after=Progress.history.order_by("-history_id").first().history_id)
    assert general[0] == fast[0]
    assert general[1][0] == fast[1][0]
    assert general[1][1] == fast[1][1]
    assert general[2] == []


NOTES = ["mixed load 3", "第一季度 设备到位，已验收", "（备注）《月报》", "a/b"]


def test_notes_in_words_go_the_fast_way_and_are_stored_as_the_general_path_stores_them(
        projects, write_csv, calls, general_only):
    rows = [HEADER] + [[f"P00{i}", "2023-03", "1", "", note] for i, note in enumerate(NOTES)]
    import_file("progress", write_csv(rows), reason="test")
    assert calls == {"fast": 1, "declined": 0}
    fast = state()[0]
    Progress.objects.all().delete()
    general_only()
    import_file("progress", write_csv(rows), reason="test")
    assert state()[0] == fast and [row[-1] for row in fast] == NOTES


BAD_FILES = {
    "unknown project": [HEADER, ["P000", "2023-03", "1", "", ""], ["P999", "2023-03", "1", "", ""]],
    "duplicate": [HEADER, ["P000", "2023-03", "1", "", ""], ["P000", "2023-03", "2", "", ""]],
    "before the start": [HEADER, ["P000", "2022-12", "1", "", ""]],
    "not plain": [HEADER, ["P000", "2023/03", "1,000", "", ""], ["P001", "2023-03", "x", "", ""]],
    "future month": [HEADER, ["P000", "2099-01", "1", "", ""]],
    "total row": [HEADER, ["P000", "2023-03", "1", "", ""], ["Total", "", "1", "", ""]],
    "short row": [HEADER, ["P000", "2023-03", "1"]],
    "long code": [HEADER, ["P000", "2023-03", "1", "", ""], ["P" * 80, "2023-03", "1", "", ""]],
    "note with spaces around": [HEADER, ["P000", "2023-03", "1", "", " 备注\u3000"], ["P001", "2023-03", "1", "", "x\u200b"]],
    "note with a tab": [HEADER, ["P000", "2023-03", "1", "", "a\tb"]],
    "long note": [HEADER, ["P000", "2023-03", "1", "", "备" * 501]],
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_file_the_fast_path_declines_gets_the_general_paths_outcome(case, projects, write_csv, calls,
                                                                      monkeypatch):
    from twintrack.imports.errors import ImportRejected

    def outcome():
        try:
            r = import_file("progress", write_csv(BAD_FILES[case]))
            return ("imported", r.rows_read, r.created + r.updated + r.unchanged, r.notes)
        except ImportRejected as rejected:
            return ("rejected", list(rejected.messages))

    first = outcome()
    assert calls["fast"] == 0
    monkeypatch.setattr(fastprogress, "import_columns", lambda *args, **kwargs: None)
    assert outcome() == first
    assert state()[0] == [] or first[0] == "imported"


def test_a_deleted_project_is_refused_with_the_general_message(projects, write_csv, calls,
                                                                                   rejected):
    from twintrack.programme.models import Project

    Project.objects.filter(code="P001").update(is_active=False)
    messages = rejected("progress", write_csv([HEADER, ["P000", "2023-03", "1", "", ""],
                                               ["P001", "2023-03", "1", "", ""]]))
    assert calls["fast"] == 0 and len(messages) == 1 and messages[0].startswith("row 3, column project_code:")
    assert Progress.objects.count() == 0


def test_a_dry_run_through_the_fast_path_writes_nothing(projects, write_csv, calls):
    r = import_file("progress", write_csv(FIRST), dry_run=True)
    assert calls["fast"] == 1 and (r.created, r.dry_run) == (4, True)
    assert Progress.objects.count() == 0 and Progress.history.count() == 0


def test_a_clean_workbook_goes_the_fast_way_and_gives_what_its_csv_gives(projects, write_csv, write_xlsx, calls):
    rows = [HEADER, ["P000", "2023-03", 100.5, 1.25, None], ["P001", "2023-03", 0, None, "ok"],
            ["P002", "2023-04", 12345678.99, 0.000001, None]]
    r = import_file("progress", write_xlsx(rows, sheet="进度"))
    assert calls == {"fast": 1, "declined": 0} and (r.rows_read, r.created) == (3, 3)
    again = import_file("progress", write_csv([HEADER, ["P000", "2023-03", "100.50", "1.25", ""],
                                               ["P001", "2023-03", "0", "", "ok"],
                                               ["P002", "2023-04", "12345678.99", "0.000001", ""]]))
    assert (again.unchanged, calls["fast"]) == (3, 2)


def test_a_workbook_with_a_formula_goes_the_general_way_and_names_the_cell(projects, write_xlsx, calls, rejected):
    rows = [HEADER, ["P000", "2023-03", "=1+1", None, None]]
    messages = rejected("progress", write_xlsx(rows))
    assert calls["fast"] == 0
    assert messages == ["row 2, column investment_yuan: formula without a saved result; open and save the file "
                        "in Excel/WPS"]


def test_a_workbook_with_a_month_as_a_date_cell_goes_the_general_way(projects, write_xlsx, calls):
    from datetime import datetime

    r = import_file("progress", write_xlsx([HEADER, ["P000", datetime(2023, 3, 1), 5, None, None]]))
    assert calls == {"fast": 0, "declined": 0} and r.created == 1
    assert Progress.objects.get().month == 3
