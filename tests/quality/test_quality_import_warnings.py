"""`twintrack import` prints the findings its rows raise, after the summary, and exits 0."""
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def import_csv(tmp_path, text, *extra):
    path = tmp_path / "progress.csv"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import", "progress", str(path), *extra, stdout=out)
    return out.getvalue().splitlines()


def test_import_prints_a_warning_for_each_finding_after_the_summary(make_project, tmp_path):
    make_project("P1", planned=100)
    make_project("P2")
    lines = import_csv(tmp_path, "project_code,month,investment_yuan\n"
                                 "P2,2023-05,9\nP2,2023-06,9\nP1,2023-06,100\nP2,2023-07,9\nP1,2023-07,51\n")
    assert lines[0].startswith("progress: 5 rows read, 5 created")
    assert lines[1:] == [
        "warning: row 5, column investment_yuan: 9 yuan is exactly the same as in each of the months before "
        "[repeated]",
        "warning: row 6, column investment_yuan: investment to date 151 yuan is more than 150 yuan, the planned "
        "investment times the rule's factor [over_plan]",
    ]


def test_rows_that_raise_nothing_print_no_warning(make_project, tmp_path):
    make_project("P1", planned=100)
    lines = import_csv(tmp_path, "project_code,month,investment_yuan\nP1,2023-07,150\n")
    assert len(lines) == 1


def test_a_dry_run_warns_too_and_writes_nothing(make_project, tmp_path):
    from twintrack.programme.models import Progress

    make_project("P1", planned=100)
    lines = import_csv(tmp_path, "project_code,month,investment_yuan\nP1,2023-07,151\n", "--dry-run")
    assert lines[1].endswith("[over_plan]")
    assert not Progress.objects.exists()


def test_the_command_line_exits_0_with_warnings(tmp_path):
    import os
    import subprocess
    import sys

    from tests_quality_uscc import uscc_for

    env = {**os.environ, "TWINTRACK_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}

    def twintrack(*args):
        return subprocess.run([sys.executable, "-m", "twintrack.cli", *args], capture_output=True, text=True,
                              env=env, cwd=tmp_path)

    files = {
        "orgunits": "code,name_zh,kind,parent_code\n330400,嘉兴市,city,\n",
        "enterprises": f"uscc,name_zh,org_code,industry_code\n{uscc_for('330400')},甲,330400,3311\n",
        "projects": "code,uscc,title,kind,start_date,status,planned_investment_yuan\n"
                    f"P1,{uscc_for('330400')},甲项目,digital,2023-01-01,in_progress,100\n",
        "progress": "project_code,month,investment_yuan\nP1,2023-07,151\n",
    }
    assert twintrack("init").returncode == 0
    for kind, text in files.items():
        (tmp_path / f"{kind}.csv").write_text(text, encoding="utf-8")
        done = twintrack("import", kind, f"{kind}.csv")
        assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith("warning: row 2, column investment_yuan: ")
    assert done.stdout.splitlines()[-1].endswith(" [over_plan]")


def test_two_rules_on_one_row_give_two_warnings(make_project, put, tmp_path):
    p = make_project("P1", planned=100)
    for period in ("2023-05", "2023-06"):
        put(p, period, 60)
    lines = import_csv(tmp_path, "project_code,month,investment_yuan\nP1,2023-07,60\n")
    assert [line.rsplit(" ", 1)[-1] for line in lines[1:]] == ["[over_plan]", "[repeated]"]


def test_findings_of_projects_not_in_the_file_are_not_its_warnings(make_project, put, tmp_path):
    other = make_project("P2", planned=100)
    put(other, "2023-07", 1000)  # already flagged, but not by this file
    make_project("P1")
    lines = import_csv(tmp_path, "project_code,month,investment_yuan\nP1,2023-07,5\n")
    assert len(lines) == 1


def test_a_fault_in_the_checks_never_costs_the_import(make_project, tmp_path):
    from twintrack.web.import_kinds import import_file
    from twintrack.programme.models import Progress

    def broken(written):
        raise RuntimeError("boom")

    make_project("P1")
    path = tmp_path / "progress.csv"
    path.write_text("project_code,month,investment_yuan\nP1,2023-07,5\n", encoding="utf-8")
    result = import_file("progress", str(path), warn=broken)
    assert result.created == 1 and Progress.objects.count() == 1
    assert len(result.warnings) == 1 and result.warnings[0].startswith("warning: ")


def test_a_file_writing_to_many_units_is_evaluated_once_over_their_common_ancestor():
    from twintrack.quality.warnings import common_ancestor

    assert common_ancestor(["/1/2/5/", "/1/2/7/", "/1/3/"]) == "/1/"
    assert common_ancestor(["/1/2/5/", "/1/2/7/"]) == "/1/2/"
    assert common_ancestor(["/1/2/"]) == "/1/2/"
    assert common_ancestor(["/1/", "/4/"]) == "/"
