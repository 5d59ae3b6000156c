"""The dashboard map: which vendored boundary file draws a unit's children, and the data for it.

A unit whose code has a map here shows its children on it, coloured by completion rate; a
unit one level down shows its parent's map with itself highlighted. Functional zones have no
boundary anywhere: they, and any child the map does not draw, are listed beside the map.
Features are matched to units by GB/T 2260 code (the feature id) or by Chinese name.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.templatetags.static import static

from twintrack.orgs.models import OrgKind, OrgUnit

ZHEJIANG_CITIES = ("hangzhou", "ningbo", "wenzhou", "jiaxing", "huzhou", "shaoxing", "jinhua", "quzhou", "zhoushan",
                   "taizhou", "lishui")


@dataclass(frozen=True)
class GeoMap:
    name: str  # the name the script registers with echarts.registerMap (or map.js assembles)
    scripts: tuple[str, ...]
    assemble: bool = False  # join per-city outlines into one map


MAPS: dict[str, GeoMap] = {
    "330400": GeoMap("嘉兴", ("web/vendor/geo/jiaxing.js",)),
    "330000": GeoMap("浙江", tuple(f"web/vendor/geo/zhejiang/{c}.js" for c in ZHEJIANG_CITIES), assemble=True),
}


def has_boundary(unit: OrgUnit) -> bool:
    return unit.kind != OrgKind.ZONE


def map_for(org: OrgUnit) -> tuple[GeoMap, str] | None:
    """(map, mode): 'children' draws org's children; 'focus' draws org within its parent's map."""
    if org.code in MAPS:
        return MAPS[org.code], "children"
    if org.parent_id is not None and has_boundary(org):
        parent_code = OrgUnit.objects.filter(id=org.parent_id).values_list("code", flat=True).first()
        if parent_code in MAPS:
            return MAPS[parent_code], "focus"
    return None


def map_context(org: OrgUnit, children_rows: list[dict], ranking: dict, own_rates: dict, lang: str) -> dict:
    """The map's JSON (regions to colour, scripts to load) and the zones to list beside it."""
    found = map_for(org)
    children = {c.code: c for c in org.children.all()}
    zones = [row for row in children_rows if row["code"] in children and not has_boundary(children[row["code"]])]
    if found is None:
        return {"map": None, "zones": zones}
    geo, mode = found
    if mode == "children":
        rates = {metric: {row["code"]: row["value"] for row in rows} for metric, rows in ranking.items()}
        regions = [{"code": row["code"], "name": row["name"], "name_zh": children[row["code"]].name_zh,
                    "url": row["url"]}
                   for row in children_rows if row["code"] in children and has_boundary(children[row["code"]])]
    else:
        rates = {metric: {org.code: rate} for metric, rate in own_rates.items()}
        regions = [{"code": org.code, "name": org.display_name(lang), "name_zh": org.name_zh, "url": None}]
    return {
        "map": {"name": geo.name, "assemble": geo.assemble, "mode": mode, "regions": regions, "rates": rates,
                "focus": org.code if mode == "focus" else None},
        "map_scripts": [static(path) for path in geo.scripts],
        "zones": zones,
    }
