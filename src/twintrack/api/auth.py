"""Who calls the API: a personal access token (`Authorization: Bearer TOKEN`), acting as its
user with exactly the user's scope. Sessions are not accepted, so no cookie can carry a
request here and CSRF has nothing to protect (django-ninja exempts its views).

- `TokenAuth`: 401 for no, a bad, an expired or a revoked token (`orgs.tokens.authenticate`);
  the request then runs as the token's user (`request.user`), so history records them.
- `WriteTokenAuth`: the same for writes, and a read token's write is 403 before anything else
  (its body, its objects) is looked at.
- `TokenRateThrottle`: TWINTRACK_API_RATE requests a minute per token (a fixed window in the
  cache), else 429 with Retry-After.
- `name_the_token`: every history record written during a token's request names the token.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle
from simple_history.models import HistoricalRecords

from twintrack.orgs import tokens


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = tokens.authenticate(token.strip())
        if found is None:
            return None
        request.user = found.user
        request.api_token = found
        return found


class WriteTokenAuth(TokenAuth):
    """For writes: a read token is refused with 403 before the request's body is even read."""

    def authenticate(self, request, token):
        found = super().authenticate(request, token)
        if found is not None and not found.can_write:
            raise PermissionDenied(_("this token is read-only: writing needs a token made with write access"))
        return found


def token_reason(reason: str, token) -> str:
    """A history record's reason, naming the API token that made the change."""
    suffix = f" (API token {token.pk} {token.name})"[:60]
    if reason and reason.endswith(suffix):  # an import's reason names it already
        return reason
    return (reason or "api")[:100 - len(suffix)] + suffix


def name_the_token(sender, history_instance, **kwargs) -> None:
    request = getattr(HistoricalRecords.context, "request", None)
    token = getattr(request, "api_token", None)
    if token is not None:
        history_instance.history_change_reason = token_reason(history_instance.history_change_reason, token)


class TokenRateThrottle(BaseThrottle):
    def allow_request(self, request) -> bool:
        token = getattr(request, "auth", None)
        return token is None or tokens.within_rate(token.pk)

    def wait(self) -> float:
        return tokens.rate_wait()
