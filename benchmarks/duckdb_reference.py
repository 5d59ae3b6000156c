"""The reference engine for report latency: DuckDB computing the same figures from the same
rows held in memory.

DuckDB is given every advantage: progress and projects are loaded already joined to their
enterprise's unit, and the unit-to-ancestor table is precomputed, so the timed query is a
single scan, join and group-by over the raw rows, which is what a report without rollups
has to do.
"""
from __future__ import annotations

import time
from pathlib import Path

import duckdb


def load(data: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    con.execute(f"""
        CREATE TABLE orgs AS SELECT code, parent_code FROM read_csv('{data}/orgunits.csv', all_varchar=true);
        CREATE TABLE ent AS SELECT uscc, org_code FROM read_csv('{data}/enterprises.csv', all_varchar=true);
        CREATE TABLE projects AS
            SELECT e.org_code, CAST(substr(p.start_date, 1, 4) AS INT) AS year,
                   CAST(substr(p.start_date, 6, 2) AS INT) AS month, p.status
            FROM read_csv('{data}/projects.csv', all_varchar=true) p JOIN ent e USING (uscc);
        CREATE TABLE progress AS
            SELECT e.org_code, CAST(substr(g.month, 1, 4) AS INT) AS year, CAST(substr(g.month, 6, 2) AS INT) AS month,
                   CAST(g.investment_yuan AS DECIMAL(18, 2)) AS investment_yuan,
                   CAST(NULLIF(g.energy_saved_tce, '') AS DECIMAL(18, 6)) AS energy_saved_tce
            FROM (SELECT * FROM read_csv('{data}/progress-base.csv', all_varchar=true)
                  UNION ALL SELECT * FROM read_csv('{data}/progress-last.csv', all_varchar=true)) g
            JOIN (SELECT code, uscc FROM read_csv('{data}/projects.csv', all_varchar=true)) p
                ON p.code = g.project_code
            JOIN ent e USING (uscc);
        CREATE TABLE ancestors AS
            WITH RECURSIVE up(org, ancestor) AS (
                SELECT code, code FROM orgs
                UNION ALL SELECT up.org, o.parent_code FROM up JOIN orgs o ON o.code = up.ancestor
                WHERE o.parent_code IS NOT NULL AND o.parent_code <> ''
            ) SELECT * FROM up;
    """)
    return con


def report_figures(con, unit_codes: list[str], year: int, through_month: int) -> dict[str, tuple]:
    """(projects, investment_yuan, energy_saved_tce) for each unit's subtree, January..through_month."""
    codes = ", ".join(f"'{c}'" for c in unit_codes)
    # Aggregate the raw rows per unit first, then roll the few unit totals up the tree.
    money = con.execute(f"""
        WITH leaf AS (
            SELECT org_code, sum(investment_yuan) AS inv, sum(energy_saved_tce) AS energy
            FROM progress WHERE year = {year} AND month <= {through_month} GROUP BY org_code)
        SELECT a.ancestor, sum(inv), sum(energy) FROM leaf JOIN ancestors a ON a.org = leaf.org_code
        WHERE a.ancestor IN ({codes}) GROUP BY a.ancestor""").fetchall()
    counts = con.execute(f"""
        WITH leaf AS (
            SELECT org_code, count(*) AS n FROM projects
            WHERE year = {year} AND month <= {through_month} AND status <> 'cancelled' GROUP BY org_code)
        SELECT a.ancestor, sum(n) FROM leaf JOIN ancestors a ON a.org = leaf.org_code
        WHERE a.ancestor IN ({codes}) GROUP BY a.ancestor""").fetchall()
    n = dict(counts)
    return {code: (int(n.get(code, 0)), inv, energy) for code, inv, energy in money}


def timed_report(con, unit_codes: list[str], year: int, through_month: int, repeat: int = 5):
    """Median seconds over `repeat` runs, and the figures."""
    times, figures = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        figures = report_figures(con, unit_codes, year, through_month)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2], figures
