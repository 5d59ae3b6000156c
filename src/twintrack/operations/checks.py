"""The data self-check: is the database file sound, and do the rollups agree with raw rows?

SQLite: `PRAGMA integrity_check` and `PRAGMA foreign_key_check`. PostgreSQL: amcheck's
`bt_index_check` on every B-tree index of the schema, when the extension is installed or
can be (otherwise the check says it was skipped). On both, the references the application
keeps without a database constraint. Then the rollups against a full recomputation, as
`twintrack verify-rollups` does."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from twintrack.busy import is_database_busy
from twintrack.metrics.rollups import rollup_differences

SHOWN_PROBLEMS = 50


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def sqlite_problems() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        problems = [row[0] for row in cursor.fetchall() if row[0] != "ok"]
        cursor.execute("PRAGMA foreign_key_check")
        problems += [_("table %(table)s, row %(row)s: refers to a missing row of %(parent)s")
                     % {"table": table, "row": rowid, "parent": parent} for table, rowid, parent, _fk in cursor.fetchall()]
    return problems


AMCHECK_INDEXES = """
SELECT c.relname FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am a ON a.oid = c.relam
WHERE a.amname = 'btree' AND n.nspname = current_schema() AND c.relpersistence = 'p' AND i.indisvalid
ORDER BY c.relname"""


def enable_amcheck(cursor) -> str | None:
    """None when amcheck can be used; otherwise why not."""
    cursor.execute("SELECT installed_version FROM pg_available_extensions WHERE name = 'amcheck'")
    row = cursor.fetchone()
    if row is None:
        return _("the amcheck extension is not available on this server (package postgresql-contrib)")
    if row[0] is None:
        try:
            with transaction.atomic():
                cursor.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        except DatabaseError as error:
            return _("the amcheck extension could not be enabled (%(error)s)") % {"error": str(error).strip()}
    return None


def postgres_problems(report: CheckReport) -> list[str]:
    problems = []
    with connection.cursor() as cursor:
        unavailable = enable_amcheck(cursor)
        if unavailable:
            report.notes.append(_("index check skipped: %(reason)s") % {"reason": unavailable})
            return problems
        cursor.execute(AMCHECK_INDEXES)
        indexes = [row[0] for row in cursor.fetchall()]
        for index in indexes:
            try:
                with transaction.atomic():
                    cursor.execute("SELECT bt_index_check(%s::regclass, true)", [index])
            except DatabaseError as error:
                problems.append(_("index %(index)s: %(error)s") % {"index": index, "error": str(error).strip()})
        report.notes.append(_("%(count)d indexes checked with amcheck") % {"count": len(indexes)})
    return problems


def loose_references():
    """(model, field) of each reference the application keeps without a database constraint (the
    progress table's project, its history's user: see programme.models.Progress); the references
    simple-history copies into history rows are left out, as they may outlive their target."""
    from django.apps import apps

    for model in apps.get_models():
        historical = hasattr(model, "instance_type")
        for field in model._meta.concrete_fields:
            if field.many_to_one and not field.db_constraint and (not historical or field.name == "history_user"):
                yield model, field


def missing_references() -> list[str]:
    """One line per loose reference with rows that refer to a missing row."""
    problems = []
    for model, field in loose_references():
        target = field.related_model
        sql = (f"SELECT COUNT(*) FROM {model._meta.db_table} x WHERE x.{field.column} IS NOT NULL AND NOT EXISTS "
               f"(SELECT 1 FROM {target._meta.db_table} t WHERE t.{target._meta.pk.column} = x.{field.column})")
        with connection.cursor() as cursor:
            cursor.execute(sql)
            count = cursor.fetchone()[0]
        if count:
            problems.append(_("table %(table)s: %(count)d rows refer to a missing row of %(parent)s")
                            % {"table": model._meta.db_table, "count": count, "parent": target._meta.db_table})
    return problems


def rollup_problems() -> list[str]:
    differences = rollup_differences()
    lines = [_("rollup of org %(org)s %(year)d-%(month)02d: stored %(stored)s, expected %(expected)s")
             % {"org": org_id, "year": year, "month": month, "stored": stored, "expected": expected}
             for (org_id, year, month), stored, expected in differences[:SHOWN_PROBLEMS]]
    if len(differences) > SHOWN_PROBLEMS:
        lines.append(_("... %(count)d unit-months disagree in all") % {"count": len(differences)})
    return lines


def check_data() -> CheckReport:
    """Everything found; a damaged file that cannot even be read is a problem, not a fault."""
    report = CheckReport()
    try:
        if connection.vendor == "sqlite":
            report.problems += sqlite_problems()
            report.notes.append(_("SQLite integrity_check and foreign_key_check run"))
        else:
            report.problems += postgres_problems(report)
        report.problems += missing_references()
        rollups = rollup_problems()
    except DatabaseError as error:
        if is_database_busy(error):
            raise
        report.problems.append(_("the database cannot be read: %(error)s") % {"error": error})
        return report
    report.problems += rollups
    report.notes.append(_("rollups compared with a full recomputation from raw rows"))
    return report
