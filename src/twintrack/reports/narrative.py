"""The sentence a bulletin opens with, in Chinese and English (contract section 3).

Chinese uses reporting units (亿元/万元 for investment, 万吨标准煤 for energy); English uses
billion/million yuan and tonnes. Percentages carry at most two decimals, trailing zeros dropped.
"""
from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal

from twintrack.display.amounts import co2_en, co2_zh, percent, tce_en, tce_zh, trim, yuan_en, yuan_zh
from twintrack.display.periods import months_en, months_zh, parse_period

SCOPE_ZH = {
    "province": "全省", "city": "全市", "district": "全区", "county": "全县",
    "county_city": "全市", "zone": "全区",
}


def co2_in_sentence(metrics: dict) -> dict | None:
    """CO2 (from energy carrier lines) joins the opening sentence when the unit reduced some and
    is judged on it, i.e. has a CO2 target for the period or the year. Otherwise the sentence
    keeps the contract's three clauses exactly, as the bulletin prints them."""
    co2 = metrics.get("co2_reduced_t")
    if not co2 or not co2.get("actual"):
        return None
    if co2.get("target") is None and co2.get("annual_target") is None:
        return None
    return co2


def basis_sentence(report: dict, lang: str) -> str | None:
    """How energy and CO2 were converted (contract section 4), for a report whose energy came
    partly from carrier lines; None otherwise, so reports without lines read as before."""
    energy = report["metrics"].get("energy_saved_tce", {})
    co2 = report["metrics"].get("co2_reduced_t", {}).get("basis") or {}
    basis = energy.get("basis")
    if not basis or not energy.get("carrier_lines_share"):
        return None
    versions = "、".join(v["name"] for v in basis["coefficient_versions"]) if lang == "zh" else ", ".join(
        v["name"] for v in basis["coefficient_versions"])
    kgce = trim(Decimal(str(basis["kgce_per_kwh"])), 6) if basis.get("kgce_per_kwh") is not None else "?"
    share = percent(energy["carrier_lines_share"])
    factor = co2.get("grid_factor_kgco2_per_kwh")
    if lang == "zh":
        electricity = (f"电力按当量值折标（{kgce}千克标准煤/千瓦时）" if basis["electricity"] == "calorific" else
                       f"电力按等价值折标（供电煤耗{trim(Decimal(str(basis['coal_rate_gce_per_kwh'])), 3)}克标准煤/千瓦时，"
                       f"即{kgce}千克标准煤/千瓦时）")
        grid = (f"二氧化碳按{co2.get('grid_region_zh') or '全国'}电网{co2.get('grid_factor_year')}年排放因子"
                f"{trim(Decimal(str(factor)), 4)}千克/千瓦时计算" if factor is not None else "电力二氧化碳未计算")
        return (f"说明：节能量中{share}来自分品种节能明细，按{versions}折标，{electricity}；{grid}，"
                f"燃料排放因子仅供参考。")
    electricity = (f"electricity on the calorific-equivalent basis ({kgce} kgce/kWh)"
                   if basis["electricity"] == "calorific" else
                   f"electricity on the equal-value basis (coal rate "
                   f"{trim(Decimal(str(basis['coal_rate_gce_per_kwh'])), 3)} gce/kWh, {kgce} kgce/kWh)")
    grid = (f"CO2 with the {co2.get('grid_region_en') or 'national'} grid factor of {co2.get('grid_factor_year')}, "
            f"{trim(Decimal(str(factor)), 4)} kg/kWh" if factor is not None else "no electricity CO2")
    return (f"Basis: {share} of the energy saved came from carrier lines, converted with {versions}, "
            f"{electricity}; {grid}; fuel factors for reference, not regulatory.")


# --- sentences ------------------------------------------------------------------------

def _zh_rate(figures: dict) -> str:
    text = percent(figures.get("completion_rate"))
    return f"，完成率{text}" if text else ""


def _en_rate(figures: dict) -> str:
    text = percent(figures.get("completion_rate"))
    return f", {text} of the target" if text else ""


def narrative_zh(metrics: dict, month: int, org_kind: str) -> str:
    scope = SCOPE_ZH.get(org_kind, "")
    projects, invest, energy = metrics["projects"], metrics["investment_yuan"], metrics["energy_saved_tce"]
    co2 = co2_in_sentence(metrics)
    return (
        f"{months_zh(month)}，{scope}累计启动“两化”改造项目{int(projects['actual'])}个{_zh_rate(projects)}；"
        f"完成技改投资{yuan_zh(Decimal(str(invest['actual'])))}{_zh_rate(invest)}；"
        f"实现节能量{tce_zh(Decimal(str(energy['actual'])))}{_zh_rate(energy)}"
        + (f"；减少二氧化碳排放{co2_zh(Decimal(str(co2['actual'])))}{_zh_rate(co2)}" if co2 else "")
        + "。"
    )


def narrative_en(metrics: dict, year: int, month: int) -> str:
    projects, invest, energy = metrics["projects"], metrics["investment_yuan"], metrics["energy_saved_tce"]
    co2 = co2_in_sentence(metrics)
    count = int(projects["actual"])
    noun = "project was" if count == 1 else "projects were"
    return (
        f"{months_en(year, month)}, {format_decimal(count, locale='en')} transformation {noun} launched"
        f"{_en_rate(projects)}; technological-transformation investment reached "
        f"{yuan_en(Decimal(str(invest['actual'])))}{_en_rate(invest)}; energy savings reached "
        f"{tce_en(Decimal(str(energy['actual'])))}{_en_rate(energy)}"
        + (f"; CO2 emissions were cut by {co2_en(Decimal(str(co2['actual'])))}{_en_rate(co2)}" if co2 else "")
        + "."
    )


def narrative(report: dict, org_kind: str) -> dict:
    year, month = parse_period(report["period"])
    return {
        "en": narrative_en(report["metrics"], year, month),
        "zh": narrative_zh(report["metrics"], month, org_kind),
    }
