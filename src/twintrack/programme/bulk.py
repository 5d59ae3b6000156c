"""Set-based writing: the month-end path that has to take 10^6 rows.

Validated rows are staged in a temporary table (COPY on PostgreSQL, executemany on
SQLite); everything else is a handful of SQL statements over the whole batch: match the
existing rows by natural key, classify each as new ('n'), changed ('c') or unchanged ('s'),
compute the rollup deltas, update, insert, and write the history rows (who, when, why)
in the same transaction. No model instance is built per row.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from twintrack import sql
from twintrack.enterprises.models import Enterprise
from twintrack.figures import Totals, diff_contributions, merge
from twintrack.programme.contributions import contributions_of_projects
from twintrack.programme.models import Progress, Project


def _distinct(a: str, b: str) -> str:
    """Null-safe inequality in both dialects."""
    return f"{a} IS DISTINCT FROM {b}" if connection.vendor == "postgresql" else f"{a} IS NOT {b}"


def _year_month(column: str) -> tuple[str, str]:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INT)", f"CAST(EXTRACT(MONTH FROM {column}) AS INT)"
    return f"CAST(substr({column}, 1, 4) AS INT)", f"CAST(substr({column}, 6, 2) AS INT)"


@dataclass(frozen=True)
class Staging:
    """How one model's rows are staged: its natural key, the values a file sets, and the
    stage-only columns (e.g. the enterprise's unit, for the rollups)."""

    model: type
    keys: tuple[str, ...]
    values: tuple[str, ...]
    extra: tuple[tuple[str, str], ...] = ()  # (column, SQL type), loaded with the rows
    derived: tuple[tuple[str, str], ...] = ()  # (column, SQL type), filled in by SQL

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def stage(self) -> str:
        return f"tt_stage_{self.table}"

    @property
    def history(self) -> str:
        return self.model.history.model._meta.db_table

    def db_type(self, column: str) -> str:
        field = next(f for f in self.model._meta.concrete_fields if f.column == column)
        return field.db_type(connection).replace("AUTOINCREMENT", "").replace("serial", "integer")

    @property
    def columns(self) -> tuple[str, ...]:
        return self.keys + self.values + tuple(c for c, _ in self.extra)

    def defaults(self) -> dict[str, object]:
        """Model columns a file does not set, with their defaults (e.g. flags added later)."""
        given = set(self.keys + self.values) | {"id"}
        return {f.column: f.get_default() for f in self.model._meta.concrete_fields if f.column not in given}


def _create(cursor, s: Staging) -> None:
    definitions = [f"{c} {s.db_type(c)}" for c in s.keys + s.values]
    definitions += [f"{c} {t}" for c, t in s.extra + s.derived]
    definitions += ["target_id BIGINT", "state CHAR(1)"]
    definitions += [f"old_{c} {s.db_type(c)}" for c in s.values]
    cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {s.stage} ({', '.join(definitions)})")
    _empty(cursor, s.stage)


def _empty(cursor, table: str) -> None:
    """Empty a temporary table. On PostgreSQL TRUNCATE, not DELETE: the dead rows of DELETE and of
    the stage's UPDATEs stay in a temporary table (autovacuum never visits one) and every later
    scan of it in the session wades through them."""
    cursor.execute(f"TRUNCATE {table}" if connection.vendor == "postgresql" else f"DELETE FROM {table}")


def _load(cursor, s: Staging, rows: list[tuple]) -> None:
    columns = ", ".join(s.columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {s.stage} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(s.columns))
        cursor.executemany(f"INSERT INTO {s.stage} ({columns}) VALUES ({marks})", rows)


def _classify(cursor, s: Staging) -> None:
    olds = ", ".join(f"old_{c} = t.{c}" for c in s.values)
    match = " AND ".join(f"t.{k} = {s.stage}.{k}" for k in s.keys)
    with sql.probing_indexes(no_scans=True):
        cursor.execute(f"UPDATE {s.stage} SET target_id = t.id, {olds} FROM {s.table} t WHERE {match}")
    changed = " OR ".join(_distinct(c, f"old_{c}") for c in s.values)
    cursor.execute(
        f"UPDATE {s.stage} SET state = CASE WHEN target_id IS NULL THEN 'n' WHEN {changed} THEN 'c' ELSE 's' END"
    )


def _apply(cursor, s: Staging, reason: str, user_id) -> dict[str, int]:
    sets = ", ".join(f"{c} = x.{c}" for c in s.values)
    update = (f"UPDATE {s.table} SET {sets} FROM (SELECT * FROM {s.stage} WHERE state = 'c') AS x "
              f"WHERE x.target_id = {s.table}.id")
    defaults = s.defaults()
    columns = s.keys + s.values + tuple(defaults)
    selected = s.keys + s.values + tuple(["%s"] * len(defaults))
    insert = (f"INSERT INTO {s.table} ({', '.join(columns)}) SELECT {', '.join(selected)} FROM {s.stage} "
              f"WHERE state = 'n' ORDER BY {', '.join(s.keys)}")  # index entries in key order, not the file's
    model_columns = [f.column for f in s.model._meta.concrete_fields]
    into_history = (f"INSERT INTO {s.history} ({', '.join(model_columns)}, history_date, history_change_reason, "
                    f"history_type, history_user_id) ")
    who = [timezone.now(), reason[:100] or None, user_id]
    if connection.vendor == "postgresql":
        _apply_returning(cursor, s.table, update, insert, into_history, model_columns, list(defaults.values()), who)
    else:
        cursor.execute(update)
        cursor.execute(insert, list(defaults.values()))
        match = " AND ".join(f"t.{k} = x.{k}" for k in s.keys)
        cursor.execute(
            f"{into_history} SELECT {', '.join('t.' + c for c in model_columns)}, %s, %s, "
            f"CASE x.state WHEN 'n' THEN '+' ELSE '~' END, %s "
            f"FROM {s.stage} x JOIN {s.table} t ON {match} WHERE x.state <> 's'", who)
    cursor.execute(f"SELECT state, COUNT(*) FROM {s.stage} GROUP BY state")
    return dict(cursor.fetchall())


WHO = "CAST(%s AS TIMESTAMP WITH TIME ZONE), CAST(%s AS VARCHAR(100)),"  # typed: NULLs in a UNION


def _apply_returning(cursor, table: str, update: str, insert: str, into_history: str, model_columns: list, defaults: list,
                     who: list) -> None:
    """PostgreSQL: the update, the insert and their history rows in one statement, the history
    taken from what the two return, rather than by joining the stage to the target again."""
    returned = ", ".join(model_columns)
    with sql.probing_indexes(no_scans=True):
        cursor.execute(
            f"WITH changed AS ({update} RETURNING {', '.join(f'{table}.{c}' for c in model_columns)}), created AS ({insert} RETURNING {returned}) "
            f"{into_history} SELECT {returned}, {WHO} '~', CAST(%s AS INTEGER) FROM changed "
            f"UNION ALL SELECT {returned}, {WHO} '+', CAST(%s AS INTEGER) FROM created",
            [*defaults, *who, *who])


# --- monthly progress --------------------------------------------------------------------

PROGRESS = Staging(Progress, ("project_id", "year", "month"), ("investment_yuan", "energy_saved_tce", "note"),
                   (("org_id", "BIGINT"),))


def _fen(column: str) -> str:
    return f"COALESCE(CAST(ROUND({column} * 100) AS BIGINT), 0)"


def _micro(column: str) -> str:
    return f"COALESCE(CAST(ROUND({column} * 1000000) AS BIGINT), 0)"


def _progress_deltas(cursor) -> dict:
    cursor.execute(
        f"SELECT org_id, year, month, SUM({_fen('investment_yuan')} - {_fen('old_investment_yuan')}), "
        f"SUM({_micro('energy_saved_tce')} - {_micro('old_energy_saved_tce')}) "
        f"FROM {PROGRESS.stage} WHERE state <> 's' GROUP BY org_id, year, month"
    )
    return {(org, y, m): Totals(0, int(fen), int(micro)) for org, y, m, fen, micro in cursor.fetchall()}


KEPT = "tt_kept_progress"  # (project_id, year, month) of every row of the batches written with keep=True


def start_keeping() -> str:
    """An empty table of kept project-months (one import's, for its warnings); its name."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {KEPT} (project_id BIGINT, year INTEGER, month INTEGER)")
        _empty(cursor, KEPT)
    return KEPT


def write_progress_batch(rows: list[tuple], reason: str, user_id, keep: bool = False) -> tuple[dict, dict[str, int]]:
    """Write (project_id, year, month, investment_yuan, energy_saved_tce, note, org_id) tuples
    with unique keys. Returns the rollup deltas and the counts by state. Run inside a transaction.
    `keep`: also add the batch's keys to KEPT (see start_keeping)."""
    with connection.cursor() as cursor:
        _create(cursor, PROGRESS)
        _load(cursor, PROGRESS, rows)
        if keep:
            cursor.execute(f"INSERT INTO {KEPT} (project_id, year, month) SELECT project_id, year, month "
                           f"FROM {PROGRESS.stage}")
        _classify(cursor, PROGRESS)
        deltas = _progress_deltas(cursor)
        counts = _apply(cursor, PROGRESS, reason, user_id)
        _empty(cursor, PROGRESS.stage)
    return deltas, counts


# --- projects --------------------------------------------------------------------------------

PROJECTS = Staging(Project, ("code",), ("enterprise_id", "title", "kind", "category", "start_date",
                                        "planned_end_date", "planned_investment_yuan", "status"),
                   (("org_id", "BIGINT"),), (("old_org_id", "BIGINT"),))


def _project_deltas(cursor) -> tuple[dict, list[int]]:
    """Launched-project count changes for projects that stay in their unit, and the ids of
    projects that move to another unit (whose progress moves too: recomputed by the caller)."""
    stage, enterprise = PROJECTS.stage, Enterprise._meta.db_table
    cursor.execute(f"UPDATE {stage} SET old_org_id = (SELECT org_id FROM {enterprise} e "
                   f"WHERE e.id = {stage}.old_enterprise_id) WHERE state = 'c'")
    year, month = _year_month("start_date")
    old_year, old_month = _year_month("old_start_date")
    cursor.execute(
        f"SELECT org_id, {year}, {month}, COUNT(*) FROM {stage} WHERE status <> 'cancelled' "
        f"AND (state = 'n' OR (state = 'c' AND old_org_id = org_id)) GROUP BY 1, 2, 3"
    )
    deltas: dict = {}
    for org, y, m, n in cursor.fetchall():
        deltas[(org, y, m)] = Totals(projects=n)
    cursor.execute(
        f"SELECT org_id, {old_year}, {old_month}, COUNT(*) FROM {stage} WHERE old_status <> 'cancelled' "
        f"AND state = 'c' AND old_org_id = org_id GROUP BY 1, 2, 3"
    )
    for org, y, m, n in cursor.fetchall():
        deltas[(org, y, m)] = deltas.get((org, y, m), Totals()) - Totals(projects=n)
    cursor.execute(f"SELECT target_id FROM {stage} WHERE state = 'c' AND old_org_id <> org_id")
    return deltas, [row[0] for row in cursor.fetchall()]


def write_projects_batch(rows: list[tuple], reason: str, user_id) -> tuple[dict, dict[str, int]]:
    """Write (code, enterprise_id, title, kind, category, start_date, planned_end_date,
    planned_investment_yuan, status, org_id) tuples with unique codes. Returns the rollup
    deltas (a project moving to another unit takes its progress along) and the counts by
    state. Run inside a transaction."""
    with connection.cursor() as cursor:
        _create(cursor, PROJECTS)
        _load(cursor, PROJECTS, rows)
        _classify(cursor, PROJECTS)
        deltas, moved = _project_deltas(cursor)
        before_move = contributions_of_projects({"id__in": moved}) if moved else {}
        counts = _apply(cursor, PROJECTS, reason, user_id)
        _empty(cursor, PROJECTS.stage)
    if moved:
        for key, delta in diff_contributions(before_move, contributions_of_projects({"id__in": moved})).items():
            merge(deltas, key, delta)
    return deltas, counts
