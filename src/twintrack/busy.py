"""Recognising a database that stayed locked longer than the wait allowed.

SQLite raises OperationalError "database is locked" once its busy timeout
(TWINTRACK_SQLITE_TIMEOUT) has run out; PostgreSQL raises lock_not_available (55P03) when a
lock_timeout is set. Either is "try again later", not an internal fault."""
from django.db import OperationalError

SQLITE_BUSY_MESSAGES = ("database is locked", "database table is locked", "database schema is locked")
POSTGRES_LOCK_NOT_AVAILABLE = "55P03"


def is_database_busy(error: BaseException | None) -> bool:
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__ or error
    if getattr(cause, "sqlstate", None) == POSTGRES_LOCK_NOT_AVAILABLE:
        return True
    return str(error).lower().startswith(SQLITE_BUSY_MESSAGES)
