"""The session's idle clock, kept in the session row's expiry alone.

A session ends after SESSION_COOKIE_AGE without a request; activity restarts the clock, written
at most once per TWINTRACK_SESSION_TOUCH_SECONDS. Only `expire_date` is written, never the
session's data: a cached page is stored with the session data it was rendered for
(`web.pagecache`), so writing a timestamp into the data would end every cached page of every
user once a minute. Both the page cache (for a page it answers) and SessionIdleMiddleware (for
any other request) restart the clock through `restart_if_due`.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

EXPIRES = "_twintrack_session_expires"  # the row's expiry as this request left it


class SessionStore(db.SessionStore):
    """Django's database sessions, remembering the expiry of the row they loaded."""

    loaded_expiry: datetime | None = None

    def _get_session_from_db(self):
        row = super()._get_session_from_db()
        if row is not None:
            self.loaded_expiry = row.expire_date
        return row


def _due(expires: datetime) -> bool:
    """True once the clock was last restarted TWINTRACK_SESSION_TOUCH_SECONDS ago or more."""
    age = timedelta(seconds=settings.SESSION_COOKIE_AGE - settings.TWINTRACK_SESSION_TOUCH_SECONDS)
    return expires - timezone.now() <= age


def restart_if_due(request, session_key: str, expires: datetime | None) -> None:
    """Restart the idle clock of a live session if it is due (one UPDATE of its expiry)."""
    if getattr(request, EXPIRES, None) is not None or expires is None or not _due(expires):
        return
    renewed = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    Session.objects.filter(session_key=session_key, expire_date__gt=timezone.now()).update(expire_date=renewed)
    setattr(request, EXPIRES, renewed)
