"""SQLite as a real default (issue 20, point 1): writers queue instead of failing, readers
never wait for them, and a lock that cannot be had is "database busy" with exit 2."""
import sqlite3
from decimal import Decimal

from ops_helpers import (DISTRICTS, MONTH, copy_sqlite_site, in_background, ok, outcome, project_codes, report_json,
                         start, twintrack, write_progress)


def test_settings_make_sqlite_queue_writers(settings):
    options = settings.DATABASES["default"]["OPTIONS"]
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert options["transaction_mode"] == "IMMEDIATE"
        assert options["timeout"] == 30
        assert "journal_mode=WAL" in options["init_command"]
        assert "synchronous=NORMAL" in options["init_command"]


def test_four_concurrent_district_imports_all_land_with_exact_totals(demo_site, tmp_path):
    env = copy_sqlite_site(demo_site, tmp_path / "site")
    year = MONTH[0]
    months = [(year, m) for m in range(1, MONTH[1] + 1)]
    totals, rows = {}, {}
    for i, district in enumerate(DISTRICTS):
        codes = project_codes(env, district)
        rows[district] = len(codes) * len(months)
        totals[district] = write_progress(tmp_path / f"{district}.csv", codes, months, seed=i)
    imports = [start(env, "import", "progress", tmp_path / f"{district}.csv") for district in DISTRICTS]
    outcomes = [outcome(proc) for proc in imports]

    for (code, out, err), district in zip(outcomes, DISTRICTS):
        assert code == 0, f"{district}: exit {code}\n{out}\n{err}"
        assert f"progress: {rows[district]} rows read, {rows[district]} created" in out
    report = report_json(env, f"{year}-{MONTH[1]:02d}")
    children = {child["org"]["code"]: child["metrics"] for child in report["children"]}
    for district in DISTRICTS:
        assert Decimal(str(children[district]["investment_yuan"]["actual"])) == totals[district]
        assert Decimal(str(children[district]["energy_saved_tce"]["actual"])) == Decimal("0.5") * rows[district]
    assert Decimal(str(report["metrics"]["investment_yuan"]["actual"])) == sum(totals.values())
    ok(twintrack(env, "verify-rollups"))


def test_reports_succeed_while_a_large_import_writes(demo_site, tmp_path):
    env = copy_sqlite_site(demo_site, tmp_path / "site")
    codes = [code for district in DISTRICTS for code in project_codes(env, district)]
    write_progress(tmp_path / "large.csv", codes, [(2025, m) for m in range(1, 13)])
    expected = ok(twintrack(env, "report", "--period", "2023-07", "--format", "json"))

    importing, result = in_background(env, "import", "progress", tmp_path / "large.csv")
    during = []
    while importing.is_alive():
        done = twintrack(env, "report", "--period", "2023-07", "--format", "json")
        during.append((done.returncode, done.stdout == expected, done.stderr))
    ok(result["done"])
    assert during, "the import ended before a report could run"
    assert all(code == 0 and same for code, same, _ in during), during


def test_a_lock_held_past_the_timeout_is_database_busy_exit_2(demo_site, tmp_path):
    env = copy_sqlite_site(demo_site, tmp_path / "site")
    write_progress(tmp_path / "nanhu.csv", project_codes(env, DISTRICTS[0]), [MONTH])
    env["TWINTRACK_SQLITE_TIMEOUT"] = "0.5"
    holder = sqlite3.connect(tmp_path / "site" / "twintrack.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer that does not let go
    try:
        english = twintrack(env, "import", "progress", tmp_path / "nanhu.csv")
        chinese = twintrack(env, "import", "progress", tmp_path / "nanhu.csv", "--lang", "zh")
        report = twintrack(env, "report", "--period", "2023-07", "--format", "json")  # a reader is not held up
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert english.returncode == 2 and chinese.returncode == 2
    assert english.stderr.startswith("error: database busy, try again"), english.stderr
    assert "internal error" not in english.stderr + chinese.stderr
    assert "数据库正忙" in chinese.stderr, chinese.stderr
    assert report.returncode == 0, report.stderr
    ok(twintrack(env, "import", "progress", tmp_path / "nanhu.csv"))  # and once it is free, it goes through
