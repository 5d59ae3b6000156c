"""An enterprise against its peers: percentiles and averages of the overall and dimension scores.

Peers are the other active enterprises whose latest assessment (`is_latest`) is in the same
framework (by key, so versions compare) and that share the enterprise's size band and its
GB/T 4754 group (3 digits) or class (4 digits), within its unit, its city and its province
(the ancestors in OrgUnit.path). The percentile is the share of peers scoring below, ties
counting half (`scoring.percentile_rank`). Everything is counted in SQL: one query for the
overall score and one for the dimensions per peer kind, whatever the number of scopes.
Averages and percentiles are shown only with at least MIN_PEERS peers, so that no single
firm's score can be read off a comparison.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Q

from twintrack.diagnosis.models import Assessment, DimensionScore
from twintrack.diagnosis.scoring import percent_of, round_score
from twintrack.orgs.models import OrgUnit

MIN_PEERS = 3
PEER_KINDS = ("group", "class")
SCOPE_KINDS = ("unit", "city", "province")


@dataclass
class Figure:
    count: int
    percentile: Decimal | None
    average: Decimal | None


@dataclass
class BenchmarkRow:
    scope: str  # unit | city | province
    org: OrgUnit
    peer: str  # group | class
    industry_code: str
    count: int
    overall: Figure
    dimensions: dict[str, Figure] = field(default_factory=dict)

    @property
    def enough(self) -> bool:
        return self.count >= MIN_PEERS


def scopes_of(org: OrgUnit) -> list[tuple[str, OrgUnit]]:
    """(unit, city, province) above and including the enterprise's unit, each once, narrowest first."""
    ancestors = {o.id: o for o in OrgUnit.objects.filter(id__in=org.ancestor_ids())}
    chain = [ancestors[i] for i in reversed(org.ancestor_ids()) if i in ancestors]  # the unit first
    scopes: list[tuple[str, OrgUnit]] = []
    for kind in SCOPE_KINDS:
        if kind == "unit":
            unit = chain[0] if chain else org
            scopes.append(("unit" if unit.kind not in ("city", "province") else unit.kind, unit))
            continue
        match = next((o for o in chain if o.kind == kind), None)
        if match is not None and all(match.id != o.id for _, o in scopes):
            scopes.append((kind, match))
    return scopes


def _figure(count: int, below: int, ties: int, average, decimals: int) -> Figure:
    if count < MIN_PEERS:
        return Figure(count, None, None)
    return Figure(count, percent_of(below, ties, count),
                  None if average is None else round_score(Decimal(str(average)), decimals))


def peer_filter(assessment: Assessment, peer: str) -> Q:
    enterprise = assessment.enterprise
    code = enterprise.industry_id
    industry = Q(enterprise__industry__code__startswith=code[:3]) if peer == "group" else Q(enterprise__industry_id=code)
    return industry & Q(enterprise__size=enterprise.size)


def benchmark(assessment: Assessment, decimals: int = 2) -> list[BenchmarkRow]:
    """Rows for each scope (narrowest first) and peer kind (group, class)."""
    enterprise = assessment.enterprise
    scopes = scopes_of(enterprise.org)
    widest = scopes[-1][1]
    scores = {d.code: d.score for d in assessment.dimension_scores.all()}
    rows = []
    for peer in PEER_KINDS:
        base = (Assessment.objects
                .filter(is_active=True, is_latest=True, framework_key=assessment.framework_key,
                        enterprise__is_active=True, enterprise__org__path__startswith=widest.path)
                .filter(peer_filter(assessment, peer))
                .exclude(enterprise_id=enterprise.id))
        overall_aggregates = {}
        for i, (_, org) in enumerate(scopes):
            inside = Q(enterprise__org__path__startswith=org.path)
            overall_aggregates.update({
                f"n{i}": Count("id", filter=inside),
                f"below{i}": Count("id", filter=inside & Q(overall_score__lt=assessment.overall_score)),
                f"ties{i}": Count("id", filter=inside & Q(overall_score=assessment.overall_score)),
                f"avg{i}": Avg("overall_score", filter=inside),
            })
        overall = base.aggregate(**overall_aggregates)
        below_dimension = Q(pk__in=[])
        tie_dimension = Q(pk__in=[])
        for code, score in scores.items():
            below_dimension |= Q(code=code, score__lt=score)
            tie_dimension |= Q(code=code, score=score)
        dimension_aggregates = {}
        for i, (_, org) in enumerate(scopes):
            inside = Q(assessment__enterprise__org__path__startswith=org.path)
            dimension_aggregates.update({
                f"n{i}": Count("id", filter=inside),
                f"below{i}": Count("id", filter=inside & below_dimension),
                f"ties{i}": Count("id", filter=inside & tie_dimension),
                f"avg{i}": Avg("score", filter=inside),
            })
        by_code = {row["code"]: row for row in (
            DimensionScore.objects.filter(assessment__in=base.values("id"), code__in=list(scores))
            .values("code").order_by("code").annotate(**dimension_aggregates))}
        for i, (scope, org) in enumerate(scopes):
            count = overall[f"n{i}"]
            row = BenchmarkRow(
                scope=scope, org=org, peer=peer,
                industry_code=enterprise.industry_id[:3] if peer == "group" else enterprise.industry_id,
                count=count,
                overall=_figure(count, overall[f"below{i}"], overall[f"ties{i}"], overall[f"avg{i}"], decimals))
            for code in scores:
                d = by_code.get(code)
                row.dimensions[code] = (_figure(d[f"n{i}"], d[f"below{i}"], d[f"ties{i}"], d[f"avg{i}"], decimals)
                                        if d else Figure(0, None, None))
            rows.append(row)
    return rows


def radar_peers(rows: list[BenchmarkRow]) -> BenchmarkRow | None:
    """The comparison the radar chart draws: group peers in the city, else the province, else the
    unit; then class peers; the first with enough peers."""
    order = [(p, s) for p in PEER_KINDS for s in ("city", "province", "unit")]
    for peer, scope in order:
        for row in rows:
            if row.peer == peer and row.scope == scope and row.enough:
                return row
    return None
