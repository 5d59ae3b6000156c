"""An import's warnings evaluate only the rows the file wrote (`Written.project_months`), and
give exactly the lines the whole-unit evaluation gives (every month written, over each top unit
or their common ancestor), on both import paths, for a partial file and one over many units."""
import dataclasses
from datetime import date

import pytest

pytestmark = pytest.mark.django_db

UNITS = [f"3304{n:02d}" for n in range(10, 20)]
SPACED_NOTE = " 备注"  # not stored as given (the space goes): the column fast path leaves it to the general one  # ten districts: more than warnings.MANY_UNITS


@pytest.fixture
def districts(city):
    from twintrack.orgs.services import OrgValues, save_orgunits

    save_orgunits([OrgValues(code, f"区{code}", f"District {code}", "district", "330400") for code in UNITS])
    return UNITS


@pytest.fixture
def flagged(districts, make_project, put):
    """In each district: projects that over_plan, repeated, spike and after_completion flag in
    2023-07 (with earlier history), one that nothing flags, and one flagged but never in a file."""
    for unit in districts:
        a = make_project(f"A{unit}", org=unit, planned=100)
        put(a, "2023-05", 60)
        put(a, "2023-06", 50)
        b = make_project(f"B{unit}", org=unit)
        put(b, "2023-05", 9)
        put(b, "2023-06", 9)
        c = make_project(f"C{unit}", org=unit)
        for month, amount in (("2023-03", 10), ("2023-04", 11), ("2023-05", 12), ("2023-06", 13)):
            put(c, month, amount)
        make_project(f"D{unit}", org=unit, status="completed", end=date(2022, 12, 31))
        make_project(f"E{unit}", org=unit)
        other = make_project(f"F{unit}", org=unit, planned=100)
        put(other, "2023-07", 1000)
    return districts


def rows_for(units, months=("2023-07", "2023-08")):
    amounts = {"A": "45", "B": "9", "C": "1000", "D": "5", "E": "5"}
    return [(f"{kind}{unit}", month, amount) for unit in units for month in months
            for kind, amount in amounts.items()]


def import_both_ways(tmp_path, rows, note=""):
    """Import the rows; answer (what the file's rows gave, what the whole units gave, the table read)."""
    from twintrack.quality.warnings import import_warnings
    from twintrack.web.import_kinds import import_file

    seen = []

    def both(written):
        assert written.project_months
        by_rows = import_warnings(written)
        seen.append((by_rows, import_warnings(dataclasses.replace(written, project_months=None)),
                     written.project_months))
        return by_rows

    path = tmp_path / "progress.csv"
    lines = [f"{code},{month},{amount},{note}" for code, month, amount in rows]
    path.write_text("project_code,month,investment_yuan,note\n" + "\n".join(lines) + "\n", encoding="utf-8")
    result = import_file("progress", str(path), warn=both)
    assert result.warnings == seen[0][0]
    return seen[0]


def rules_of(lines):
    return sorted({line.rsplit(" ", 1)[-1] for line in lines})


@pytest.mark.parametrize("note", ["", SPACED_NOTE], ids=["fast path", "general path"])
def test_a_file_over_many_units_warns_as_the_whole_units(flagged, tmp_path, note):
    from twintrack.programme import bulk

    by_rows, whole, table = import_both_ways(tmp_path, rows_for(flagged), note)
    assert table == (bulk.PROGRESS.stage if not note else bulk.KEPT)
    assert by_rows == whole
    assert rules_of(by_rows) == ["[after_completion]", "[over_plan]", "[repeated]", "[spike]"]
    assert not any(f"F{unit}" in line for line in by_rows for unit in flagged)
    assert len(by_rows) == len(flagged) * 8  # A, B, C, D in each month


@pytest.mark.parametrize("note", ["", SPACED_NOTE], ids=["fast path", "general path"])
def test_a_partial_file_warns_as_the_whole_unit(flagged, tmp_path, note):
    rows = [row for row in rows_for(flagged[:1], ("2023-07",)) if row[0][0] in "AC"]
    by_rows, whole, _table = import_both_ways(tmp_path, rows, note)
    assert by_rows == whole
    assert rules_of(by_rows) == ["[over_plan]", "[spike]"]


def test_the_rows_of_a_month_give_the_findings_of_its_unit(flagged, put):
    """findings_of_rows over every row of a month finds what findings_for finds over the unit."""
    from django.db import connection

    from twintrack.programme.models import Progress, Project
    from twintrack.quality.evaluate import Scope, findings_for, findings_of_rows

    for code, month, amount in rows_for(flagged, ("2023-07",)):
        put(Project.objects.get(code=code), month, amount)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE tt_test_rows (project_id BIGINT, year INTEGER, month INTEGER)")
        cursor.executemany("INSERT INTO tt_test_rows VALUES (%s, %s, %s)",
                           list(Progress.objects.filter(year=2023, month=7).values_list("project_id", "year", "month")))
    key = lambda f: (f.rule, f.project, f.value, f.threshold)  # noqa: E731
    whole = [key(f) for f in findings_for(2023, 7, Scope("/"))]
    assert [key(f) for f in findings_of_rows("tt_test_rows", 2023, 7)] == whole
    assert {f[0] for f in whole} == {"over_plan", "repeated", "spike", "after_completion"}


def test_a_month_of_many_rows_is_evaluated_over_its_units_with_the_same_warnings(flagged, tmp_path, monkeypatch):
    """A month-end file (MANY_ROWS rows of a month or more) is evaluated over its units' month."""
    from twintrack.quality import evaluate, warnings

    evaluated = []
    monkeypatch.setattr(warnings, "MANY_ROWS", len(flagged) * 5)  # the file's month has this many rows
    monkeypatch.setattr(warnings, "findings_of_rows",
                        lambda *args: evaluated.append(args) or evaluate.findings_of_rows(*args))
    by_rows, whole, _table = import_both_ways(tmp_path, rows_for(flagged, ("2023-07",)))
    assert by_rows == whole and len(by_rows) == len(flagged) * 4
    assert evaluated == []


def test_a_file_of_several_months_is_evaluated_in_one_pass(flagged, tmp_path, monkeypatch):
    from twintrack.quality import evaluate, warnings

    passes = []
    monkeypatch.setattr(warnings, "findings_of_table",
                        lambda table: passes.append(table) or evaluate.findings_of_table(table))
    by_rows, whole, table = import_both_ways(tmp_path, rows_for(flagged))
    assert passes == [table]
    assert by_rows == whole and len(by_rows) == len(flagged) * 8
