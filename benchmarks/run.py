"""`make bench SCALE=province`: every figure beside its reference, in one run.

For the chosen scale and the city scale (so growth ratios come from the same run), on
SQLite and on PostgreSQL:
  1. load the generated files through `twintrack import` (orgunits, enterprises, projects,
     progress for January-November), timed;
  2. import the last month, one progress row per project (10^6 rows at province scale),
     through `twintrack import`: rows/s and peak memory, against the raw bulk load of the
     same rows (executemany / COPY) into the same database;
  3. `twintrack verify-rollups` on the loaded data;
  4. report latency for the root and one county against DuckDB on the same rows in memory;
     `twintrack quality` (data contract section 5) for the root's last month, timed;
  5. the dashboard under `wrk` (PostgreSQL, gunicorn), as a district officer and the bureau;
  6. the mixed load (benchmarks/mixed_load.py): 200+ users over every unit, every page kind,
     a 10,000-row import landing every 10 seconds.
Results go to benchmarks/RESULTS.md and standard output.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = ROOT / ".venv" / "bin"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PERIOD = "2023-12"
GNU_TIME = "/usr/bin/time"  # Debian package `time`, installed by `make bench`

sys.path.insert(0, str(HERE))
import duckdb_reference  # noqa: E402
import generate  # noqa: E402


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def timed(args: list[str], env: dict) -> dict:
    """Run a command; its wall time and peak memory. The peak comes from GNU time, whose
    child is forked from a small process: a child forked from this one (which holds the
    DuckDB data) would count this process's pages in its ru_maxrss until it execs."""
    with tempfile.NamedTemporaryFile("r") as peak:
        start = time.perf_counter()
        proc = subprocess.run([GNU_TIME, "-f", "%M", "-o", peak.name, *map(str, args)], env=env,
                              capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - start
        peak_kb = int(peak.read().strip().splitlines()[-1] or 0)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return {"seconds": seconds, "peak_mb": peak_kb / 1024, "stdout": proc.stdout}


def database_url(engine: str, scale: str, base: str | None = None) -> str:
    """A fresh database for the run: empty, or a copy of `base` (a SQLite file, or the name of
    a PostgreSQL database used as a template)."""
    if engine == "sqlite":
        path = HERE / "data" / scale / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        if base:
            shutil.copyfile(base, path)
        return f"sqlite:///{path}"
    import psycopg

    name = f"twintrack_bench_{scale}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        con.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {base}" if base else ""))
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def ensure_data(scale: str) -> Path:
    out = HERE / "data" / scale
    if not (out / "COUNTS").exists():
        log(f"generating {scale} data into {out}")
        generate.generate(generate.SCALES[scale], out)
    return out


def counts_of(data: Path) -> dict[str, int]:
    pairs = (item.split("=") for item in (data / "COUNTS").read_text().split())
    return {k: int(v) for k, v in pairs}


def twintrack(*args: str) -> list[str]:
    return [str(BIN / "twintrack"), *args]


REGISTRY_FILES = (("orgunits", "orgunits"), ("enterprises", "enterprises"), ("projects", "projects"))


