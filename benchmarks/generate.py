"""Synthetic but realistic programme data at city, province and national scale.

Written in the data contract's import formats (CSV, canonical headers), streamed row by
row: memory stays constant whatever the scale, because every attribute of a project or a
progress row is a pure function of (seed, index) rather than something remembered.

    python benchmarks/generate.py --scale province --out benchmarks/data/province

Files: orgunits.csv, enterprises.csv, projects.csv, progress-base.csv (every month but the
last) and progress-last.csv (the last month, the file the import benchmark times).
"""
from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
YEAR = 2023
LAST_MONTH = 12
MASK = (1 << 64) - 1
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
INDUSTRY_CLASSES = ("2822", "1751", "1713", "3061", "2929", "3670", "3484", "3453", "3982", "3983", "3981",
                    "2614", "2651", "3130", "3311", "3360", "3399", "3824", "3891", "2231", "2710", "3569")
SIZES = ("large", "medium", "small", "small", "small", "micro", "micro", "medium")
KINDS = ("digital", "digital", "green", "digital_green", "digital")


@dataclass(frozen=True)
class Scale:
    name: str
    divisions: str  # which reference list builds the org tree
    enterprises: int
    projects_per_enterprise: int
    # Each project reports every month from its start month; starts spread over the year so
    # that progress rows ~= projects x 10.


SCALES = {
    "city": Scale("city", "city", 200, 5),
    "province": Scale("province", "province", 200_000, 5),
    "national": Scale("national", "national", 1_000_000, 10),
}


def mix(*values: int) -> int:
    """splitmix64 over the values: a fast, well-spread deterministic hash."""
    h = 0x9E3779B97F4A7C15
    for v in values:
        h = (h ^ (v & MASK)) * 0xBF58476D1CE4E5B9 & MASK
        h = (h ^ (h >> 27)) * 0x94D049BB133111EB & MASK
        h ^= h >> 31
    return h


