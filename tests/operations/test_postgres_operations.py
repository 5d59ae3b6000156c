"""PostgreSQL (issue 20, points 8, 9 and the self-check): the same file imported twice at once
waits instead of failing, and backup/restore/check-data work through pg_dump and amcheck.
Skipped when no server answers on 127.0.0.1:5432, except in CI, where it must."""
import os
import shutil

import pytest

from ops_helpers import (DISTRICTS, create_postgres_database, drop_postgres_database, make_demo_site, ok, outcome,
                         project_codes, report_json, site_env, start, twintrack, write_progress)

# per process: the SQLite and PostgreSQL passes of `make test` run at the same time
SOURCE, TARGET = f"tw_ops_test_source_{os.getpid()}", f"tw_ops_test_target_{os.getpid()}"


@pytest.fixture(scope="module")
def postgres_site(tmp_path_factory):
    url = create_postgres_database(SOURCE)
    if url is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432, and CI requires it")
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    env = make_demo_site(tmp_path_factory.mktemp("pg") / "site", url)
    yield env
    drop_postgres_database(SOURCE)


def test_the_same_file_imported_twice_at_once_waits_and_ends_well(postgres_site, tmp_path):
    codes = [code for district in DISTRICTS for code in project_codes(postgres_site, district)]
    write_progress(tmp_path / "year.csv", codes, [(2026, m) for m in range(1, 7)])
    rows = len(codes) * 6
    imports = [start(postgres_site, "import", "progress", tmp_path / "year.csv") for _ in range(2)]
    outcomes = [outcome(proc) for proc in imports]

    for code, out, err in outcomes:
        assert code == 0, f"exit {code}\n{out}\n{err}"
        assert "IntegrityError" not in err
    created = sorted(out.split(", ")[1] for _, out, _ in outcomes)
    assert created[-1] == f"{rows} created", outcomes  # one wrote everything; the other found it there
    ok(twintrack(postgres_site, "verify-rollups"))


def test_backup_restore_and_check_data_on_postgresql(postgres_site, tmp_path):
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    out = ok(twintrack(postgres_site, "backup", tmp_path / "pg.tar.gz"))
    assert "postgresql database" in out
    target = site_env(tmp_path / "restored", create_postgres_database(TARGET))
    try:
        restored = ok(twintrack(target, "restore", tmp_path / "pg.tar.gz"))
        assert "rollups agree" in restored
        assert report_json(target, "2023-07") == report_json(postgres_site, "2023-07")
        refused = twintrack(target, "restore", tmp_path / "pg.tar.gz")
        assert refused.returncode == 2 and "not empty" in refused.stderr
        checked = ok(twintrack(target, "check-data"))
        assert "check-data: no damage found" in checked
        assert "indexes checked with amcheck" in checked or "index check skipped" in checked
    finally:
        drop_postgres_database(TARGET)
