"""Lists: `?page=N&page_size=M` (M <= 1000, default 100) answering
`{"count", "next", "previous", "results"}`, links absolute (contract section 6)."""
from __future__ import annotations

from typing import Callable

from django.utils.translation import gettext as _
from ninja import Query, Schema
from pydantic import Field

from twintrack.api.problems import Rejected
from twintrack.display.periods import Period, parse_period
from twintrack.metrics import version

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100
MAX_PAGE = 1_000_000


class Paging(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


def _link(request, page: int, size: int) -> str:
    query = request.GET.copy()
    query["page"], query["page_size"] = str(page), str(size)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def page_of(request, queryset, paging: Paging, serialize: Callable) -> dict:
    count = version.cached_count(queryset, request.user)
    start = (paging.page - 1) * paging.page_size
    results = [serialize(item) for item in queryset[start:start + paging.page_size]] if start < count else []
    return {
        "count": count,
        "next": _link(request, paging.page + 1, paging.page_size) if start + paging.page_size < count else None,
        "previous": _link(request, paging.page - 1, paging.page_size) if paging.page > 1 else None,
        "results": results,
    }


def month_filter(text: str | None, column: str = "month") -> Period | None:
    """`?month=YYYY-MM`, or a 422 naming the parameter."""
    if not text:
        return None
    try:
        return parse_period(text)
    except ValueError as error:
        raise Rejected(_("%(column)s: %(reason)s") % {"column": column, "reason": error},
                       [(None, column, str(error))]) from None


def period_of(text: str) -> Period:
    return month_filter(text, "period")


__all__ = ["Paging", "Query", "page_of", "month_filter", "period_of"]
