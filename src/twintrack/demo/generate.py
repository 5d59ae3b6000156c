"""The Jiaxing demo data set, generated from a seed (no database access here).

Jiaxing's statistics report nine units: the seven county-level divisions and two
functional zones (经开, 港区). The generator draws enterprises, projects and monthly
progress for 2023 January-October and then scales each unit's figures so that the
January-July city report reproduces the bureau's bulletin exactly:

    1,505 projects (target 1,400), 42.965 billion yuan (target 40 billion),
    319,100 tce (target 300,000).

Units differ through a performance factor: some are ahead of schedule, some behind.

About two in five energy-saving (green, digital-and-green) projects report their savings
as measured energy carriers (electricity, raw coal, natural gas, steam) instead of a tce
figure. Their quantities are chosen so that, converted by the shipped GB/T 2589-2008 table
(calorific electricity), each project-month's lines come within a few grams of the tce they
replace; the grams left over go to the largest tce row of the same unit and month, so
every unit's monthly energy, and the bulletin's 319,100 tce, stay exact.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from stdnum.cn import uscc as uscc_check

from twintrack.demo.anomalies import place_anomalies, plausible_plans

SEED = 20230731
YEAR = 2023
PERIOD_MONTH = 7  # the bulletin's January-July
LAST_MONTH = 10  # progress is reported through October

CITY_ACTUAL = {"projects": 1505, "investment_yuan": Decimal("42965000000"), "energy_saved_tce": Decimal("319100")}
CITY_PERIOD_TARGET = {"projects": Decimal(1400), "investment_yuan": Decimal("40000000000"),
                      "energy_saved_tce": Decimal("300000")}
CITY_ANNUAL_TARGET = {"projects": Decimal(2400), "investment_yuan": Decimal("68000000000"),
                      "energy_saved_tce": Decimal("510000")}
# Cumulative share of the annual target due by each month; month 7 is replaced by the
# bulletin's period target. Low in January-February (Spring Festival), even afterwards.
CUMULATIVE_SHARE = [Decimal(x) for x in
                    ("0.05", "0.11", "0.20", "0.29", "0.38", "0.48", "0.5833", "0.66", "0.75", "0.83", "0.91", "1")]


@dataclass(frozen=True)
class Unit:
    code: str
    name_zh: str
    name_en: str
    kind: str
    login: str
    weight: float  # share of the city's programme
    performance: float  # >1 ahead of its targets, <1 behind


CITY = Unit("330400", "嘉兴市", "Jiaxing", "city", "bureau", 0, 1)
UNITS = (
    Unit("330402", "南湖区", "Nanhu District", "district", "nanhu", 0.10, 1.10),
    Unit("330411", "秀洲区", "Xiuzhou District", "district", "xiuzhou", 0.09, 0.90),
    Unit("330421", "嘉善县", "Jiashan County", "county", "jiashan", 0.12, 1.06),
    Unit("330424", "海盐县", "Haiyan County", "county", "haiyan", 0.08, 0.86),
    Unit("330481", "海宁市", "Haining City", "county_city", "haining", 0.15, 1.12),
    Unit("330482", "平湖市", "Pinghu City", "county_city", "pinghu", 0.12, 1.00),
    Unit("330483", "桐乡市", "Tongxiang City", "county_city", "tongxiang", 0.16, 1.15),
    Unit("JXJK", "嘉兴经济技术开发区（经开）", "Jiaxing Economic and Technological Development Zone", "zone",
         "jingkai", 0.10, 0.95),
    Unit("JXGQ", "嘉兴港区（港区）", "Jiaxing Port Area", "zone", "gangqu", 0.08, 0.92),
)

# (name_zh, name_en, unit code, GB/T 4754 class, size): the firms the bureau's inspections visited.
NAMED_ENTERPRISES = (
    ("巨石集团有限公司", "Jushi Group", "330483", "3061", "large"),
    ("德威不锈钢有限公司", "Dewei Stainless Steel", "330402", "3130", "medium"),
    ("传化合成材料有限公司", "Transchemical Synthesis", "JXGQ", "2652", "large"),
    ("欧迪恩传动科技有限公司", "Odeon Transmission", "330482", "3453", "medium"),
    ("丰川电子科技有限公司", "Fengchuan Electronics", "330402", "3982", "small"),
    ("美谊智能传感科技有限公司", "Meiyi Intelligent Sensing", "330482", "3983", "small"),
)

# Jiaxing's main manufacturing classes, with a weight for how common they are.
INDUSTRY_MIX = (
    ("2822", 8), ("1751", 8), ("1713", 5), ("3061", 2), ("2929", 6), ("3670", 8), ("3484", 7),
    ("3453", 4), ("3982", 6), ("3983", 3), ("3981", 3), ("2614", 4), ("2651", 4), ("3130", 3),
    ("3311", 4), ("3360", 3), ("3399", 4), ("3824", 3), ("3891", 2), ("2231", 3), ("2710", 2),
    ("3569", 2), ("3660", 2),
)
NAME_WORDS = ("恒", "华", "嘉", "盛", "丰", "新", "永", "宏", "立", "凯", "瑞", "禾", "锦", "海", "通", "达",
              "源", "隆", "力", "博", "泰", "信", "益", "远", "明", "科", "德", "富", "昌", "荣")
NAME_SUFFIX = {"28": "化纤", "17": "纺织", "30": "新材料", "29": "塑业", "36": "汽配", "34": "机械", "39": "电子",
               "26": "化工", "31": "钢业", "33": "金属制品", "38": "电气", "22": "包装", "27": "药业", "35": "装备"}
CATEGORIES = {
    "digital": ("智能工厂", "数字化车间", "工业互联网平台应用", "轻量化SaaS应用", "机器换人"),
    "green": ("节能改造", "光伏发电", "余热回收利用", "电机系统节能", "绿色工厂"),
    "digital_green": ("能源管理系统", "数字化能碳管理", "智能化节能产线"),
}
TOTAL_ENTERPRISES = 300


@dataclass
class EnterpriseRow:
    uscc: str
    name_zh: str
    name_en: str
    org_code: str
    industry_code: str
    size: str
    above_scale: bool


@dataclass
class ProjectRow:
    code: str
    uscc: str
    org_code: str
    title: str
    kind: str
    category: str
    start_date: date
    planned_end_date: date
    planned_investment_yuan: Decimal
    status: str


@dataclass
class ProgressRow:
    project_code: str
    org_code: str
    month: int
    investment_yuan: Decimal
    energy_saved_tce: Decimal | None


@dataclass
class EnergyRow:
    project_code: str
    org_code: str
    month: int
    carrier: str
    quantity: Decimal
    unit: str


@dataclass
class BaselineRow:
    project_code: str
    carrier: str
    first_month: date
    months: int
    quantity: Decimal
    unit: str


@dataclass
class TargetRow:
    org_code: str
    metric: str
    year: int
    through_month: int
    value: Decimal


@dataclass
class DemoData:
    units: tuple = (CITY,) + UNITS
    enterprises: list[EnterpriseRow] = field(default_factory=list)
    projects: list[ProjectRow] = field(default_factory=list)
    progress: list[ProgressRow] = field(default_factory=list)
    targets: list[TargetRow] = field(default_factory=list)
    energy: list[EnergyRow] = field(default_factory=list)
    baselines: list[BaselineRow] = field(default_factory=list)
    confirmations: list = field(default_factory=list)  # anomalies.Confirmation: findings the demo confirms


# --- allocation helpers ---------------------------------------------------------------

def allocate(total: int, weights: list[float]) -> list[int]:
    """Split an integer total in proportion to weights, exactly (largest remainder)."""
    scale = sum(weights)
    raw = [total * w / scale for w in weights]
    shares = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - shares[i], reverse=True)
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def make_uscc(rng: random.Random, region: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + region[:6].ljust(6, "0") + "".join(rng.choice(alphabet) for _ in range(9))
    return body + uscc_check.calc_check_digit(body)


def region_of(unit_code: str) -> str:
    return {"JXJK": "330402", "JXGQ": "330482"}.get(unit_code, unit_code)


def round_to(value: Decimal, quantum: str) -> Decimal:
    return Decimal(value).quantize(Decimal(quantum), rounding=ROUND_HALF_UP)


# --- the generator ----------------------------------------------------------------------

def generate(seed: int = SEED) -> DemoData:
    rng = random.Random(seed)
    data = DemoData()
    data.enterprises = _enterprises(rng)
    data.projects = _projects(rng, data.enterprises)
    data.progress = _progress(rng, data.projects)
    data.targets = _targets()
    data.energy, data.baselines = _energy_lines(random.Random(seed + 1), data.projects, data.progress)
    plausible_plans(data.projects, data.progress)
    data.progress, data.confirmations = place_anomalies(data.projects, data.progress)
    return data


def _enterprises(rng: random.Random) -> list[EnterpriseRow]:
    rows, used = [], set()
    for name_zh, name_en, unit, industry, size in NAMED_ENTERPRISES:
        rows.append(EnterpriseRow(make_uscc(rng, region_of(unit)), name_zh, name_en, unit, industry, size, True))
    counts = allocate(TOTAL_ENTERPRISES, [u.weight for u in UNITS])
    codes, weights = zip(*INDUSTRY_MIX)
    for unit, count in zip(UNITS, counts):
        place = unit.name_zh[:2]
        for _ in range(count - sum(1 for r in rows if r.org_code == unit.code)):
            industry = rng.choices(codes, weights)[0]
            while True:
                words = "".join(rng.sample(NAME_WORDS, 2))
                name = f"{place}{words}{NAME_SUFFIX.get(industry[:2], '实业')}有限公司"
                if name not in used:
                    used.add(name)
                    break
            size = rng.choices(("large", "medium", "small", "micro"), (4, 22, 56, 18))[0]
            above = size in ("large", "medium") or (size == "small" and rng.random() < 0.6)
            rows.append(EnterpriseRow(make_uscc(rng, region_of(unit.code)), name, "", unit.code, industry, size,
                                      above))
    return rows


def _start(rng: random.Random, year: int, months: range) -> date:
    weights = [2 if m in (1, 2) else 4 for m in months]
    return date(year, rng.choices(list(months), weights)[0], rng.randint(1, 28))


def _projects(rng: random.Random, enterprises: list[EnterpriseRow]) -> list[ProjectRow]:
    by_unit = {u.code: [e for e in enterprises if e.org_code == u.code] for u in UNITS}
    launched = allocate(CITY_ACTUAL["projects"], [u.weight * u.performance for u in UNITS])
    rows: list[ProjectRow] = []
    for unit, count in zip(UNITS, launched):
        plan = ([("launched", range(1, PERIOD_MONTH + 1), YEAR)] * count
                + [("cancelled", range(1, PERIOD_MONTH + 1), YEAR)] * rng.randint(1, 5)
                + [("later", range(PERIOD_MONTH + 1, LAST_MONTH + 1), YEAR)] * int(count * 0.28)
                + [("planned", range(LAST_MONTH + 1, 13), YEAR)] * int(count * 0.03)
                + [("carried", range(3, 13), YEAR - 1)] * int(count * 0.22))
        for what, months, year in plan:
            rows.append(_project(rng, len(rows) + 1, rng.choice(by_unit[unit.code]), what, months, year))
    return rows


def _project(rng, number, enterprise: EnterpriseRow, what: str, months: range, year: int) -> ProjectRow:
    kind = rng.choices(("digital", "green", "digital_green"), (55, 25, 20))[0]
    category = rng.choice(CATEGORIES[kind])
    start = _start(rng, year, months)
    duration = rng.randint(4, 18)
    end_month = start.month - 1 + duration
    end = date(start.year + end_month // 12, end_month % 12 + 1, 28)
    scale = {"large": 6.0, "medium": 2.0, "small": 0.8, "micro": 0.3}[enterprise.size]
    planned = round_to(Decimal(str(rng.lognormvariate(16.3, 0.8) * scale)), "10000")
    if what == "cancelled":
        status = "cancelled"
    elif what == "planned":
        status = "planned"
    elif end <= date(YEAR, LAST_MONTH, 28):
        status = "completed"
    else:
        status = rng.choices(("in_progress", "suspended"), (97, 3))[0]
    short = enterprise.name_zh.replace("有限公司", "").replace("集团", "")
    return ProjectRow(f"JX{year}{number:05d}", enterprise.uscc, enterprise.org_code, f"{short}{category}项目",
                      kind, category, start, end, planned, status)


def _active_months(project: ProjectRow) -> list[int]:
    if project.status in ("cancelled", "planned"):
        return []
    if project.planned_end_date.year < YEAR:
        return []
    first = project.start_date.month if project.start_date.year == YEAR else 1
    last = LAST_MONTH
    if project.planned_end_date.year == YEAR:
        last = min(last, project.planned_end_date.month)
    return list(range(first, last + 1))


def _progress(rng: random.Random, projects: list[ProjectRow]) -> list[ProgressRow]:
    raw: list[ProgressRow] = []
    for project in projects:
        months = _active_months(project)
        monthly = project.planned_investment_yuan / 12
        saves_energy = project.kind != "digital"
        for month in months:
            if project.status == "suspended" and month > months[len(months) // 2]:
                break
            investment = monthly * Decimal(str(rng.uniform(0.4, 1.6)))
            energy = (investment / 10000 * Decimal(str(rng.uniform(0.3, 1.2)))) if saves_energy else None
            raw.append(ProgressRow(project.code, project.org_code, month, investment, energy))
    for unit, inv_share, energy_share in _unit_shares():
        rows = [r for r in raw if r.org_code == unit.code]
        _scale(rows, "investment_yuan", inv_share, "1")
        _scale([r for r in rows if r.energy_saved_tce is not None], "energy_saved_tce", energy_share, "0.01")
    return raw


def _unit_shares():
    """Each unit's exact January-July investment (yuan) and energy (tce)."""
    weights = [u.weight * u.performance for u in UNITS]
    investment = allocate(int(CITY_ACTUAL["investment_yuan"]), weights)
    energy = allocate(int(CITY_ACTUAL["energy_saved_tce"] * 100), weights)
    return [(u, Decimal(i), Decimal(e) / 100) for u, i, e in zip(UNITS, investment, energy)]


