"""What a view declares for the page cache (`twintrack.web.pagecache`, which serves the pages).

A view opts in with `@cache_per_session` (an API view with `storable(response)`) and names, with `depends_on(request, units)`, the
org units whose subtrees the page shows, before it reads any data: its response stays valid
until the data version of one of those units (or the global one) changes. The units of the
top bar every page carries (the unread notices, the work queue) are added here, named by the
setting TWINTRACK_PAGE_UNITS, so a view names only what its own body shows; for them the page
depends on their attention counters, which writes of figures alone leave as they are: an
import in one district does not end the bureau's cached pages of another. This half lives beside
the data versions so that apps below the web layer (the bulletins page of reports) can opt in.
"""
from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.utils.module_loading import import_string

from twintrack.metrics import version

MARK = "_twintrack_page_cache"
UNITS = "_twintrack_page_units"  # (unit ids, their versions), set by depends_on


def cache_per_session(view):
    """Mark a GET view's successful responses as storable by the page cache. The page may show a
    part that another request is computing at that moment as it stood just before
    (`version.earlier_while_computing`); such a page says so and is not stored."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with version.earlier_while_computing() as earlier:
            response = view(request, *args, **kwargs)
        return response if earlier.values else storable(response)

    return wrapper


def storable(response):
    """Mark one response as storable by the page cache (an API answer: its credential is the
    request's token, as a page's is its session)."""
    setattr(response, MARK, True)
    return response


def _top_bar_units(user) -> list:
    name = getattr(settings, "TWINTRACK_PAGE_UNITS", "")
    return list(import_string(name)(user)) if name else []


def depends_on(request, units, top_bar: bool = True, period: tuple[int, int] | None = None) -> None:
    """The page shows these units' subtrees (OrgUnits or ids), and the top bar (an API answer has
    none): it stays cached until one of them, or the global version, changes. period=(year,
    month): the page shows that month, named by the request (not a default read from the data),
    and later months' progress leaves it valid (`version.through`). Call it before reading the
    page's data."""
    shown = version.through(units, *period) if period else version.unit_ids(units)
    ids = shown + version.attention(_top_bar_units(request.user) if top_bar else ())
    setattr(request, UNITS, (tuple(ids), version.versions(ids)[1:]))
