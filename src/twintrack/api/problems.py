"""Every error of the API as `application/problem+json` (RFC 9457): `type`, `title`, `status`,
`detail`, and for rejected rows or fields `errors: [{"row", "column", "message"}]` (rows as
Excel shows them, header = row 1; `row` is null for a field of a JSON body or a parameter)."""
from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

PROBLEM_CONTENT_TYPE = "application/problem+json"


class RowError(Schema):
    row: int | None
    column: str | None
    message: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[RowError] | None = None
    total: int | None = None  # rejected rows: how many problems in all (at most 1,000 are listed)


class Rejected(Exception):
    """A request the rules refuse (422): `errors` are (row, column, message) triples."""

    def __init__(self, detail: str, errors: list[tuple[int | None, str | None, str]] = (), total: int | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)
        self.total = total


def problem(status: int, slug: str, title: str, detail: str, errors=None, total=None, **headers) -> HttpResponse:
    body = {"type": f"urn:twintrack:problem:{slug}", "title": title, "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = [{"row": row, "column": column, "message": message} for row, column, message in errors]
    if total is not None:
        body["total"] = total
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_CONTENT_TYPE)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def unauthorized(request, exc):
    return problem(401, "unauthorized", _("Unauthorized"),
                   _("send a valid API token: Authorization: Bearer TOKEN (it may be missing, unknown, expired "
                     "or revoked)"), WWW_Authenticate="Bearer")


def forbidden(request, exc):
    message = str(exc) if str(exc) else _("this token's user may not do this")
    return problem(403, "forbidden", _("Forbidden"), message)


def not_found(request, exc):
    return problem(404, "not-found", _("Not found"), _("no such object"))


def throttled(request, exc):
    return problem(429, "too-many-requests", _("Too many requests"),
                   _("this token made too many requests; try again after the time in Retry-After"))


def rejected(request, exc: Rejected):
    return problem(422, "rejected", _("Rejected"), exc.detail, exc.errors, exc.total)


def invalid(request, exc: ValidationError):
    errors = [(None, ".".join(str(part) for part in error.get("loc", ())[1:]) or None, error.get("msg", ""))
              for error in exc.errors]
    return problem(422, "invalid-request", _("Invalid request"),
                   "; ".join(f"{column}: {message}" if column else message for _row, column, message in errors),
                   errors)


def http_error(request, exc: HttpError):
    if exc.status_code == 400:  # django-ninja's own: a body that is not JSON or not a form
        return problem(400, "bad-request", _("Bad request"), _("the request body cannot be read: %(reason)s")
                       % {"reason": str(exc)})
    return problem(exc.status_code, "http-error", str(exc), str(exc))


def install(api) -> None:
    api.add_exception_handler(AuthenticationError, unauthorized)
    api.add_exception_handler(Throttled, throttled)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(Rejected, rejected)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(HttpError, http_error)


READ_ERRORS = {401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem}
WRITE_ERRORS = {400: Problem, **READ_ERRORS}  # a body that cannot be parsed at all