def _scale(rows: list[ProgressRow], attr: str, period_total: Decimal, quantum: str) -> None:
    """Scale a unit's rows so January-July adds up to period_total exactly; later months keep
    the same factor. The rounding remainder goes to the largest January-July row."""
    in_period = [r for r in rows if r.month <= PERIOD_MONTH]
    factor = period_total / sum(getattr(r, attr) for r in in_period)
    for row in rows:
        setattr(row, attr, round_to(getattr(row, attr) * factor, quantum))
    largest = max(in_period, key=lambda r: getattr(r, attr))
    setattr(largest, attr, getattr(largest, attr) + period_total - sum(getattr(r, attr) for r in in_period))


def _targets() -> list[TargetRow]:
    rows = []
    for unit in (CITY,) + UNITS:
        for metric, annual in CITY_ANNUAL_TARGET.items():
            period = CITY_PERIOD_TARGET[metric]
            if unit is not CITY:  # districts' targets add up to a little more than the city's
                annual, period = annual * Decimal(str(unit.weight * 1.03)), period * Decimal(str(unit.weight * 1.03))
            quantum = {"projects": "1", "investment_yuan": "1000000", "energy_saved_tce": "100"}[metric]
            for month, share in enumerate(CUMULATIVE_SHARE, start=1):
                value = period if month == PERIOD_MONTH else annual * share
                rows.append(TargetRow(unit.code, metric, YEAR, month, round_to(value, quantum)))
    return rows


