"""Personal access tokens of the HTTP API (data contract section 6).

A token is `tt_` followed by 43 random URL-safe characters. The database keeps its SHA-256
(a token has 256 bits of entropy, so a fast hash is enough: nothing to brute-force) and its
first characters, which the account page shows so a person can tell their tokens apart.
A token always acts as its user, with exactly the user's scope: it carries no scope of its
own beyond "read" or "read and write", so nobody can make a token wider than themselves.
"""
from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.utils import timezone

from twintrack.orgs.models import AccessToken

TOKEN_PREFIX = "tt_"
SHOWN_PREFIX = 11  # "tt_" and 8 characters of the secret
DEFAULT_DAYS = 90
MAX_DAYS = 3660
TOUCH_SECONDS = 60  # last-used time is written at most once a minute per token


def digest_of(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _record(token: AccessToken, actor, reason: str) -> None:
    token._history_user = actor if getattr(actor, "pk", None) else None
    token._change_reason = reason[:100]
    token.save()


@transaction.atomic
def create_token(user, name: str = "", *, write: bool = False, days: int = DEFAULT_DAYS,
                 actor=None) -> tuple[AccessToken, str]:
    """A new token for `user`; returns it and its value (the only time the value exists).
    `actor` is who made it, for the history (None: the server's operator)."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be between 1 and {MAX_DAYS}")
    value = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = AccessToken(user=user, name=(name or "").strip()[:100] or f"token {now:%Y-%m-%d}",
                        prefix=value[:SHOWN_PREFIX], digest=digest_of(value), can_write=write,
                        created_at=now, expires_at=now + timedelta(days=days))
    _record(token, actor, "token created")
    return token, value


@transaction.atomic
def revoke_token(token: AccessToken, actor=None) -> bool:
    """Revoke at once; False if it was already revoked."""
    token = AccessToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    _record(token, actor, "token revoked")
    return True


def is_live(token: AccessToken, now=None) -> bool:
    return live(token.revoked_at, token.expires_at, token.user.is_active, now)


def live(revoked_at, expires_at, user_active: bool, now=None) -> bool:
    """A token's state is live: not revoked, not expired, its user active."""
    return revoked_at is None and expires_at > (now or timezone.now()) and bool(user_active)


def authenticate(value: str) -> AccessToken | None:
    """The live token with this value, or None (unknown, expired, revoked, or its user inactive)."""
    if not value or not value.startswith(TOKEN_PREFIX) or len(value) > 200:
        return None
    token = (AccessToken.objects.select_related("user", "user__membership__org")
             .filter(digest=digest_of(value)).first())
    if token is None or not is_live(token):
        return None
    _touch(token)
    return token


def _touch(token: AccessToken) -> None:
    token.last_used_at = touch(token.pk, token.last_used_at)


def touch(token_id: int, last_used_at):
    """Note the last use, at most once a minute, never at the cost of the request itself; returns
    the last-use time now stored."""
    now = timezone.now()
    if last_used_at is None or (now - last_used_at).total_seconds() >= TOUCH_SECONDS:
        try:
            with transaction.atomic():
                AccessToken.objects.filter(pk=token_id).update(last_used_at=now)  # no history row for this
        except DatabaseError:  # a writer holds the database: the next request notes it
            return last_used_at
        return now
    return last_used_at


RATE_WINDOW_SECONDS = 60


def within_rate(token_id: int) -> bool:
    """Count one request of this token in the current minute (a fixed window in the shared cache);
    False once it is over TWINTRACK_API_RATE."""
    window = int(time.time() // RATE_WINDOW_SECONDS)
    key = f"api-rate:{token_id}:{window}"
    cache = caches["default"]
    cache.add(key, 0, RATE_WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS * 2)
        count = 1
    return count <= settings.TWINTRACK_API_RATE


def rate_wait() -> float:
    """Seconds until the current window ends."""
    return RATE_WINDOW_SECONDS - time.time() % RATE_WINDOW_SECONDS


def tokens_of(user):
    return AccessToken.objects.filter(user=user).order_by("-created_at", "-id")
