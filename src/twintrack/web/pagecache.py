"""Whole pages served from the cache while nothing they show has changed.

A view opts in with `@cache_per_session` and names the org units whose subtrees the page shows
with `depends_on(request, units)` before it reads any data (both in `metrics.pages`). Its response is stored under a key
made of the session key, the cookies and headers that choose the language, the full path and
the day, together with the session row as stored and the data versions the page was computed
under (`metrics.version`: the global one, read before the view ran, and each unit's). A later
request with the same key is answered after one indexed query, which reads the session row and
those versions again, before authentication, templates or the view run: the dashboard under
load costs a session look-up, not a page render. A Pinghu import leaves the Tongxiang officer's
cached dashboard valid.

The API's figures (`api.figures`: reports, quality) are kept the same way, with the bearer
token in place of the session: the key holds the token's digest, and the one query reads the
token's state (revoked, expired, its user inactive: a miss, and the full path answers 401) with
the versions. A hit still counts against the token's rate and notes its last use when due.
A path of the API is looked up by its token only, a page by its session only.

Safety rests on the versions, not on expiry:
- a logged-out or expired session has no row (or an old expiry), so it misses;
- a write to anything a page shows bumps the version of its unit and every ancestor, or the
  global one (history records, rollups, targets, any change to a user account other than its
  last-login time: orgs.apps, notices: they bump the recipient's unit);
- a page that names no unit is never stored, nor is a response that sets a new cookie value,
  changes the session or carries messages;
- an expired session misses; a live one's idle clock is restarted here when due, in its row's
  expiry alone (web.sessions), so the session data the entries were stored with stays the same.
"""
from __future__ import annotations

import functools
import hashlib
from datetime import datetime
from datetime import timezone as dt_timezone

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from twintrack.metrics import version
from twintrack.metrics.pages import MARK as _MARK
from twintrack.metrics.pages import UNITS as _UNITS
from twintrack.orgs import tokens
from twintrack.orgs.models import AccessToken

from twintrack.web.sessions import restart_if_due

CACHE_SECONDS = 3600
_GLOBAL = "_twintrack_page_global"  # the global version, read before the view ran
_views: set[str] = set()  # views that have opted in, learnt from their responses


def _view_of(request) -> str | None:
    """The name of the view the request's path leads to (one project's page and another's share
    it: a worker learns once per view, not once per project, that its pages may be cached)."""
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


def _with_versions(columns: tuple[str, ...], source: str, key: str, unit_ids: tuple[int, ...]):
    """(the credential's row, the current versions (global, *units)) in one query: `SELECT
    columns FROM source`, whose condition ends with `= %s`, bound to `key`; None without a row."""
    version_columns, params = version.versions_sql(unit_ids)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns + tuple(version_columns))} FROM {source}", [*params, key])
        row = cursor.fetchone()
    if row is None:
        return None
    return row[:len(columns)], tuple(v or 0 for v in row[len(columns):])


def _session_and_versions(session_key: str, unit_ids: tuple[int, ...]) -> tuple[str, object, tuple] | None:
    """The session row and the current versions (global, *units), in one query."""
    from django.contrib.sessions.models import Session

    found = _with_versions(("s.session_data", "s.expire_date"),
                           f"{Session._meta.db_table} s WHERE s.session_key = %s", session_key, unit_ids)
    if found is None:
        return None
    (data, expires), versions = found
    return data, _aware(expires), versions


def _aware(moment):
    """A timestamp read through a raw cursor as an aware datetime (SQLite answers text)."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return timezone.make_aware(moment, dt_timezone.utc) if timezone.is_naive(moment) else moment


def _token_and_versions(digest: str, unit_ids: tuple[int, ...]) -> tuple[int, object, tuple] | None:
    """A live API token's id and last use, and the current versions (global, *units), in one
    query; None when there is no such token or it is revoked, expired or its user inactive."""
    from django.contrib.auth import get_user_model

    found = _with_versions(("t.id", "t.revoked_at", "t.expires_at", "t.last_used_at", "u.is_active"),
                           f"{AccessToken._meta.db_table} t JOIN {get_user_model()._meta.db_table} u "
                           f"ON u.id = t.user_id WHERE t.digest = %s", digest, unit_ids)
    if found is None:
        return None
    (token_id, revoked, expires, last_used, active), versions = found
    if not tokens.live(_aware(revoked), _aware(expires), active):
        return None
    return token_id, _aware(last_used), versions


def _key(request, session_key: str) -> str:
    parts = (
        session_key,
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
            and not request.session.modified and not getattr(response, "streaming", False)
            and hasattr(request, _UNITS))


class PageCacheMiddleware:
    """Placed right after SessionMiddleware; see the module's docstring."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches["default"]

    def __call__(self, request):
        lookup = self._lookup(request)
        if lookup is not None and lookup[1] is not None:
            response = lookup[1]  # the cache's own copy
            response["X-Page-Cache"] = "hit"  # for benchmarks and operators
            return response
        response = self.get_response(request)
        if getattr(response, _MARK, False):
            _views.add(_view_of(request))
            if lookup is not None and _storable(request, response):
                key, _, state = lookup
                unit_ids, unit_versions = getattr(request, _UNITS)
                entry = (state, unit_ids, (getattr(request, _GLOBAL), *unit_versions), response)
                self.cache.set(key, entry, CACHE_SECONDS)
        return response

    def _lookup(self, request) -> tuple[str, object, object] | None:
        """(key, the stored response if still valid, the credential's state to store it with), or
        None when the request may not use the cache at all. A page's credential is its session;
        an API answer's is its bearer token (a page never reads a token, the API never a session)."""
        if request.method != "GET" or _view_of(request) not in _views or request.COOKIES.get("messages"):
            return None
        if request.path.startswith(_api_prefix()):
            return self._lookup_token(request)
        return self._lookup_session(request)

    def _lookup_session(self, request):
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not session_key:
            return None
        key = _key(request, session_key)
        entry = self.cache.get(key)
        found = _session_and_versions(session_key, entry[1] if entry is not None else ())
        if found is None:
            return None
        data, expires, versions = found
        if expires <= timezone.now():  # the full path refuses it
            return None
        restart_if_due(request, session_key, expires)
        return self._answer(request, key, entry, data, versions)

    def _lookup_token(self, request):
        value = _bearer(request)
        if value is None:
            return None
        digest = tokens.digest_of(value)
        key = _key(request, "token:" + digest)
        entry = self.cache.get(key)
        found = _token_and_versions(digest, entry[1] if entry is not None else ())
        if found is None:
            return None  # the full path answers 401
        token_id, last_used, versions = found
        answer = self._answer(request, key, entry, token_id, versions)
        if answer[1] is not None:
            if not tokens.within_rate(token_id):
                return None  # the full path counts it too and answers 429
            tokens.touch(token_id, last_used)
        return answer

    @staticmethod
    def _answer(request, key: str, entry, state, versions: tuple):
        setattr(request, _GLOBAL, versions[0])
        if entry is not None and entry[0] == state and entry[2] == versions:
            return key, entry[3], state
        return key, None, state


def _bearer(request) -> str | None:
    """The token of an `Authorization: Bearer` header, as the API's authentication reads it."""
    scheme, _, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    value = value.strip()
    return value if scheme.lower() == "bearer" and value.startswith(tokens.TOKEN_PREFIX) else None


@functools.cache
def _api_prefix() -> str:
    return reverse("api:api-root")