# --- energy carrier lines ------------------------------------------------------------------

# How each category's savings split between carriers.
CARRIER_MIX = {
    "节能改造": (("electricity", "0.5"), ("raw_coal", "0.3"), ("natural_gas_gasfield", "0.2")),
    "光伏发电": (("electricity", "1"),),
    "余热回收利用": (("steam_low_pressure", "0.7"), ("raw_coal", "0.3")),
    "电机系统节能": (("electricity", "1"),),
    "绿色工厂": (("electricity", "0.4"), ("natural_gas_gasfield", "0.3"), ("steam_low_pressure", "0.3")),
    "能源管理系统": (("electricity", "0.6"), ("natural_gas_gasfield", "0.2"), ("steam_low_pressure", "0.2")),
    "数字化能碳管理": (("electricity", "0.5"), ("raw_coal", "0.5")),
    "智能化节能产线": (("electricity", "0.8"), ("natural_gas_gasfield", "0.2")),
}
LINE_SHARE = 0.4  # of energy-saving projects report carrier lines


def _carrier_quantity(carrier: str, tce: Decimal, kgce: Decimal) -> tuple[Decimal, str, Decimal]:
    """The quantity as an enterprise would enter it, its unit, and the quantity in the carrier's
    unit: whole kWh, kg and m3, written in 万kWh, t and 万m3 where large."""
    base = (tce * 1000 / kgce).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if carrier == "electricity":
        return (base / 10000, "万kWh", base) if base >= 100000 else (base, "kWh", base)
    if carrier == "natural_gas_gasfield":
        return (base / 10000, "万m3", base) if base >= 10000 else (base, "m3", base)
    return base / 1000, "t", base


