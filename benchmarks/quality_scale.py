"""`twintrack quality` at province scale (data contract section 5; issue 14): 10^7 progress rows.

    python benchmarks/quality_scale.py --scale province --engine postgresql

Units, enterprises and projects go in through `twintrack import`, as in benchmarks/run.py.
The 11 million progress rows go in by COPY straight into the progress table (the full
benchmark's `twintrack import` of them takes most of an hour and is timed there, not here):
the quality rules read the progress and project tables, not the rollups, so what is timed
is exactly what a bureau's run does. Then `twintrack quality --period 2023-12` for the
root, run several times; the median and the peak memory go to benchmarks/RESULTS-quality.md.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import results  # noqa: E402
import run  # noqa: E402  (the full benchmark's helpers: data, databases, timing)

PROGRESS_FILES = ("progress-base", "progress-last")


def load(data: Path, env: dict) -> dict:
    counts = run.counts_of(data)
    loads = {}
    run.timed(run.twintrack("init"), env)
    for kind in ("orgunits", "enterprises", "projects"):
        run.log(f"import {kind} ({counts[kind]:,} rows)")
        loads[kind] = run.timed(run.twintrack("import", kind, str(data / f"{kind}.csv")), env)["seconds"]
    run.log("COPY progress rows")
    copied = subprocess.run([str(run.BIN / "python"), __file__, "--copy-progress", str(data)], env=env,
                            capture_output=True, text=True, check=True)
    loads["progress (COPY)"] = json.loads(copied.stdout)["seconds"]
    return loads


def copy_progress(data: Path) -> None:
    """In a child process with Django set up: every progress row into programme_progress."""
    import time

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twintrack.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from twintrack.programme.models import Progress, Project

    table = Progress._meta.db_table
    ids = dict(Project.objects.values_list("code", "id"))
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} (project_id, year, month, investment_yuan, energy_saved_tce, note) "
                                "FROM STDIN") as copy:
            for name in PROGRESS_FILES:
                with (data / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
                    reader = csv.reader(handle)
                    next(reader)
                    for r in reader:
                        copy.write_row((ids[r[0]], int(r[1][:4]), int(r[1][5:7]), r[2], r[3] or None, r[4]))
        cursor.execute("ANALYZE")  # as autovacuum would have by the time a bureau asks
    print(json.dumps({"seconds": time.perf_counter() - start}))


def time_quality(root: str, env: dict, runs: int) -> dict:
    seconds, peaks, out = [], [], {}
    for i in range(runs):
        run.log(f"twintrack quality --period {run.PERIOD} --org {root} (run {i + 1} of {runs})")
        t = run.timed(run.twintrack("quality", "--period", run.PERIOD, "--org", root, "--format", "json"), env)
        seconds.append(t["seconds"])
        peaks.append(t["peak_mb"])
        out = json.loads(t["stdout"])
    return {"runs": seconds, "median": statistics.median(seconds), "peak_mb": max(peaks),
            "expected": out["completeness"]["expected"], "reported": out["completeness"]["reported"],
            "findings": len(out["findings"])}


def write_results(scale: str, engine: str, counts: dict, loads: dict, quality: dict) -> str:
    rows = counts["progress-base"] + counts["progress-last"]
    lines = [
        f"# `twintrack quality` at {scale} scale ({engine})", "",
        f"Written by `benchmarks/quality_scale.py --scale {scale} --engine {engine}`; every figure is measured "
        "in the run that wrote this file.", "", *results.machine(), "",
        f"{counts['orgunits']:,} org units, {counts['enterprises']:,} enterprises, {counts['projects']:,} projects, "
        f"{rows:,} progress rows.", "",
        "| step | seconds |", "| --- | ---: |",
        *(f"| load {k} | {v:.1f} |" for k, v in loads.items()),
        *(f"| quality run {i + 1} | {s:.2f} |" for i, s in enumerate(quality["runs"])), "",
        f"Median {quality['median']:.2f} s, peak memory {quality['peak_mb']:.0f} MB; the root's "
        f"{run.PERIOD}: {quality['reported']:,} of {quality['expected']:,} expected projects reported, "
        f"{quality['findings']:,} findings.", "",
    ]
    text = "\n".join(lines)
    (HERE / f"RESULTS-quality-{scale}-{engine}.md").write_text(text, encoding="utf-8")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("city", "province"), default="city")
    parser.add_argument("--engine", choices=("postgresql",), default="postgresql")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="time the database an earlier run loaded")
    parser.add_argument("--copy-progress", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.copy_progress:
        return copy_progress(args.copy_progress)
    data = run.ensure_data(args.scale)
    url = f"postgresql://postgres@127.0.0.1:5432/twintrack_bench_{args.scale}" if args.reuse else \
        run.database_url(args.engine, args.scale)
    env = dict(os.environ, TWINTRACK_DATABASE_URL=url, TWINTRACK_VAR_DIR=str(data / "var"))
    loads = {} if args.reuse else load(data, env)
    root, _county = run.report_units(data)
    quality = time_quality(root, env, args.runs)
    print(write_results(args.scale, args.engine, run.counts_of(data), loads, quality))


if __name__ == "__main__":
    main()
