"""`twintrack backup`, `restore` and `check-data` on SQLite (issue 20, points 8 and the self-check)."""
import sqlite3
import tarfile

from ops_helpers import DISTRICTS, copy_sqlite_site, in_background, ok, project_codes, site_env, twintrack, write_progress

ATTACHMENT = "supervision/2023/07/inspection-photo.jpg"
ATTACHMENT_BYTES = bytes(range(256)) * 64


def add_attachment(env: dict) -> None:
    from pathlib import Path

    path = Path(env["TWINTRACK_VAR_DIR"]) / "media" / ATTACHMENT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ATTACHMENT_BYTES)


def attachment_of(env: dict) -> bytes:
    from pathlib import Path

    return (Path(env["TWINTRACK_VAR_DIR"]) / "media" / ATTACHMENT).read_bytes()


def report(env: dict) -> str:
    return ok(twintrack(env, "report", "--period", "2025-12", "--format", "json"))


def test_backup_during_an_import_restores_to_identical_reports_and_attachments(demo_site, tmp_path):
    env = copy_sqlite_site(demo_site, tmp_path / "site")
    add_attachment(env)
    codes = [code for district in DISTRICTS for code in project_codes(env, district)]
    write_progress(tmp_path / "year.csv", codes, [(y, m) for y in (2024, 2025) for m in range(1, 13)])
    before = report(env)

    importing, result = in_background(env, "import", "progress", tmp_path / "year.csv")
    archives, during = [], 0
    while importing.is_alive() or not archives:
        archive = tmp_path / f"backup-{len(archives)}.tar.gz"
        during += importing.is_alive()  # this backup starts while the import runs
        ok(twintrack(env, "backup", archive))
        archives.append(archive)
    importing.join()
    ok(result["done"])
    assert during, "no backup was started while the import ran"
    archives.append(tmp_path / "backup-after.tar.gz")  # one more, certainly after the import's commit
    ok(twintrack(env, "backup", archives[-1]))
    after = report(env)
    assert before != after

    for n, archive in enumerate(sorted({archives[0], archives[len(archives) // 2], archives[-1]})):
        restored = site_env(tmp_path / f"restored-{n}")
        out = ok(twintrack(restored, "restore", archive))
        assert "verify-rollups: rollups agree with raw rows" in out
        assert report(restored) in (before, after)  # the database as of one commit, never half an import
        assert attachment_of(restored) == ATTACHMENT_BYTES
    assert report(restored) == after  # the last backup, taken once the import had ended


def test_the_archive_holds_a_manifest_the_database_and_the_attachments(demo_site, tmp_path):
    env = copy_sqlite_site(demo_site, tmp_path / "site")
    add_attachment(env)
    out = ok(twintrack(env, "backup", tmp_path / "b.tar"))
    assert "2319 projects" in out and "1 attachment files" in out
    with tarfile.open(tmp_path / "b.tar") as tar:
        assert set(tar.getnames()) == {"manifest.json", "database.sqlite3", f"media/{ATTACHMENT}"}
        import json

        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["engine"] == "sqlite"
    assert manifest["counts"]["programme_project"] == 2319
    assert "0001_initial" in manifest["migrations"]["programme"]


def test_restore_refuses_a_database_that_holds_data_unless_forced(demo_site, tmp_path):
    env = copy_sqlite_site(demo_site, tmp_path / "site")
    ok(twintrack(env, "backup", tmp_path / "b.tar.gz"))
    refused = twintrack(env, "restore", tmp_path / "b.tar.gz")
    assert refused.returncode == 2
    assert "the database is not empty" in refused.stderr and "--force" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert "数据库不是空的" in twintrack(env, "restore", tmp_path / "b.tar.gz", "--lang", "zh").stderr
    assert "rollups agree" in ok(twintrack(env, "restore", tmp_path / "b.tar.gz", "--force"))


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    env = site_env(tmp_path / "site")
    (tmp_path / "notes.tar").write_text("not an archive")
    for path in (tmp_path / "notes.tar", tmp_path / "missing.tar"):
        done = twintrack(env, "restore", path)
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr


def test_check_data_finds_a_corrupted_rollup(demo_site, tmp_path):
    env = copy_sqlite_site(demo_site, tmp_path / "site")
    clean = ok(twintrack(env, "check-data"))
    assert "check-data: no damage found" in clean
    with sqlite3.connect(tmp_path / "site" / "twintrack.sqlite3") as db:
        db.execute("UPDATE metrics_rollup SET investment_fen = investment_fen + 100 "
                   "WHERE id = (SELECT MIN(id) FROM metrics_rollup)")
    damaged = twintrack(env, "check-data")
    assert damaged.returncode == 1
    assert "rollup of org" in damaged.stdout and "investment_fen=100" in damaged.stdout
    assert "the database is damaged" in damaged.stderr
    chinese = twintrack(env, "check-data", "--lang", "zh")
    assert chinese.returncode == 1 and "数据库已损坏" in chinese.stderr


def test_check_data_finds_a_damaged_file(demo_site, tmp_path):
    env = copy_sqlite_site(demo_site, tmp_path / "site")
    path = tmp_path / "site" / "twintrack.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        pages = db.execute("PRAGMA page_count").fetchone()[0]
    with path.open("r+b") as handle:  # scribble over a page in the middle of the file
        handle.seek(page_size * (pages // 2))
        handle.write(b"\xff" * page_size)
    damaged = twintrack(env, "check-data")
    assert damaged.returncode == 1, damaged.stdout + damaged.stderr
    assert "internal error" not in damaged.stderr