def _energy_lines(rng: random.Random, projects: list[ProjectRow],
                  progress: list[ProgressRow]) -> tuple[list[EnergyRow], list[BaselineRow]]:
    from twintrack.energy import conversions as cv
    from twintrack.energy.reference import carrier_rows

    kgce = {row.key: row.kgce_per_unit for row in carrier_rows()}
    chosen = {p.code for p in projects if p.kind != "digital" and p.category in CARRIER_MIX
              and rng.random() < LINE_SHARE}
    category = {p.code: p.category for p in projects}
    rows_by_unit_month: dict[tuple[str, int], list[ProgressRow]] = {}
    for row in progress:
        if row.energy_saved_tce is not None:
            rows_by_unit_month.setdefault((row.org_code, row.month), []).append(row)
    lines: list[EnergyRow] = []
    monthly: dict[tuple[str, str], list[Decimal]] = {}  # (project, carrier) -> base quantities
    for (org_code, month), rows in sorted(rows_by_unit_month.items()):
        keeping = [r for r in rows if r.project_code not in chosen]
        if not keeping:
            continue  # nowhere to put the grams left over: this unit-month stays on tce
        remainder = Decimal(0)
        for row in rows:
            if row.project_code not in chosen or row.energy_saved_tce == 0:
                continue
            for carrier, share in CARRIER_MIX[category[row.project_code]]:
                quantity, unit, base = _carrier_quantity(carrier, row.energy_saved_tce * Decimal(share),
                                                         kgce[carrier])
                lines.append(EnergyRow(row.project_code, org_code, month, carrier, quantity, unit))
                monthly.setdefault((row.project_code, carrier), []).append(base)
                remainder += cv.tce(base, kgce[carrier])
            remainder -= row.energy_saved_tce
            row.energy_saved_tce = None
        largest = max(keeping, key=lambda r: r.energy_saved_tce)
        largest.energy_saved_tce -= remainder
    baselines = []
    starts = {p.code: p.start_date for p in projects}
    for (code, carrier), quantities in sorted(monthly.items()):
        start = starts[code]
        first = date(start.year - 1, start.month, 1)
        saved = sum(quantities) / len(quantities)  # a month's saving, on average
        base = (saved * 12 * Decimal(str(rng.uniform(4, 10)))).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        quantity, unit, _ = _carrier_quantity(carrier, base * kgce[carrier] / 1000, kgce[carrier])
        baselines.append(BaselineRow(code, carrier, first, 12, quantity, unit))
    return lines, baselines
