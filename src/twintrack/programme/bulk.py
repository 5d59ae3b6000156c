"""Set-based writing of monthly progress: the month-end path that has to take 10^6 rows.

The validated rows are staged in a temporary table (COPY on PostgreSQL, executemany on
SQLite), and everything else is a handful of SQL statements over the whole batch: match
existing rows, classify each as new / changed / unchanged, compute the rollup deltas as
integer fen and micro-tce, update, insert, and write the history rows (who, when, why) in
the same transaction. No model instance is built per row.
"""
from __future__ import annotations

from django.db import connection
from django.utils import timezone

from twintrack.metrics.rules import Totals
from twintrack.programme.models import Progress

STAGE = "tt_progress_stage"
PROGRESS = Progress._meta.db_table
HISTORY = Progress.history.model._meta.db_table
COLUMNS = ("project_id", "org_id", "year", "month", "investment_yuan", "energy_saved_tce", "note")


def _create_stage(cursor) -> None:
    money = "NUMERIC(20, 2)" if connection.vendor == "postgresql" else "NUMERIC"
    energy = "NUMERIC(20, 6)" if connection.vendor == "postgresql" else "NUMERIC"
    cursor.execute(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE} ("
        f"project_id BIGINT NOT NULL, org_id BIGINT NOT NULL, year SMALLINT NOT NULL, month SMALLINT NOT NULL, "
        f"investment_yuan {money} NOT NULL, energy_saved_tce {energy}, note VARCHAR(500) NOT NULL, "
        f"progress_id BIGINT, old_investment {money}, old_energy {energy}, old_note VARCHAR(500), "
        f"state CHAR(1))"
    )
    cursor.execute(f"DELETE FROM {STAGE}")


def _load_stage(cursor, rows: list[tuple]) -> None:
    columns = ", ".join(COLUMNS)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {STAGE} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        cursor.executemany(f"INSERT INTO {STAGE} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)", rows)


def _distinct(a: str, b: str) -> str:
    """Null-safe inequality in both dialects."""
    return f"{a} IS DISTINCT FROM {b}" if connection.vendor == "postgresql" else f"{a} IS NOT {b}"


def _classify(cursor) -> None:
    cursor.execute(
        f"UPDATE {STAGE} SET progress_id = p.id, old_investment = p.investment_yuan, "
        f"old_energy = p.energy_saved_tce, old_note = p.note FROM {PROGRESS} p "
        f"WHERE p.project_id = {STAGE}.project_id AND p.year = {STAGE}.year AND p.month = {STAGE}.month"
    )
    changed = " OR ".join([
        _distinct("investment_yuan", "old_investment"), _distinct("energy_saved_tce", "old_energy"),
        _distinct("note", "old_note"),
    ])
    cursor.execute(
        f"UPDATE {STAGE} SET state = CASE WHEN progress_id IS NULL THEN 'n' WHEN {changed} THEN 'c' ELSE 's' END"
    )


def _fen(column: str) -> str:
    return f"COALESCE(CAST(ROUND({column} * 100) AS BIGINT), 0)"


def _micro(column: str) -> str:
    return f"COALESCE(CAST(ROUND({column} * 1000000) AS BIGINT), 0)"


def _deltas(cursor) -> dict:
    cursor.execute(
        f"SELECT org_id, year, month, SUM({_fen('investment_yuan')} - {_fen('old_investment')}), "
        f"SUM({_micro('energy_saved_tce')} - {_micro('old_energy')}) "
        f"FROM {STAGE} WHERE state <> 's' GROUP BY org_id, year, month"
    )
    return {(org, y, m): Totals(0, int(fen), int(micro)) for org, y, m, fen, micro in cursor.fetchall()}


def _apply(cursor, reason: str, user_id) -> None:
    if connection.vendor == "postgresql":
        cursor.execute(
            f"UPDATE {PROGRESS} SET investment_yuan = s.investment_yuan, energy_saved_tce = s.energy_saved_tce, "
            f"note = s.note FROM {STAGE} s WHERE s.progress_id = {PROGRESS}.id AND s.state = 'c'"
        )
    else:
        cursor.execute(
            f"UPDATE {PROGRESS} SET investment_yuan = s.investment_yuan, energy_saved_tce = s.energy_saved_tce, "
            f"note = s.note FROM (SELECT * FROM {STAGE} WHERE state = 'c') AS s WHERE s.progress_id = {PROGRESS}.id"
        )
    cursor.execute(
        f"INSERT INTO {PROGRESS} (project_id, year, month, investment_yuan, energy_saved_tce, note) "
        f"SELECT project_id, year, month, investment_yuan, energy_saved_tce, note FROM {STAGE} WHERE state = 'n'"
    )
    cursor.execute(
        f"INSERT INTO {HISTORY} (id, project_id, year, month, investment_yuan, energy_saved_tce, note, "
        f"history_date, history_change_reason, history_type, history_user_id) "
        f"SELECT p.id, p.project_id, p.year, p.month, p.investment_yuan, p.energy_saved_tce, p.note, "
        f"%s, %s, CASE s.state WHEN 'n' THEN '+' ELSE '~' END, %s "
        f"FROM {STAGE} s JOIN {PROGRESS} p "
        f"ON p.project_id = s.project_id AND p.year = s.year AND p.month = s.month WHERE s.state <> 's'",
        [timezone.now(), reason[:100] or None, user_id],
    )


def _counts(cursor) -> dict[str, int]:
    cursor.execute(f"SELECT state, COUNT(*) FROM {STAGE} GROUP BY state")
    return dict(cursor.fetchall())


def write_progress_batch(rows: list[tuple], reason: str, user_id) -> tuple[dict, dict[str, int]]:
    """Write one batch of (project_id, org_id, year, month, investment_yuan, energy_saved_tce, note)
    tuples with unique keys. Returns the rollup deltas and the counts by state (n, c, s).
    Must run inside a transaction."""
    with connection.cursor() as cursor:
        _create_stage(cursor)
        _load_stage(cursor, rows)
        _classify(cursor)
        deltas = _deltas(cursor)
        _apply(cursor, reason, user_id)
        counts = _counts(cursor)
        cursor.execute(f"DELETE FROM {STAGE}")
    return deltas, counts
