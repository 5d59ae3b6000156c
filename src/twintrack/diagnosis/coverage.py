"""The digital transformation coverage of a unit: of its above-scale manufacturers and of its
SMEs (medium, small and micro firms), how many have been assessed and how many stand at the
configured level or above.

What counts is the bureau's setting (`CoverageSetting`, the nearest unit above with one;
default: the MIIT 2022 framework, level 2, assessments of any age): for each active
enterprise in the unit's subtree, its latest active assessment in that framework dated on or
before `as_of` (and, with `valid_months`, not older than that). One SQL query per call,
grouped by (unit, above scale, size, level): a handful of rows, whatever the number of firms.

    coverage_for(org, as_of)            -> Coverage  (for the dashboard and bulletins)
    coverage_for_units(orgs, as_of)     -> {org id: Coverage}, one query for all
    coverage_sentence(coverage, "zh")   -> a sentence for a bulletin
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When

from twintrack.diagnosis.models import Assessment, CoverageSetting
from twintrack.display import amounts
from twintrack.enterprises.models import Enterprise
from twintrack.metrics.version import cached_subtree_sums
from twintrack.orgs.models import OrgUnit

DEFAULT_FRAMEWORK = "miit_sme_digital_2022"
DEFAULT_MIN_LEVEL = 2
SME_SIZES = ("medium", "small", "micro")


@dataclass(frozen=True)
class Rule:
    framework_key: str = DEFAULT_FRAMEWORK
    min_level: int = DEFAULT_MIN_LEVEL
    valid_months: int | None = None


@dataclass(frozen=True)
class GroupCoverage:
    firms: int
    assessed: int
    at_level: int

    @property
    def assessed_share(self) -> Decimal | None:
        return None if not self.firms else Decimal(self.assessed) / self.firms

    @property
    def at_level_share(self) -> Decimal | None:
        return None if not self.firms else Decimal(self.at_level) / self.firms

    def as_dict(self) -> dict:
        return {"firms": self.firms, "assessed": self.assessed, "at_level": self.at_level,
                "assessed_share": _float(self.assessed_share), "at_level_share": _float(self.at_level_share)}


@dataclass(frozen=True)
class Coverage:
    org: OrgUnit
    as_of: date
    rule: Rule
    above_scale: GroupCoverage
    sme: GroupCoverage

    def as_dict(self) -> dict:
        return {"org": self.org.code, "as_of": self.as_of.isoformat(), "framework": self.rule.framework_key,
                "min_level": self.rule.min_level, "valid_months": self.rule.valid_months,
                "above_scale": self.above_scale.as_dict(), "sme": self.sme.as_dict()}


def _float(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), 6)


def rule_for(org: OrgUnit) -> Rule:
    """The setting of the nearest unit at or above `org`, else the defaults."""
    settings = {s.org_id: s for s in CoverageSetting.objects.filter(org_id__in=org.ancestor_ids())}
    for org_id in reversed(org.ancestor_ids()):
        if org_id in settings:
            s = settings[org_id]
            return Rule(s.framework_key, s.min_level, s.valid_months)
    return Rule()


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    import calendar

    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _latest_level(rule: Rule, as_of: date) -> Subquery:
    rows = Assessment.objects.filter(enterprise=OuterRef("pk"), framework_key=rule.framework_key, is_active=True,
                                     assessed_on__lte=as_of)
    if rule.valid_months:
        rows = rows.filter(assessed_on__gt=_months_before(as_of, rule.valid_months))
    return Subquery(rows.order_by("-assessed_on", "-id").values("level")[:1])


def _tally(rows, rule: Rule) -> dict:
    """{unit: [above firms, assessed, at level, sme firms, assessed, at level]} from grouped rows."""
    tallies: dict = {}
    for row in rows:
        t = tallies.setdefault(row.get("unit"), [0, 0, 0, 0, 0, 0])
        level, n = row["latest_level"], row["n"]
        groups = []
        if row["above_scale"]:
            groups.append(0)
        if row["size"] in SME_SIZES:
            groups.append(3)
        for g in groups:
            t[g] += n
            if level is not None:
                t[g + 1] += n
                if level >= rule.min_level:
                    t[g + 2] += n
    return tallies


def _coverage(org, as_of, rule, t) -> Coverage:
    t = t or [0, 0, 0, 0, 0, 0]
    return Coverage(org, as_of, rule, GroupCoverage(t[0], t[1], t[2]), GroupCoverage(t[3], t[4], t[5]))


def coverage_for(org: OrgUnit, as_of: date, rule: Rule | None = None) -> Coverage:
    """Coverage of the unit's subtree on `as_of` under the bureau's setting (or `rule`)."""
    rule = rule or rule_for(org)
    rows = (Enterprise.objects.filter(is_active=True, org__path__startswith=org.path)
            .annotate(latest_level=_latest_level(rule, as_of))
            .values("above_scale", "size", "latest_level").order_by().annotate(n=Count("id")))
    return _coverage(org, as_of, rule, _tally(rows, rule).get(None))


def coverage_from_parts(org: OrgUnit, as_of: date) -> Coverage:
    """coverage_for(org, as_of), summed from each unit's own enterprises, each unit's sum cached
    by its version (metrics.version): after a write in one district only that district's
    enterprises are counted again (the dashboard's panel)."""
    rule = rule_for(org)
    key = f"coverage-tally:{as_of.isoformat()}:{rule.framework_key}:{rule.min_level}:{rule.valid_months}"
    sums = cached_subtree_sums(key, [org], lambda ids: _own_tallies(ids, as_of, rule),
                               lambda a, b: [x + y for x, y in zip(a, b)], lambda: [0] * 6)
    return _coverage(org, as_of, rule, sums[org.id])


def _own_tallies(org_ids: list[int], as_of: date, rule: Rule) -> dict[int, list[int]]:
    rows = (Enterprise.objects.filter(is_active=True, org_id__in=org_ids)
            .annotate(latest_level=_latest_level(rule, as_of))
            .values("above_scale", "size", "latest_level", unit=F("org_id")).order_by().annotate(n=Count("id")))
    return _tally(rows, rule)


def coverage_for_units(orgs: list[OrgUnit], as_of: date, rule: Rule | None = None) -> dict[int, Coverage]:
    """Coverage of several units (disjoint subtrees, e.g. a unit's children) in one query, under
    one rule (by default the first unit's)."""
    orgs = list(orgs)
    if not orgs:
        return {}
    rule = rule or rule_for(orgs[0])
    where_any = Q()
    for org in orgs:
        where_any |= Q(org__path__startswith=org.path)
    rows = (Enterprise.objects.filter(where_any, is_active=True)
            .annotate(latest_level=_latest_level(rule, as_of),
                      unit=Case(*[When(org__path__startswith=o.path, then=Value(o.id)) for o in orgs],
                                output_field=IntegerField()))
            .values("unit", "above_scale", "size", "latest_level").order_by().annotate(n=Count("id")))
    tallies = _tally(rows, rule)
    return {org.id: _coverage(org, as_of, rule, tallies.get(org.id)) for org in orgs}


def _pct(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return amounts.percent(value, 1, keep_zeros=True, rounding=ROUND_HALF_EVEN)


def coverage_sentence(coverage: Coverage, lang: str = "zh") -> str:
    """One sentence for a bulletin, e.g. '规上工业企业数字化诊断覆盖率62.5%（二级及以上40.0%）…'."""
    a, s, level = coverage.above_scale, coverage.sme, coverage.rule.min_level
    if lang.startswith("en"):
        return (f"Of {a.firms} above-scale manufacturers, {a.assessed} ({_pct(a.assessed_share)}) have been assessed "
                f"and {a.at_level} ({_pct(a.at_level_share)}) stand at level {level} or above; of {s.firms} SMEs, "
                f"{s.assessed} ({_pct(s.assessed_share)}) have been assessed and {s.at_level} "
                f"({_pct(s.at_level_share)}) stand at level {level} or above.")
    numerals = "零一二三四五六七八九"
    level_zh = numerals[level] if 0 <= level < 10 else str(level)
    return (f"规上工业企业{a.firms}家，已完成数字化诊断{a.assessed}家（覆盖率{_pct(a.assessed_share)}），"
            f"达到{level_zh}级及以上{a.at_level}家（{_pct(a.at_level_share)}）；中小企业{s.firms}家，"
            f"已完成诊断{s.assessed}家（{_pct(s.assessed_share)}），达到{level_zh}级及以上{s.at_level}家"
            f"（{_pct(s.at_level_share)}）。")
