"""Caching what only changes on write.

`bump()` runs inside every writing transaction (rollup deltas, targets, org units, any
history record); `cached(key, compute)` keys a cache entry by the current data version,
so entries die with the next write and nothing is ever served stale. Readers pay one
indexed single-row query for the version.
"""
from __future__ import annotations

from typing import Callable

from django.core.cache import caches
from django.db import connection

from twintrack.metrics.models import DataVersion

CACHE_SECONDS = 3600


def _table() -> str:
    return DataVersion._meta.db_table


def bump() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_table()} SET counter = counter + 1 WHERE id = 1")
        if cursor.rowcount == 0:
            cursor.execute(f"INSERT INTO {_table()} (id, counter) VALUES (1, 1)")


def current() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT counter FROM {_table()} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def cached(key: str, compute: Callable[[], object]):
    """compute() once per data version; `key` must name everything else the value depends on."""
    cache = caches["default"]
    full_key = f"v{current()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, CACHE_SECONDS)
    return value