def bench_engine(scale: str, engine: str, data: Path, base: str | None = None) -> dict:
    """`base`: a database already holding the scale's org units, enterprises and projects
    (loaded through `twintrack import` beforehand); then only the progress is loaded and timed."""
    env = dict(os.environ, TWINTRACK_DATABASE_URL=database_url(engine, scale, base),
               TWINTRACK_VAR_DIR=str(data / "var"))
    counts = counts_of(data)
    result = {"engine": engine, "loads": {}, "base": base}
    timed(twintrack("init"), env)
    files = (() if base else REGISTRY_FILES) + (("progress", "progress-base"),)
    for kind, file in files:
        log(f"{scale}/{engine}: import {file} ({counts[file]:,} rows)")
        t = timed(twintrack("import", kind, str(data / f"{file}.csv")), env)
        result["loads"][file] = {"rows": counts[file], "seconds": t["seconds"], "peak_mb": t["peak_mb"]}
    log(f"{scale}/{engine}: import progress-last ({counts['progress-last']:,} rows)")
    t = timed(twintrack("import", "progress", str(data / "progress-last.csv")), env)
    result["import"] = {"rows": counts["progress-last"], "seconds": t["seconds"], "peak_mb": t["peak_mb"]}
    log(f"{scale}/{engine}: raw bulk load of the same rows")
    raw = json.loads(timed([str(BIN / "python"), str(HERE / "raw_load.py"), str(data / "progress-last.csv")],
                           env)["stdout"])
    result["raw"] = raw
    log(f"{scale}/{engine}: verify-rollups")
    t = timed(twintrack("verify-rollups"), env)
    result["verify"] = {"seconds": t["seconds"], "output": t["stdout"].strip()}
    root, county = report_units(data)
    log(f"{scale}/{engine}: report latency")
    latency = json.loads(timed([str(BIN / "python"), str(HERE / "report_latency.py"), "--org", root, "--org", county,
                                "--period", PERIOD], env)["stdout"])
    result["report"] = latency
    log(f"{scale}/{engine}: twintrack quality --period {PERIOD} for the root")
    result["quality"] = bench_quality(root, env)
    result["database_url"] = env["TWINTRACK_DATABASE_URL"]
    return result


def bench_quality(root: str, env: dict) -> dict:
    """`twintrack quality` for the root unit: completeness, findings and children in one run."""
    t = timed(twintrack("quality", "--period", PERIOD, "--org", root, "--format", "json"), env)
    out = json.loads(t["stdout"])
    return {"seconds": t["seconds"], "peak_mb": t["peak_mb"], "expected": out["completeness"]["expected"],
            "reported": out["completeness"]["reported"], "findings": len(out["findings"])}


def bench_dashboard(engine_result: dict, data: Path) -> dict | None:
    """wrk against gunicorn on the PostgreSQL database the engine run left behind."""
    if shutil.which("wrk") is None:
        log("wrk not installed (apt-get install wrk): dashboard load test not run")
        return None
    root, county = report_units(data)
    log(f"{data.name}: dashboard under load (wrk, 50 connections)")
    env = dict(os.environ, TWINTRACK_DATABASE_URL=engine_result["database_url"])
    out = timed([str(BIN / "python"), str(HERE / "load_test.py"), "--bureau-org", root, "--district-org", county,
                 "--period", PERIOD], env)["stdout"]
    return json.loads(out)


def bench_mixed_load(engine_result: dict) -> dict | None:
    """Many users and page kinds, imports landing, on the PostgreSQL database the engine run left behind."""
    if shutil.which("wrk") is None:
        return None
    log("mixed load (wrk, 50 connections, imports every 10 s)")
    env = dict(os.environ, TWINTRACK_DATABASE_URL=engine_result["database_url"])
    out = timed([str(BIN / "python"), str(HERE / "mixed_load.py"), "--seconds", "60"], env)["stdout"]
    return json.loads(out)


def bench_xlsx(engine_result: dict, data: Path) -> dict:
    """A 10^5-row progress .xlsx (or the whole last month, if smaller): import_file against
    python-calamine reading it (benchmarks/import_speed.py)."""
    log(f"{data.name}/{engine_result['engine']}: progress .xlsx against python-calamine")
    env = dict(os.environ, TWINTRACK_DATABASE_URL=engine_result["database_url"], TWINTRACK_VAR_DIR=str(data / "var"))
    with tempfile.NamedTemporaryFile(suffix=".md") as out:
        stdout = timed([str(BIN / "python"), str(HERE / "import_speed.py"), "--skip-csv", "--file",
                        str(data / "progress-last.csv"), "--out", out.name], env)["stdout"]
    return json.loads(stdout)["xlsx"]


