"""What the diagnosis pages show, as plain data for the templates and charts (no access
decisions here: the views ask twintrack.diagnosis.access first)."""
from __future__ import annotations

from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from twintrack.diagnosis.benchmarks import MIN_PEERS, benchmark, radar_peers
from twintrack.diagnosis.matching import bar_of, match_solutions
from twintrack.diagnosis.models import (
    Assessment, AssessmentKind, Demonstration, DemonstrationStatus, Framework, Level,
)
from twintrack.diagnosis.scoring import change_between, weak_dimensions



def number(value, places: int = 2) -> str:
    """A score as the page writes it: trailing zeros kept to the framework's places."""
    if value is None:
        return "—"
    return f"{Decimal(value):.{places}f}"


def signed(value, places: int = 2) -> str:
    if value is None:
        return "—"
    value = Decimal(value)
    return ("+" if value > 0 else "") + f"{value:.{places}f}"


def scope_label(scope: str) -> str:
    return {"unit": _("Unit"), "city": _("City"), "province": _("Province")}.get(scope, scope)


def peer_label(peer: str) -> str:
    return {"group": _("Same industry group and size"), "class": _("Same industry class and size")}[peer]


def framework_choice(enterprise, wanted: str | None) -> Framework | None:
    """The framework version the page is about: the one asked for, else the one of the
    enterprise's latest assessment, else the first current one."""
    current = {f.key: f for f in Framework.objects.filter(is_current=True, is_active=True).order_by("key")}
    if wanted and wanted in current:
        return current[wanted]
    latest = (Assessment.objects.filter(enterprise=enterprise, is_active=True, is_latest=True)
              .order_by("-assessed_on", "-id").select_related("framework").first())
    if latest is not None:
        return current.get(latest.framework_key, latest.framework)
    if "miit_sme_digital_2022" in current:
        return current["miit_sme_digital_2022"]
    return next(iter(current.values()), None)


def levels_of(framework: Framework) -> dict[int, Level]:
    return {level.number: level for level in framework.levels.all()}


def level_label(level: Level | None, lang: str) -> str:
    return level.display_name(lang) if level else "—"


def history_rows(assessments: list[Assessment], lang: str, places: int) -> list[dict]:
    """Oldest first; each with the change from the one before (same framework key)."""
    rows = []
    previous = None
    level_cache: dict[int, dict] = {}
    for assessment in assessments:
        levels = level_cache.setdefault(assessment.framework_id, levels_of(assessment.framework))
        dims = {d.code: d.score for d in assessment.dimension_scores.all()}
        row = {
            "assessment": assessment,
            "date": assessment.assessed_on,
            "kind": assessment.get_kind_display(),
            "stage": assessment.get_stage_display(),
            "provider": assessment.provider.display_name(lang) if assessment.provider_id else "",
            "score": number(assessment.overall_score, places),
            "level": level_label(levels.get(assessment.level), lang),
            "level_number": assessment.level,
            "version": assessment.framework.version,
            "change": None,
        }
        if previous is not None:
            change = change_between(previous[0].overall_score, previous[0].level, previous[1],
                                    assessment.overall_score, assessment.level, dims)
            row["change"] = {"overall": signed(change.overall, places), "levels": change.levels,
                             "up": change.overall > 0, "down": change.overall < 0}
        rows.append(row)
        previous = (assessment, dims)
    return rows


def assessment_detail(assessment: Assessment, lang: str, places: int = 2) -> dict:
    """Dimension rows (score, maximum, share, change from the previous assessment)."""
    from twintrack.diagnosis.services import previous_assessment

    previous = previous_assessment(assessment)
    before = {d.code: d.score for d in previous.dimension_scores.all()} if previous else {}
    dims, maxima = [], {}
    for row in assessment.dimension_scores.select_related("dimension").order_by("dimension__order"):
        maxima[row.code] = row.dimension.max_score
        share = (row.score / row.dimension.max_score * 100) if row.dimension.max_score else Decimal(0)
        dims.append({
            "code": row.code, "name": row.dimension.display_name(lang), "score": number(row.score, places),
            "raw": row.score, "max": number(row.dimension.max_score, places), "share": int(share.quantize(Decimal(1))),
            "change": signed(row.score - before[row.code], places) if row.code in before else None,
            "up": row.code in before and row.score > before[row.code],
            "down": row.code in before and row.score < before[row.code],
        })
    levels = levels_of(assessment.framework)
    weak = weak_dimensions({d["code"]: d["raw"] / row_max for d in dims if (row_max := maxima[d["code"]])},
                           bar_of(assessment))[:2]
    level = levels.get(assessment.level)
    upper = levels.get(assessment.level + 1)
    to_next = None
    if upper is not None and upper.score_min is not None:
        to_next = number(max(upper.score_min - assessment.overall_score, Decimal(0)), places)
    return {
        "assessment": assessment,
        "previous": previous,
        "overall": number(assessment.overall_score, places),
        "overall_max": number(assessment.framework.scale_max, places),
        "overall_change": signed(assessment.overall_score - previous.overall_score, places) if previous else None,
        "level": level,
        "level_name": level_label(level, lang),
        "level_description": (level.description_en if lang == "en" and level and level.description_en
                              else level.description_zh if level else ""),
        "next_level": upper,
        "next_level_name": level_label(upper, lang) if upper else None,
        "to_next": to_next,
        "dimensions": dims,
        "weakest": weak,
        "pain_points": [line.strip() for line in assessment.pain_points.splitlines() if line.strip()],
        "recommendations": [line.strip() for line in assessment.recommendations.splitlines() if line.strip()],
        "reports": list(assessment.reports.filter(is_active=True)),
        "is_offline": assessment.kind == AssessmentKind.OFFLINE,
    }


