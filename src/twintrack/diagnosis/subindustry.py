"""The bureau's sub-industry view: per GB/T 4754 group (or class) within a unit's subtree, how
many firms there are, how many are assessed and at each level, the average of each dimension
(and the weakest one), how many SMEs have completed a lightweight transformation, and how
many demonstrations are designated. A few grouped SQL queries, whatever the number of firms.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Q
from django.db.models.functions import Substr

from twintrack.diagnosis.coverage import SME_SIZES
from twintrack.diagnosis.models import (
    AdoptionStatus, Assessment, Demonstration, DemonstrationStatus, Dimension, DimensionScore, Framework,
    SolutionAdoption,
)
from twintrack.diagnosis.scoring import round_score
from twintrack.enterprises.models import Enterprise, IndustryCode
from twintrack.orgs.models import OrgUnit

LEVEL_LENGTH = {"group": 3, "class": 4}


@dataclass
class SubIndustryRow:
    code: str
    name: str
    firms: int = 0
    smes: int = 0
    assessed: int = 0
    levels: dict = field(default_factory=dict)  # level number -> firms
    averages: dict = field(default_factory=dict)  # dimension code -> average score
    weakest: str | None = None
    lightweight_smes: int = 0
    demonstrations: int = 0
    average_overall: Decimal | None = None

    @property
    def assessed_share(self) -> Decimal | None:
        return None if not self.firms else Decimal(self.assessed) / self.firms


def _sub(field_name: str, by: str):
    return Substr(field_name, 1, LEVEL_LENGTH[by])


def overview(org: OrgUnit, framework: Framework, by: str = "group", only: str | None = None,
             lang: str = "zh") -> list[SubIndustryRow]:
    """Rows per sub-industry in the subtree, most firms first (`only`: one code)."""
    if by not in LEVEL_LENGTH:
        raise ValueError(by)
    in_tree = Q(enterprise__org__path__startswith=org.path, enterprise__is_active=True)
    firms = (Enterprise.objects.filter(org__path__startswith=org.path, is_active=True)
             .annotate(sub=_sub("industry_id", by)))
    latest = (Assessment.objects.filter(in_tree, is_active=True, is_latest=True, framework_key=framework.key)
              .annotate(sub=_sub("enterprise__industry_id", by)))
    scores = (DimensionScore.objects.filter(assessment__in=latest.values("id"))
              .annotate(sub=_sub("assessment__enterprise__industry_id", by)))
    adoptions = (SolutionAdoption.objects.filter(in_tree, is_active=True, status=AdoptionStatus.COMPLETED,
                                                 solution__lightweight=True, enterprise__size__in=SME_SIZES)
                 .annotate(sub=_sub("enterprise__industry_id", by)))
    demonstrations = (Demonstration.objects.filter(in_tree, is_active=True, status=DemonstrationStatus.DESIGNATED)
                      .annotate(sub=_sub("industry_id", by)))
    if only:
        firms, latest, scores, adoptions, demonstrations = (
            q.filter(sub=only) for q in (firms, latest, scores, adoptions, demonstrations))

    rows: dict[str, SubIndustryRow] = {}

    def row(code: str) -> SubIndustryRow:
        if code not in rows:
            rows[code] = SubIndustryRow(code, "")
        return rows[code]

    for r in firms.values("sub").order_by().annotate(n=Count("id"), smes=Count("id", filter=Q(size__in=SME_SIZES))):
        row(r["sub"]).firms, row(r["sub"]).smes = r["n"], r["smes"]
    for r in latest.values("sub", "level").order_by().annotate(n=Count("id")):
        row(r["sub"]).levels[r["level"]] = r["n"]
        row(r["sub"]).assessed += r["n"]
    for r in latest.values("sub").order_by().annotate(avg=Avg("overall_score")):
        row(r["sub"]).average_overall = round_score(Decimal(str(r["avg"])), 2)
    maxima = dict(Dimension.objects.filter(framework=framework).values_list("code", "max_score"))
    order = list(Dimension.objects.filter(framework=framework).order_by("order").values_list("code", flat=True))
    for r in scores.values("sub", "code").order_by().annotate(avg=Avg("score")):
        row(r["sub"]).averages[r["code"]] = round_score(Decimal(str(r["avg"])), 2)
    for r in adoptions.values("sub").order_by().annotate(n=Count("enterprise", distinct=True)):
        row(r["sub"]).lightweight_smes = r["n"]
    for r in demonstrations.values("sub").order_by().annotate(n=Count("id")):
        row(r["sub"]).demonstrations = r["n"]

    names = {c.code: c for c in IndustryCode.objects.filter(code__in=list(rows))}
    for code, r in rows.items():
        industry = names.get(code)
        r.name = (industry.name_en or industry.name_zh) if industry and lang.startswith("en") else (
            industry.name_zh if industry else code)
        known = [c for c in order if c in r.averages and c in maxima]
        if known:
            r.weakest = min(known, key=lambda c: (r.averages[c] / maxima[c], order.index(c)))
    return sorted(rows.values(), key=lambda r: (-r.firms, r.code))
