"""Restoring a backup archive (archive.py) into the configured database and MEDIA_ROOT."""
from __future__ import annotations

import shutil
import sqlite3
import tarfile
import tempfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, connections
from django.utils.translation import gettext as _

from twintrack.enterprises.models import Enterprise
from twintrack.operations.archive import (DATABASE_MEMBERS, MEDIA, ArchiveError, open_archive, postgres_command,
                                          read_manifest, run_tool)
from twintrack.orgs.models import OrgUnit
from twintrack.programme.models import Project


def data_held() -> list[str]:
    """The kinds of data the database already holds (empty for a new or merely initialised one)."""
    tables = set(connection.introspection.table_names())
    models = (OrgUnit, Enterprise, Project, get_user_model())
    return [str(model._meta.verbose_name_plural) for model in models
            if model._meta.db_table in tables and model.objects.exists()]


def make_database_folder() -> None:
    """A new SQLite database may be named in a folder that does not exist yet."""
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)


def restore_sqlite(snapshot: Path) -> None:
    """Copy the snapshot into the live database with the backup API (page by page, under
    SQLite's own locks: safe even with the file open elsewhere), then back to WAL."""
    connection.ensure_connection()
    with closing(sqlite3.connect(snapshot)) as source:
        source.backup(connection.connection)
    connection.connection.execute("PRAGMA journal_mode=WAL")


def restore_postgres(dump: Path) -> None:
    connections.close_all()
    args, env = postgres_command("pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                                 str(dump))
    run_tool(args, env)


def restore_media(tar: tarfile.TarFile, work: Path) -> int:
    """Replace MEDIA_ROOT with the archive's media files; their number."""
    members = [m for m in tar.getmembers() if m.isfile() and m.name.startswith(MEDIA + "/")]
    tar.extractall(work, members=members, filter="data")
    root = Path(settings.MEDIA_ROOT)
    shutil.rmtree(root, ignore_errors=True)
    root.parent.mkdir(parents=True, exist_ok=True)
    extracted = work / MEDIA
    if extracted.is_dir():
        shutil.move(extracted, root)
    return len(members)


def restore_backup(path: Path, force: bool = False) -> dict:
    """Restore the archive at `path`; its manifest plus `media_restored`. Refuses a database
    that holds data unless `force`; the schema is migrated to this version afterwards."""
    with open_archive(path) as tar, tempfile.TemporaryDirectory(prefix="twintrack-restore-") as work:
        manifest = read_manifest(tar)
        make_database_folder()
        if manifest["engine"] != connection.vendor:
            raise ArchiveError(_("this backup is of a %(backup)s database and cannot be restored into %(engine)s")
                               % {"backup": manifest["engine"], "engine": connection.vendor})
        held = data_held()
        if held and not force:
            raise ArchiveError(_("the database is not empty (it holds %(kinds)s): restore into a new database, "
                                 "or add --force to replace everything in it") % {"kinds": ", ".join(held)})
        name = DATABASE_MEMBERS[manifest["engine"]]
        try:
            tar.extract(name, work, filter="data")
        except KeyError:
            raise ArchiveError(_("the archive has no %(member)s") % {"member": name})
        database = Path(work) / name
        if manifest["engine"] == "sqlite":
            restore_sqlite(database)
        else:
            restore_postgres(database)
        manifest["media_restored"] = restore_media(tar, Path(work))
    connections.close_all()
    call_command("migrate", verbosity=0, interactive=False)
    return manifest
