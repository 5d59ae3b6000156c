"""Every URL of the app, classified: who gets 200, 302, 403 or 404 (issue 3).

Each app keeps a module `tests/access_tables/<app>.py` with a table

    from access_tables.url_access import Case, SCOPED_READ, expect, but, ...

    URLS = {
        "url-name" or "namespace:url-name": Case(...) or [Case(...), ...],
    }

(django's own URLs included at the project level, such as i18n's set_language, are in
tests/access_tables/web.py.)

and tests/web/test_url_access.py walks the URL conf: every named pattern of every app
must appear in exactly one table (else the test fails and names it), and every Case is
requested as each viewer below, each in a savepoint that is rolled back afterwards.

A Case is a request and the status each viewer must get:

    Case(expect=SCOPED_READ, kwargs=lambda w: {"pk": w.enterprise.pk})
    Case(method="POST", expect=BUREAU_ACTION, kwargs=..., data=lambda w: {"reason": "test"})

`kwargs(world)` gives the URL's arguments, `query` a query string, `data(world)` the
POST body. Build your own objects inside `kwargs` (it runs in the test's database) and
take units, enterprises, projects and users from the world:

    world.orgs        {code: OrgUnit}: 330400 Jiaxing (city), 330402 Nanhu, 330482 Pinghu,
                      NHGX (a zone below Nanhu)
    world.org         Nanhu: the unit of the district officer and the supervisor
    world.other_org   Pinghu: the unit of the officer of another district
    world.enterprise  an enterprise in Nanhu, the enterprise user's own
    world.other_enterprise  an enterprise in Pinghu
    world.project     a project of world.enterprise, with progress in 2023
    world.other_project     a project of world.other_enterprise
    world.progress    a progress row of world.project
    world.target      a target of Nanhu
    world.users       {viewer: User or None}
    world.year, world.month, world.period   2023, 7, "2023-07"

Viewers: anonymous; bureau (the city bureau); district (Nanhu's officer); other_district
(Pinghu's officer: anything of Nanhu must be 404 for them, never 403); supervisor (of
Nanhu, read-only); enterprise (the user of world.enterprise); provider (a service provider
with no assignment yet).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

VIEWERS = ("anonymous", "bureau", "district", "other_district", "supervisor", "enterprise", "provider")

OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405


def expect(**statuses: int) -> dict[str, int]:
    """A full table: every viewer must be given (a new viewer makes every table say what it gets)."""
    missing = [v for v in VIEWERS if v not in statuses]
    unknown = [v for v in statuses if v not in VIEWERS]
    if missing or unknown:
        raise ValueError(f"expect(): missing viewers {missing}, unknown viewers {unknown}")
    return dict(statuses)


def but(base: dict[str, int], **changes: int) -> dict[str, int]:
    """A preset with a few viewers changed: but(SCOPED_READ, enterprise=200)."""
    return expect(**{**base, **changes})


# Presets for the common classes of page. Anonymous users are sent to the login page (302).
PUBLIC = expect(anonymous=OK, bureau=OK, district=OK, other_district=OK, supervisor=OK, enterprise=OK, provider=OK)
LOGGED_IN = but(PUBLIC, anonymous=REDIRECT)
# A page about something in Nanhu: everyone who sees Nanhu reads it; other districts get 404.
SCOPED_READ = expect(anonymous=REDIRECT, bureau=OK, district=OK, other_district=NOT_FOUND, supervisor=OK,
                     enterprise=NOT_FOUND, provider=NOT_FOUND)
# A change to something in Nanhu, by its district or the bureau (a POST answered with a redirect).
SCOPED_CHANGE = expect(anonymous=REDIRECT, bureau=REDIRECT, district=REDIRECT, other_district=NOT_FOUND,
                       supervisor=FORBIDDEN, enterprise=NOT_FOUND, provider=NOT_FOUND)
# The bureau's pages (targets, users): others who see the object get 403, others 404 or 403.
BUREAU_ONLY = expect(anonymous=REDIRECT, bureau=OK, district=FORBIDDEN, other_district=FORBIDDEN,
                     supervisor=FORBIDDEN, enterprise=FORBIDDEN, provider=FORBIDDEN)


@dataclass
class Case:
    expect: dict[str, int]
    kwargs: Callable = field(default=lambda world: {})
    method: str = "GET"
    query: str | Callable = ""
    data: Callable | None = None
    note: str = ""

    def __post_init__(self):
        expect(**self.expect)  # complete and known viewers
        self.method = self.method.upper()


def cases_of(entry) -> list[Case]:
    return list(entry) if isinstance(entry, (list, tuple)) else [entry]
