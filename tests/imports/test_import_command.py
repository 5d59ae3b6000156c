"""`twintrack import KIND FILE` as users and scripts run it: exit status, output, no traceback."""
import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

TWINTRACK = Path(sys.executable).parent / "twintrack"


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A fresh SQLite database initialised by `twintrack init`, shared by this module's tests."""
    folder = tmp_path_factory.mktemp("cli")
    env = dict(os.environ, TWINTRACK_DATABASE_URL=f"sqlite:///{folder / 'cli.sqlite3'}",
               TWINTRACK_VAR_DIR=str(folder / "var"))
    subprocess.run([str(TWINTRACK), "init"], env=env, check=True, capture_output=True, cwd=folder)
    return folder, env


def run(database, *args):
    folder, env = database
    return subprocess.run([str(TWINTRACK), *map(str, args)], env=env, capture_output=True, text=True, cwd=folder)


def write(folder, name, rows, encoding="utf-8"):
    path = folder / name
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_a_good_file_exits_0_with_a_one_line_summary(database):
    folder, _ = database
    path = write(folder, "orgs.csv", [["代码", "名称", "类型", "上级代码"], ["330400", "嘉兴市", "市", ""],
                                      ["330402", "南湖区", "区", "330400"]], encoding="gbk")
    first = run(database, "import", "orgunits", path)
    assert (first.returncode, first.stdout, first.stderr) == (
        0, "orgunits: 2 rows read, 2 created, 0 updated, 0 unchanged\n", "")
    second = run(database, "import", "orgunits", path)
    assert second.stdout == "orgunits: 2 rows read, 0 created, 0 updated, 2 unchanged\n"


def test_a_bad_file_exits_2_listing_every_problem_without_a_traceback(database):
    folder, _ = database
    path = write(folder, "bad.csv", [["code", "name_zh", "kind", "parent_code"], ["330499", "", "town", "330400"],
                                     ["330499", "x", "zone", "330400"]])
    result = run(database, "import", "orgunits", path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "error: row 2, column name_zh: a value is required",
        'row 2, column kind: "town" is not one of: province (省), city (市), district (区), county (县), '
        "county_city (县级市), zone (功能区)",
        "row 3, column code: duplicate of row 2",
        f"nothing was imported: 3 problems in {path}",
    ]
    assert result.stdout == ""


def test_one_problem_is_counted_in_the_singular(database):
    folder, _ = database
    path = write(folder, "one.csv", [["code", "name_zh", "kind", "parent_code"], ["330400", "嘉兴市", "city", ""],
                                      ["330499", "", "zone", "330400"]])
    result = run(database, "import", "orgunits", path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == f"nothing was imported: 1 problem in {path}"


@pytest.mark.parametrize("args, message", [
    (("import", "companies", "x.csv"),
     'error: unknown kind "companies": use one of orgunits, enterprises, targets, projects, progress'),
    (("import", "orgunits", "missing.csv"), "error: missing.csv: no such file"),
    (("import", "orgunits", "notes.txt"), "error: notes.txt: only .csv and .xlsx files can be imported"),
])
def test_file_level_problems_exit_2_with_one_clear_line(database, args, message):
    folder, _ = database
    (folder / "notes.txt").write_text("code\n")
    result = run(database, *args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(message)  # other apps may add kinds after these five


def test_a_corrupt_workbook_exits_2(database):
    folder, _ = database
    (folder / "broken.xlsx").write_bytes(b"not a zip at all")
    result = run(database, "import", "progress", "broken.xlsx")
    assert result.returncode == 2
    assert result.stderr.startswith("error: broken.xlsx is not a readable .xlsx workbook")
    assert "Traceback" not in result.stderr


def test_lang_zh_gives_chinese_messages(database):
    folder, _ = database
    path = write(folder, "zh.csv", [["code", "name_zh", "kind"], ["330401", "", "区"]])
    result = run(database, "import", "orgunits", path, "--lang", "zh")
    assert result.returncode == 2
    assert result.stderr.startswith("error: 第2行")
