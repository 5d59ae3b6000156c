"""Whole pages served from the cache while nothing they show has changed.

A view opts in with `@cache_per_session`. Its response is stored under a key made of the
data version (`metrics.version`, bumped by every write a page can show), the session row
as stored (who is logged in, their CSRF secret lives in the cookie named in the key), the
cookies and headers that choose the language, the full path and the day. A later request
with the same key is answered after one indexed query, before authentication, templates
or the view run: the dashboard under load costs a session look-up, not a page render.

Safety rests on the key, not on expiry:
- a logged-out or expired session has no row (or an old expiry), so it misses;
- a write to anything a page shows bumps the version (history records, rollups, targets),
  and so does any change to a user account other than its last-login time (orgs.apps);
- a response that sets a new cookie value, changes the session or carries messages is
  never stored;
- once a minute a session's idle clock is due (web.security.SessionIdleMiddleware): that
  request takes the full path, which restarts the clock.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from twintrack.metrics.models import DataVersion

CACHE_SECONDS = 3600
_MARK = "_twintrack_page_cache"
_paths: set[str] = set()  # paths whose view has opted in, learnt from their responses


def cache_per_session(view):
    """Mark a GET view's successful responses as storable by PageCacheMiddleware."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        setattr(response, _MARK, True)
        return response

    return wrapper


def _session_and_version(session_key: str) -> tuple[str, object, int] | None:
    from django.contrib.sessions.models import Session

    sql = (f"SELECT s.session_data, s.expire_date, "
           f"(SELECT counter FROM {DataVersion._meta.db_table} WHERE id = 1) "
           f"FROM {Session._meta.db_table} s WHERE s.session_key = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [session_key])
        row = cursor.fetchone()
    if row is None:
        return None
    data, expires, counter = row
    if isinstance(expires, str):  # SQLite through a raw cursor
        expires = datetime.fromisoformat(expires)
    if timezone.is_naive(expires):
        expires = timezone.make_aware(expires, dt_timezone.utc)
    return data, expires, counter or 0


def _key(request, session_key: str, session_data: str, counter: int) -> str:
    parts = (
        str(counter), session_key, session_data,
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
        request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
        request.get_full_path(), timezone.localdate().isoformat(),
    )
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _sets_new_cookies(request, response) -> bool:
    """True if the response sets a cookie to a value the browser does not already hold (Django
    re-sends the unchanged CSRF cookie with every page that has a form)."""
    return any(request.COOKIES.get(name) != morsel.value for name, morsel in response.cookies.items())


def _storable(request, response) -> bool:
    return (getattr(response, _MARK, False) and response.status_code == 200 and not _sets_new_cookies(request, response)
            and not request.session.modified and not getattr(response, "streaming", False))


class PageCacheMiddleware:
    """Placed right after SessionMiddleware; see the module's docstring."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches["default"]

    def __call__(self, request):
        key = self._lookup_key(request)
        if key is not None:
            response = self.cache.get(key)
            if response is not None:
                return response
        response = self.get_response(request)
        if getattr(response, _MARK, False):
            _paths.add(request.path)
            if key is not None and _storable(request, response):
                self.cache.set(key, response, CACHE_SECONDS)
        return response

    def _lookup_key(self, request) -> str | None:
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if (request.method != "GET" or request.path not in _paths or not session_key
                or request.COOKIES.get("messages")):
            return None
        found = _session_and_version(session_key)
        if found is None:
            return None
        data, expires, counter = found
        idle_clock_due = expires - timezone.now() < timedelta(
            seconds=settings.SESSION_COOKIE_AGE - settings.TWINTRACK_SESSION_TOUCH_SECONDS)
        if idle_clock_due:  # also true once expired: the full path refuses or restarts it
            return None
        return _key(request, session_key, data, counter)
