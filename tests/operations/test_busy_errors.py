"""Which database errors mean "busy, try again" (exit 2, 503) rather than an internal fault."""
from django.db import IntegrityError, OperationalError

from twintrack.busy import is_database_busy


class LockNotAvailable(Exception):
    sqlstate = "55P03"  # what psycopg's errors.LockNotAvailable carries


def test_sqlite_locked_and_postgres_lock_timeout_are_busy():
    assert is_database_busy(OperationalError("database is locked"))
    assert is_database_busy(OperationalError("database table is locked: programme_progress"))
    wrapped = OperationalError("canceling statement due to lock timeout")
    wrapped.__cause__ = LockNotAvailable()
    assert is_database_busy(wrapped)


def test_other_errors_are_not_busy():
    assert not is_database_busy(OperationalError("no such table: programme_progress"))
    assert not is_database_busy(IntegrityError("database is locked"))
    assert not is_database_busy(ValueError("database is locked"))
    assert not is_database_busy(None)
