"""One backup archive: the database, the media files (supervision attachments) and a manifest.

    manifest.json        engine, time, migrations applied, row counts (what the database held)
    database.sqlite3     SQLite: a copy made by the online backup API (one read snapshot,
                         consistent while imports write)
    database.pgdump      PostgreSQL: `pg_dump -Fc` of an exported snapshot, the same snapshot
                         the manifest's counts were read in
    media/...            the files under MEDIA_ROOT

The archive is written to a temporary name beside PATH and renamed once complete, so a
crash never leaves a truncated archive under the name asked for.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA = "media"
FORMAT = 1


class ArchiveError(Exception):
    """The archive or the tools it needs are not what restore expects: a message for the user."""


def counted_tables() -> list[str]:
    """The tables whose row counts the manifest keeps: every twintrack model's, and the users'."""
    tables = {model._meta.db_table for model in apps.get_models()
              if model.__module__.startswith("twintrack.") or model._meta.label == "auth.User"}
    return sorted(tables & set(connection.introspection.table_names()))


def database_state(cursor) -> dict:
    """Row counts and the migrations applied, read through `cursor` (the snapshot's)."""
    counts = {}
    for table in counted_tables():
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    migrations: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        migrations.setdefault(app, []).append(name)
    return {"counts": counts, "migrations": migrations}


def sqlite_snapshot(target: Path) -> dict:
    """Copy the live database with SQLite's online backup API, in one step: one read
    transaction, so the copy is the database as of one commit while writers go on (WAL)."""
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        with closing(copy.cursor()) as cursor:
            return database_state(cursor)


def postgres_command(program: str, *args: str) -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    if shutil.which(program) is None:
        raise ArchiveError(_("%(program)s is not installed (Debian: apt-get install postgresql-client)") % {"program": program})
    env = dict(os.environ, PGPASSWORD=db.get("PASSWORD") or "")
    return [program, "-h", db["HOST"], "-p", str(db["PORT"]), "-U", db["USER"], "-d", db["NAME"], *args], env


def run_tool(args: list[str], env: dict) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise ArchiveError(_("%(program)s failed: %(message)s") % {"program": args[0], "message": done.stderr.strip()[-2000:]})


def postgres_snapshot(target: Path) -> dict:
    """`pg_dump -Fc` of a snapshot exported by this transaction, whose counts go in the manifest."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        state = database_state(cursor)
        args, env = postgres_command("pg_dump", "-Fc", "--no-owner", f"--snapshot={snapshot}", "-f", str(target))
        run_tool(args, env)
    return state


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def write_backup(path: Path) -> dict:
    """Write the archive at `path` (gzip-compressed when it ends in .gz or .tgz); its manifest."""
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise ArchiveError(_("backups of %(engine)s databases are not supported") % {"engine": vendor})
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".backup-") as work:
        database = Path(work) / DATABASE_MEMBERS[vendor]
        state = sqlite_snapshot(database) if vendor == "sqlite" else postgres_snapshot(database)
        media = media_files()  # after the database: every file its rows name is already there
        manifest = {"format": FORMAT, "engine": vendor, "created": datetime.now(timezone.utc).isoformat(),
                    **state, "media_files": len(media), "media_bytes": sum(p.stat().st_size for p in media)}
        (Path(work) / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        partial = Path(work) / "archive"
        mode = "w:gz" if path.name.endswith((".gz", ".tgz")) else "w"
        with tarfile.open(partial, mode) as tar:
            tar.add(Path(work) / MANIFEST, MANIFEST)
            tar.add(database, database.name)
            for file in media:
                tar.add(file, f"{MEDIA}/{file.relative_to(settings.MEDIA_ROOT).as_posix()}")
        os.replace(partial, path)
    return manifest


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.extractfile(MANIFEST)
        manifest = json.loads(member.read().decode("utf-8"))
    except (KeyError, AttributeError, ValueError):
        raise ArchiveError(_("not a twintrack backup: it has no readable manifest.json"))
    if manifest.get("engine") not in DATABASE_MEMBERS:
        raise ArchiveError(_("not a twintrack backup: the manifest names no known database engine"))
    return manifest


def open_archive(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r:*")
    except FileNotFoundError:
        raise ArchiveError(_("%(path)s: no such file") % {"path": path})
    except (tarfile.TarError, OSError) as error:
        raise ArchiveError(_("%(path)s: not a backup archive (%(error)s)") % {"path": path, "error": error})
