"""Searching and filtering the enterprise and project lists, always inside what the user sees.

Filters come from the query string and are checked here: a unit the user does not see is
ignored exactly like a unit that does not exist (the list is not narrowed, nothing leaks).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet

from twintrack.enterprises.models import Enterprise, IndustryCode, Size
from twintrack.metrics import version
from twintrack.orgs.access import visible, visible_orgs
from twintrack.orgs.models import OrgUnit
from twintrack.programme.models import Project, ProjectKind, ProjectStatus

PAGE_SIZE = 50
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
YEAR = re.compile(r"^(\d{4})$")


def _text(query, key: str, limit: int = 100) -> str:
    return (query.get(key) or "").strip()[:limit]


def _choice(query, key: str, choices) -> str:
    value = _text(query, key, 32)
    return value if value in dict(choices) else ""


def unit_in_scope(user, code: str) -> OrgUnit | None:
    if not code:
        return None
    return visible_orgs(user).filter(code=code).first()


@dataclass
class EnterpriseFilters:
    q: str = ""
    unit: OrgUnit | None = None
    division: str = ""
    size: str = ""
    deleted: bool = False
    query: dict = field(default_factory=dict)  # for links: the filters as given


def enterprise_filters(user, query) -> EnterpriseFilters:
    division = _text(query, "division", 2)
    return EnterpriseFilters(
        q=_text(query, "q"),
        unit=unit_in_scope(user, _text(query, "unit", 32)),
        division=division if division.isdigit() and len(division) == 2 else "",
        size=_choice(query, "size", Size.choices),
        deleted=query.get("deleted") == "1",
    )


def search_enterprises(user, filters: EnterpriseFilters) -> QuerySet[Enterprise]:
    rows = visible(user, Enterprise).filter(is_active=not filters.deleted)
    if filters.q:
        text = filters.q
        rows = rows.filter(Q(name_zh__icontains=text) | Q(name_en__icontains=text) |
                           Q(uscc__startswith=text.upper().replace(" ", "")))
    if filters.unit is not None:
        rows = rows.filter(org__path__startswith=filters.unit.path)
    if filters.division:
        rows = rows.filter(industry__code__startswith=filters.division)
    if filters.size:
        rows = rows.filter(size=filters.size)
    return rows.select_related("org", "industry").order_by("org__code", "name_zh", "uscc")


def divisions() -> list[IndustryCode]:
    return list(IndustryCode.objects.filter(level="division").order_by("code"))


@dataclass
class ProjectFilters:
    q: str = ""
    unit: OrgUnit | None = None
    kind: str = ""
    status: str = ""
    start: str = ""  # YYYY or YYYY-MM
    start_year: int | None = None
    start_month: int | None = None
    deleted: bool = False
    sort: str = "-start_date"


# The orders a project list offers: columns of the project row itself, so that a province's
# million projects sort by an index or a plain scan, never by a sum over their progress.
PROJECT_SORTS = {
    "-start_date": ("-start_date", "code"), "start_date": ("start_date", "code"),
    "code": ("code",), "-code": ("-code",),
    "-planned": ("-planned_investment_yuan", "code"), "planned": ("planned_investment_yuan", "code"),
}


def project_filters(user, query) -> ProjectFilters:
    filters = ProjectFilters(
        sort=_text(query, "sort", 16) if _text(query, "sort", 16) in PROJECT_SORTS else "-start_date",
        q=_text(query, "q"),
        unit=unit_in_scope(user, _text(query, "unit", 32)),
        kind=_choice(query, "kind", ProjectKind.choices),
        status=_choice(query, "status", ProjectStatus.choices),
        deleted=query.get("deleted") == "1",
    )
    start = _text(query, "start", 7)
    month = MONTH.match(start)
    year = YEAR.match(start)
    if month and 1 <= int(month.group(2)) <= 12:
        filters.start, filters.start_year, filters.start_month = start, int(month.group(1)), int(month.group(2))
    elif year:
        filters.start, filters.start_year = start, int(year.group(1))
    return filters


def search_projects(user, filters: ProjectFilters) -> QuerySet[Project]:
    rows = visible(user, Project).filter(is_active=not filters.deleted)
    if filters.q:
        rows = rows.filter(Q(code__icontains=filters.q) | Q(title__icontains=filters.q) |
                           Q(enterprise__name_zh__icontains=filters.q))
    if filters.unit is not None:
        rows = rows.filter(enterprise__org__path__startswith=filters.unit.path)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.start_year:
        rows = rows.filter(start_date__year=filters.start_year)
    if filters.start_month:
        rows = rows.filter(start_date__month=filters.start_month)
    return rows.select_related("enterprise", "enterprise__org").order_by(*PROJECT_SORTS[filters.sort])


def with_progress(projects) -> list:
    """The page's projects, each with `completed` (investment to date, yuan), `last_month`
    ("YYYY-MM" of its latest progress row) and `done` (completed / planned, or None): one
    grouped query for the page, whatever the size of the list."""
    from django.db.models import Max, Sum

    from twintrack.programme.models import Progress

    projects = list(projects)
    sums = {row["project_id"]: row for row in Progress.objects.filter(project__in=projects)
            .values("project_id").annotate(total=Sum("investment_yuan"), last=Max(F("year") * 100 + F("month")))}
    for project in projects:
        row = sums.get(project.pk, {})
        project.completed = row.get("total")
        last = row.get("last")
        project.last_month = f"{last // 100:04d}-{last % 100:02d}" if last else None
        planned = project.planned_investment_yuan
        project.done = (project.completed or 0) / planned if planned else None
    return projects


def page_of(rows: QuerySet, number, user=None) -> object:
    """The page; with `user`, the rows lie in their scope and the count is kept per version of
    the scope's subtree (version.cached_count)."""
    paginator = Paginator(rows, PAGE_SIZE)
    if user is not None:
        paginator.count = version.cached_count(rows, user)
    return paginator.get_page(number)


def query_without_page(query) -> str:
    return query_without(query)


def query_without(query, *keys: str) -> str:
    """The query string without the page number (and `keys`): for links that change them."""
    copy = query.copy()
    for key in ("page", *keys):
        copy.pop(key, None)
    return copy.urlencode()