def bench_cold_dashboard(engine_result: dict, data: Path) -> dict:
    """The root's dashboard right after a write in one district, and another city's district
    page after it (benchmarks/cold_dashboard.py)."""
    orgs = generate.org_rows(data.name)
    root = orgs[0][0]
    leaves = generate.leaf_codes(orgs)
    parent = {code: up for code, _, _, _, up in orgs}
    written = leaves[0]
    sibling = next((leaf for leaf in leaves if parent[leaf] != parent[written]), leaves[-1])
    log(f"{data.name}: root dashboard right after a write in {written} (and {sibling}'s page)")
    env = dict(os.environ, TWINTRACK_DATABASE_URL=engine_result["database_url"])
    out = timed([str(BIN / "python"), str(HERE / "cold_dashboard.py"), "--root", root, "--written", written,
                 "--sibling", sibling, "--period", PERIOD, "--rounds", "20"], env)["stdout"]
    return json.loads(out)


def report_units(data: Path) -> tuple[str, str]:
    orgs = generate.org_rows({"city": "city", "province": "province", "national": "national"}[data.name])
    leaves = generate.leaf_codes(orgs)
    return orgs[0][0], leaves[0]


def bench_duckdb(data: Path) -> dict:
    log(f"duckdb: loading {data.name} rows into memory")
    start = time.perf_counter()
    con = duckdb_reference.load(data)
    load_seconds = time.perf_counter() - start
    root, county = report_units(data)
    children = [code for code, _, _, _, parent in generate.org_rows(
        {"city": "city", "province": "province", "national": "national"}[data.name]) if parent == root]
    year, month = (int(x) for x in PERIOD.split("-"))
    root_s, root_figures = duckdb_reference.timed_report(con, [root] + children, year, month)
    county_s, county_figures = duckdb_reference.timed_report(con, [county], year, month)
    return {"load_seconds": load_seconds, root: {"median_s": root_s, "figures": root_figures[root]},
            county: {"median_s": county_s, "figures": county_figures[county]}}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=("city", "province"), default="city")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"),
                        help="where the results go (a partial run should not overwrite RESULTS.md)")
    parser.add_argument("--base-sqlite", help="a SQLite file already holding the chosen scale's org units, "
                        "enterprises and projects: copied, and only the progress is loaded")
    parser.add_argument("--base-postgresql", help="the same as a PostgreSQL database name (used as a template)")
    args = parser.parse_args(argv)
    scales = ["city"] if args.scale == "city" else ["city", args.scale]
    bases = {"sqlite": args.base_sqlite, "postgresql": args.base_postgresql}
    results = {}
    for scale in scales:
        data = ensure_data(scale)
        results[scale] = {"counts": counts_of(data), "duckdb": bench_duckdb(data), "engines": {}}
        for engine in args.engines.split(","):
            base = bases[engine] if scale == args.scale and scale != "city" else None
            results[scale]["engines"][engine] = bench_engine(scale, engine, data, base)
            results[scale]["engines"][engine]["xlsx"] = bench_xlsx(results[scale]["engines"][engine], data)
        check_figures(results[scale])
        if "postgresql" in results[scale]["engines"]:
            results[scale]["cold"] = bench_cold_dashboard(results[scale]["engines"]["postgresql"], data)
            load = bench_dashboard(results[scale]["engines"]["postgresql"], data)
            if load is not None:
                results[scale]["load"] = load
            mixed = bench_mixed_load(results[scale]["engines"]["postgresql"])
            if mixed is not None:
                results[scale]["mixed"] = mixed
    import results as results_file

    text = results_file.render(results, args)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)


def check_figures(scale_results: dict) -> None:
    """The application's figures must equal DuckDB's: a fast wrong answer is no answer."""
    duck = scale_results["duckdb"]
    for engine, r in scale_results["engines"].items():
        for code, latency in r["report"].items():
            ours = latency["figures"]
            theirs = duck[code]["figures"]
            same = (ours["projects"] == theirs[0]
                    and abs(ours["investment_yuan"] - float(theirs[1] or 0)) < 0.005
                    and abs(ours["energy_saved_tce"] - float(theirs[2] or 0)) < 0.0000005 * max(1, ours["energy_saved_tce"]))
            latency["matches_duckdb"] = same
            if not same:
                log(f"MISMATCH {engine} {code}: ours {ours} duckdb {theirs}")


if __name__ == "__main__":
    main()
