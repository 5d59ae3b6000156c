"""Raw `IN (...)` look-ups for the hot paths of imports.

Django's `field__in=[...]` resolves every value as an expression, which costs more than
the query itself for the 5,000-key batches an import looks up; these helpers bind the
values directly. SQL text and values come from the caller, never from a user.
"""
from __future__ import annotations

from contextlib import contextmanager, nullcontext
from typing import Iterable, Iterator, Sequence

from django.db import connection, transaction

CHUNK = 5000


def rows_where_in(sql: str, values: Sequence, params: Sequence = (), chunk: int = CHUNK) -> Iterator[tuple]:
    """Run `sql`, whose `{in}` placeholder becomes the chunk's values, once per chunk of
    `values`; `params` are bound after them. PostgreSQL gets the chunk as one array
    (`IN (SELECT unnest(%s))`): 5,000 separate literals cost more to send and parse than the
    look-up itself."""
    array = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for start in range(0, len(values), chunk):
            batch = list(values[start:start + chunk])
            if array:
                cast = "bigint[]" if isinstance(batch[0], int) else "text[]"
                cursor.execute(sql.format(**{"in": f"SELECT unnest(%s::{cast})"}), [batch, *params])
            else:
                cursor.execute(sql.format(**{"in": ", ".join(["%s"] * len(batch))}), batch + list(params))
            yield from cursor.fetchall()


# Up to this many rows on the small side of a join, probing the large side's index row by row
# costs less than reading the whole of it (measured with 10^6 projects and 10^7 progress rows:
# a 10,000-row file's project look-up 153 ms probed against 431 ms hashed, its warnings 376 ms
# against 920 ms merged).
PROBED_ROWS = 50_000


@contextmanager
def probing_indexes(rows: int | None = None, no_scans: bool = False):
    """Within it, joins planned as index probes on PostgreSQL, when the small side holds at most
    PROBED_ROWS rows (None: always; a batch of an import is small by construction). no_scans:
    no sequential scan either, for a join of a stage with the one table it writes (a query that
    joins several tables needs its scans: with none allowed, PostgreSQL may rescan the stage once
    per row of the large table).

    A staging table is the small side and the table it is joined with can hold 10^7 rows. With
    the default costs PostgreSQL prefers to read the whole large table (a hash or a merge join,
    hundreds of milliseconds even for a 10,000-row file), misled by the staging table's rough
    statistics; each staged row probing the large table's index costs microseconds. SQLite
    plans the probes itself."""
    if connection.vendor != "postgresql" or (rows is not None and rows > PROBED_ROWS):
        yield
        return
    settings = ("enable_hashjoin", "enable_mergejoin", *(("enable_seqscan",) if no_scans else ()))
    # SET LOCAL needs a transaction: a page has none, an import's is used as it is (no savepoint).
    # After an error the settings stay until that transaction ends, which rolls them back.
    with nullcontext() if connection.in_atomic_block else transaction.atomic():
        _set_all(settings, "off")
        yield
        _set_all(settings, "on")


def _set_all(settings: Iterable[str], value: str) -> None:
    with connection.cursor() as cursor:
        for setting in settings:
            cursor.execute(f"SET LOCAL {setting} = {value}")


WORK_MEMORY_PER_ROW = 128  # bytes: a staged row sorted or hashed by its project (about 80 in practice)
WORK_MEMORY_LIMIT_KB = 256 * 1024
WORK_MEMORY_DEFAULT_KB = 4096  # PostgreSQL's own work_mem, which the connections keep


def big_file_settings(rows: int) -> None:
    """For the rest of an import's transaction on PostgreSQL, what a file of `rows` rows may use.

    - Parallel workers (2, PostgreSQL's default) above PROBED_ROWS rows: the connections have
      none (settings.DATABASES), but a file of 10^6 rows is the one big job then.
    - Sort and hash memory for its rows (up to 256 MB): with the default 4 MB, sorting a
      100,000-row stage by project and hashing the projects it joins spill to disk in batches.
      Imports of a kind run one at a time (sql.wait_for_other_writers)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if rows > PROBED_ROWS:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 2")
        memory_kb = min(rows * WORK_MEMORY_PER_ROW // 1024, WORK_MEMORY_LIMIT_KB)
        if memory_kb > WORK_MEMORY_DEFAULT_KB:
            cursor.execute(f"SET LOCAL work_mem = '{memory_kb}kB'")


def year_month(value) -> int:
    """A DATE column's value as yyyymm, whichever type the driver returns (SQLite gives text)."""
    if isinstance(value, str):
        return int(value[:4]) * 100 + int(value[5:7])
    return value.year * 100 + value.month


def placeholders(items: Iterable) -> str:
    return ", ".join("%s" for _ in items)


def wait_for_other_writers(name: str) -> None:
    """Inside a transaction: wait until no other transaction holds the lock `name`, then hold
    it until this one ends. PostgreSQL takes a transaction-level advisory lock, so that two
    imports of one kind write one after the other and the second sees what the first wrote
    (instead of both inserting the same natural key); SQLite needs nothing, its IMMEDIATE
    transactions already hold the one write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [name])