def benchmark_table(rows, dims: list[dict], lang: str, places: int = 2) -> list[dict]:
    table = []
    for row in rows:
        table.append({
            "scope": scope_label(row.scope),
            "org": row.org.display_name(lang),
            "peer": peer_label(row.peer),
            "industry_code": row.industry_code,
            "count": row.count,
            "enough": row.enough,
            "overall": None if row.overall.percentile is None else number(row.overall.percentile, 1),
            "average": None if row.overall.average is None else number(row.overall.average, places),
            "dimensions": [None if row.dimensions.get(d["code"]) is None
                           or row.dimensions[d["code"]].percentile is None
                           else number(row.dimensions[d["code"]].percentile, 1) for d in dims],
        })
    return table


def radar_data(detail: dict, rows, lang: str) -> dict:
    assessment = detail["assessment"]
    indicators = [{"name": d["name"], "max": float(Decimal(d["max"]))} for d in detail["dimensions"]]
    series = [{"name": _("Latest (%(date)s)") % {"date": assessment.assessed_on.isoformat()},
               "values": [float(d["raw"]) for d in detail["dimensions"]], "kind": "latest"}]
    previous = detail["previous"]
    if previous is not None:
        before = {d.code: d.score for d in previous.dimension_scores.all()}
        series.append({"name": _("Previous (%(date)s)") % {"date": previous.assessed_on.isoformat()},
                       "values": [float(before.get(d["code"], 0)) for d in detail["dimensions"]],
                       "kind": "previous"})
    peers = radar_peers(rows)
    if peers is not None:
        series.append({
            "name": _("Peer average: %(peers)s, %(scope)s (%(count)s firms)") % {
                "peers": peer_label(peers.peer), "scope": peers.org.display_name(lang), "count": peers.count},
            "values": [float(peers.dimensions[d["code"]].average or 0) for d in detail["dimensions"]],
            "kind": "peers"})
    return {"indicators": indicators, "series": series}


def history_chart(history: list[dict], framework: Framework) -> dict:
    return {"dates": [row["date"].isoformat() for row in history],
            "scores": [float(row["assessment"].overall_score) for row in history],
            "max": float(framework.scale_max),
            "bands": [float(level.score_min) for level in framework.levels.all() if level.score_min is not None],
            "label": _("Overall score")}


def solution_rows(assessment: Assessment, lang: str) -> list[dict]:
    profile, matches = match_solutions(assessment, lang)
    return [{"solution": m.offer.obj, "name": m.offer.name, "provider": m.offer.obj.provider.display_name(lang),
             "kind": m.offer.obj.get_kind_display(), "price": m.offer.obj.get_price_band_display(),
             "points": m.points, "reasons": m.reasons(profile), "references": m.offer.obj.reference_list()[:3]}
            for m in matches]


def demonstrations_to_visit(industry_code: str, lang: str, exclude_enterprise=None, limit: int = 10) -> list:
    """Designated demonstrations of the industry group, open for visits, newest first."""
    rows = (Demonstration.objects.filter(is_active=True, enterprise__is_active=True,
                                         status=DemonstrationStatus.DESIGNATED, open_for_visits=True,
                                         industry__code__startswith=industry_code[:3])
            .select_related("enterprise", "enterprise__org", "industry").order_by("-year", "id"))
    if exclude_enterprise is not None:
        rows = rows.exclude(enterprise=exclude_enterprise)
    return list(rows[:limit])


def enterprise_page(enterprise, framework: Framework | None, visible_assessments, lang: str) -> dict:
    context = {"framework": framework, "places": 2, "history": [], "latest": None}
    if framework is None:
        return context
    places = framework.definition.get("scoring", {}).get("decimals", 2)
    context["places"] = places
    assessments = list(visible_assessments.filter(enterprise=enterprise, framework_key=framework.key)
                       .select_related("framework", "provider").prefetch_related("dimension_scores")
                       .order_by("assessed_on", "id"))
    context["history"] = history_rows(assessments, lang, places)
    if not assessments:
        return context
    latest = assessments[-1]
    detail = assessment_detail(latest, lang, places)
    rows = benchmark(latest, places)
    context.update({
        "latest": detail,
        "benchmarks": benchmark_table(rows, detail["dimensions"], lang, places),
        "min_peers": MIN_PEERS,
        "radar": radar_data(detail, rows, lang),
        "history_chart": history_chart(context["history"], latest.framework) if len(assessments) > 1 else None,
        "solutions": solution_rows(latest, lang),
    })
    return context


def with_latest(enterprises, framework_key: str):
    """Annotate enterprises with their latest assessment (score, level, date) in a framework."""
    latest = Assessment.objects.filter(enterprise=OuterRef("pk"), framework_key=framework_key, is_active=True,
                                       is_latest=True)
    return enterprises.annotate(
        latest_score=Subquery(latest.values("overall_score")[:1]),
        latest_level=Subquery(latest.values("level")[:1]),
        latest_date=Subquery(latest.values("assessed_on")[:1]),
    )