def uscc(region: str, serial: int) -> str:
    body = "91" + region[:6] + "".join(USCC_ALPHABET[(serial // 31 ** k) % 31] for k in range(8, -1, -1))
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(body, USCC_WEIGHTS))
    return body + USCC_ALPHABET[(31 - total % 31) % 31]


# --- org trees ------------------------------------------------------------------------

def county_kind(name: str) -> str:
    if name.endswith("县") or name.endswith("旗"):
        return "county"
    if name.endswith("市"):
        return "county_city"
    if name.endswith("区"):
        return "district"
    return "zone"


def org_rows(divisions: str) -> list[tuple[str, str, str, str, str]]:
    """(code, name_zh, name_en, kind, parent_code), parents first."""
    if divisions == "city":
        rows = [("330400", "嘉兴市", "Jiaxing", "city", "")]
        for r in csv.DictReader((HERE / "reference" / "zhejiang_divisions.csv").open(encoding="utf-8")):
            if r["parent_code"] == "330400":
                rows.append((r["code"], r["name_zh"], "", county_kind(r["name_zh"]), "330400"))
        return rows
    if divisions == "province":
        rows = []
        for r in csv.DictReader((HERE / "reference" / "zhejiang_divisions.csv").open(encoding="utf-8")):
            kind = {"province": "province", "prefecture": "city"}.get(r["level"]) or county_kind(r["name_zh"])
            rows.append((r["code"], r["name_zh"], "", kind, r["parent_code"]))
        return rows
    counties = list(csv.DictReader((HERE / "reference" / "china_county_divisions.csv").open(encoding="utf-8")))
    rows = [("CN", "中华人民共和国", "China", "province", "")]  # the root; provinces below it
    provinces = sorted({c["province_code"] for c in counties})
    prefectures = sorted({(c["parent_code"], c["province_code"]) for c in counties if c["parent_code"]})
    rows += [(p, f"省级单位{p}", "", "province", "CN") for p in provinces]
    rows += [(p, f"地级单位{p}", "", "city", prov) for p, prov in prefectures if p not in provinces]
    for c in counties:
        parent = c["parent_code"] or c["province_code"]
        if c["code"] not in provinces and c["code"] != parent:
            rows.append((c["code"], c["name_zh"], "", county_kind(c["name_zh"]), parent))
    return rows


def leaf_codes(orgs: list[tuple]) -> list[str]:
    parents = {o[4] for o in orgs}
    return [o[0] for o in orgs if o[0] not in parents]


# --- rows -----------------------------------------------------------------------------

def enterprise_row(seed: int, i: int, leaves: list[str]) -> tuple:
    h = mix(seed, 1, i)
    org = leaves[(h >> 8) % len(leaves)]
    region = org if org.isdigit() else "110101"
    return (uscc(region, i), f"企业{i:07d}有限公司", "", org, INDUSTRY_CLASSES[h % len(INDUSTRY_CLASSES)],
            SIZES[(h >> 16) % len(SIZES)], "true" if (h >> 24) % 3 else "false")


def project_start_month(seed: int, p: int) -> int:
    return 1 + mix(seed, 2, p) % 3  # projects start in Q1, so each reports ~10-12 months


def project_row(seed: int, p: int, scale: Scale, leaves: list[str]) -> tuple:
    h = mix(seed, 3, p)
    enterprise = p // scale.projects_per_enterprise
    ent_uscc = uscc_for(seed, enterprise, leaves)
    month = project_start_month(seed, p)
    status = "cancelled" if h % 97 == 0 else ("completed" if h % 5 == 0 else "in_progress")
    invest = 100_000 * (1 + (h >> 12) % 2000)
    return (f"P{p:08d}", ent_uscc, f"改造项目{p}", KINDS[(h >> 4) % len(KINDS)], "",
            f"{YEAR}-{month:02d}-{1 + (h >> 20) % 28:02d}", "", str(invest), status)


def uscc_for(seed: int, enterprise: int, leaves: list[str]) -> str:
    org = leaves[(mix(seed, 1, enterprise) >> 8) % len(leaves)]
    return uscc(org if org.isdigit() else "110101", enterprise)


def progress_row(seed: int, p: int, month: int) -> tuple:
    h = mix(seed, 4, p, month)
    invest = f"{(h % 5_000_000) / 100:.2f}"
    energy = f"{((h >> 24) % 100_000) / 1000:.3f}" if (h >> 40) % 2 else ""
    return (f"P{p:08d}", f"{YEAR}-{month:02d}", invest, energy, "")


# --- files ----------------------------------------------------------------------------

ORG_HEADER = ("code", "name_zh", "name_en", "kind", "parent_code")
ENTERPRISE_HEADER = ("uscc", "name_zh", "name_en", "org_code", "industry_code", "size", "above_scale")
PROJECT_HEADER = ("code", "uscc", "title", "kind", "category", "start_date", "planned_end_date",
                  "planned_investment_yuan", "status")
PROGRESS_HEADER = ("project_code", "month", "investment_yuan", "energy_saved_tce", "note")


def write(path: Path, header: tuple, rows) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def progress_rows(seed: int, projects: int, months: range, last_month_only: bool):
    """Month-major order, as districts submit: every reporting project for January, then February..."""
    for month in months:
        for p in range(projects):
            if last_month_only or project_start_month(seed, p) <= month:
                yield progress_row(seed, p, month)


def generate(scale: Scale, out: Path, seed: int = 1) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    orgs = org_rows(scale.divisions)
    leaves = leaf_codes(orgs)
    projects = scale.enterprises * scale.projects_per_enterprise
    counts = {
        "orgunits": write(out / "orgunits.csv", ORG_HEADER, orgs),
        "enterprises": write(out / "enterprises.csv", ENTERPRISE_HEADER,
                             (enterprise_row(seed, i, leaves) for i in range(scale.enterprises))),
        "projects": write(out / "projects.csv", PROJECT_HEADER,
                          (project_row(seed, p, scale, leaves) for p in range(projects))),
        "progress-base": write(out / "progress-base.csv", PROGRESS_HEADER,
                               progress_rows(seed, projects, range(1, LAST_MONTH), False)),
        "progress-last": write(out / "progress-last.csv", PROGRESS_HEADER,
                               progress_rows(seed, projects, range(LAST_MONTH, LAST_MONTH + 1), True)),
    }
    (out / "COUNTS").write_text(" ".join(f"{k}={v}" for k, v in counts.items()) + f" seed={seed}\n")
    return counts


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="city")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    out = args.out or HERE / "data" / args.scale
    counts = generate(SCALES[args.scale], out, args.seed)
    print(f"{args.scale}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
