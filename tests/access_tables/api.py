"""Who gets what from the HTTP API's URLs (walked by tests/web/test_url_access.py).

The API takes Bearer tokens only (contract section 6): a browser session, however privileged,
is 401 like no credentials at all, so no page's cookie can act on the API. What each token
gets, role by role, is in tests/api/ (test_api_scope.py, test_api_writes.py, ...). The
OpenAPI document and its interactive docs are public; the bare base path is 404.
"""
from access_tables.url_access import NOT_FOUND, OK, Case, expect

UNAUTHORIZED = 401
TOKENS_ONLY = expect(anonymous=UNAUTHORIZED, bureau=UNAUTHORIZED, district=UNAUTHORIZED,
                     other_district=UNAUTHORIZED, supervisor=UNAUTHORIZED, enterprise=UNAUTHORIZED,
                     provider=UNAUTHORIZED)
PUBLIC = expect(anonymous=OK, bureau=OK, district=OK, other_district=OK, supervisor=OK, enterprise=OK, provider=OK)
NOWHERE = expect(anonymous=NOT_FOUND, bureau=NOT_FOUND, district=NOT_FOUND, other_district=NOT_FOUND,
                 supervisor=NOT_FOUND, enterprise=NOT_FOUND, provider=NOT_FOUND)

NOTE = "a session is not a token: 401 (tokens: tests/api/)"


def _code(world):
    return {"code": world.org.code}


def _report(world):
    return {"org": world.org.code, "period": world.period}


URLS = {
    "api:api-root": Case(expect=NOWHERE, note="the base path itself is no operation"),
    "api:openapi-json": Case(expect=PUBLIC, note="the OpenAPI document describes, it holds no data"),
    "api:openapi-view": Case(expect=PUBLIC, note="the interactive docs (a token is typed into them)"),
    "api:orgunits": Case(expect=TOKENS_ONLY, note=NOTE),
    "api:orgunit": Case(expect=TOKENS_ONLY, kwargs=_code, note=NOTE),
    "api:enterprises": Case(expect=TOKENS_ONLY, note=NOTE),
    "api:enterprise": Case(expect=TOKENS_ONLY, kwargs=lambda w: {"uscc": w.enterprise.uscc}, note=NOTE),
    "api:projects": Case(expect=TOKENS_ONLY, note=NOTE),
    "api:project": Case(expect=TOKENS_ONLY, kwargs=lambda w: {"code": w.project.code}, note=NOTE),
    "api:project_progress": Case(expect=TOKENS_ONLY, kwargs=lambda w: {"code": w.project.code}, note=NOTE),
    "api:report": Case(expect=TOKENS_ONLY, kwargs=_report, note=NOTE),
    "api:quality": Case(expect=TOKENS_ONLY, kwargs=_report, note=NOTE),
    "api:bulletins": Case(expect=TOKENS_ONLY, kwargs=_report, note=NOTE),
    "api:bulletin_file": Case(expect=TOKENS_ONLY, kwargs=lambda w: {**_report(w), "version": 1, "fmt": "pdf"},
                              note=NOTE),
    "api:import_kind": Case(method="POST", expect=TOKENS_ONLY, kwargs=lambda w: {"kind": "progress"}, note=NOTE),
    "api:visits": Case(expect=TOKENS_ONLY, note=NOTE),
    "api:visit_create": Case(method="POST", expect=TOKENS_ONLY, note=NOTE),
    "api:findings": Case(expect=TOKENS_ONLY, note=NOTE),
    "api:finding_create": Case(method="POST", expect=TOKENS_ONLY, note=NOTE),
    "api:requirements": Case(expect=TOKENS_ONLY, note=NOTE),
    "api:requirement_create": Case(method="POST", expect=TOKENS_ONLY, note=NOTE),
    "api:requirement_respond": Case(method="POST", expect=TOKENS_ONLY, kwargs=lambda w: {"code": "R-1"}, note=NOTE),
    "api:finding_attachment": Case(method="POST", expect=TOKENS_ONLY, kwargs=lambda w: {"code": "F-1"}, note=NOTE),
    "api:requirement_evidence": Case(method="POST", expect=TOKENS_ONLY, kwargs=lambda w: {"code": "R-1"}, note=NOTE),
    "api:groups": Case(expect=TOKENS_ONLY, note=NOTE),
    "api:group_coverage": Case(expect=TOKENS_ONLY, kwargs=lambda w: {"code": "G-1"}, note=NOTE),
    "api:key_tasks": Case(expect=TOKENS_ONLY, note=NOTE),
}
