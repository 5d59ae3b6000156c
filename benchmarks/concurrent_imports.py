"""`make bench-concurrent`: four district progress imports at once, on SQLite and PostgreSQL.

On the Jiaxing demo (`twintrack init` + `twintrack demo`), each of four districts imports a
file of its own projects' progress (every project, MONTHS months: all rows new), all four
started together as separate `twintrack import` processes, as four district clerks would at
month end. Reported per engine: wall time, rows/s over all four files, failures (any exit
status but 0) and whether `twintrack verify-rollups` agrees afterwards. The same four files
are then imported again at once (every row unchanged) and the demo's reference file twice at
once (the same file, the case of issue 20 point 9).

Results go to standard output and benchmarks/RESULTS-concurrent.md.
"""
from __future__ import annotations

import argparse
import csv
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TWINTRACK = [str(ROOT / ".venv" / "bin" / "python"), "-m", "twintrack.cli"]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_NAME = "twintrack_bench_concurrent"
DISTRICTS = ("330402", "330411", "330421", "330424")
PROJECTS_OF = """SELECT p.code FROM programme_project p JOIN enterprises_enterprise e ON e.id = p.enterprise_id
JOIN orgs_orgunit o ON o.id = e.org_id JOIN orgs_orgunit d ON o.path LIKE d.path || '%%' WHERE d.code = %s
ORDER BY p.code"""


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def run(env: dict, *args) -> subprocess.CompletedProcess:
    done = subprocess.run([*TWINTRACK, *map(str, args)], env=env, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"twintrack {' '.join(map(str, args))} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done


def postgres_url() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as con:
            con.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
            con.execute(f"CREATE DATABASE {PG_NAME}")
    except Exception as error:  # noqa: BLE001 - no server: that engine is reported as not run
        log(f"PostgreSQL not reachable ({error}): skipped")
        return None
    return f"postgresql://postgres@127.0.0.1:5432/{PG_NAME}"


def project_codes(engine: str, url: str, district: str) -> list[str]:
    if engine == "sqlite":
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return [row[0] for row in db.execute(PROJECTS_OF.replace("%%", "%").replace("%s", "?"), [district])]
    import psycopg

    with psycopg.connect(url) as con:
        return [row[0] for row in con.execute(PROJECTS_OF, [district])]


def write_file(path: Path, codes: list[str], months: int, seed: int) -> int:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["project_code", "month", "investment_yuan", "energy_saved_tce"])
        for i, code in enumerate(codes):
            for m in range(months):
                writer.writerow([code, f"{2024 + m // 12}-{m % 12 + 1:02d}", 1000 + (i * 37 + m + seed) % 5000, "0.5"])
    return len(codes) * months


def at_once(env: dict, files: list[Path]) -> dict:
    """Start one `twintrack import progress` per file together; wall time and failures."""
    begin = time.perf_counter()
    procs = [subprocess.Popen([*TWINTRACK, "import", "progress", str(f)], env=env, cwd=ROOT, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for f in files]
    outcomes = [(p.communicate(), p.returncode) for p in procs]  # read as they run: warnings can fill a pipe
    outcomes = [(code, out, err) for (out, err), code in outcomes]
    seconds = time.perf_counter() - begin
    failures = [f"exit {code}: {err.strip().splitlines()[-1] if err.strip() else out.strip()}"
                for code, out, err in outcomes if code != 0]
    return {"seconds": seconds, "failures": failures, "outputs": [out.strip() for _, out, _ in outcomes]}


def bench_engine(engine: str, url: str, months: int) -> dict:
    folder = HERE / "data" / "concurrent" / engine
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    env = dict(os.environ, TWINTRACK_DATABASE_URL=url, TWINTRACK_VAR_DIR=str(folder / "var"))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log(f"{engine}: init + demo")
    run(env, "init")
    run(env, "demo")
    files, rows = [], 0
    for seed, district in enumerate(DISTRICTS):
        path = folder / f"progress-{district}.csv"
        rows += write_file(path, project_codes(engine, url, district), months, seed)
        files.append(path)
    log(f"{engine}: 4 imports at once, {rows} rows")
    new = at_once(env, files)
    log(f"{engine}: the same 4 files again at once (all unchanged)")
    again = at_once(env, files)
    log(f"{engine}: one file twice at once")
    twice = at_once(env, [files[0], files[0]])
    verified = subprocess.run([*TWINTRACK, "verify-rollups"], env=env, capture_output=True, text=True, cwd=ROOT)
    return {"engine": engine, "rows": rows, "new": new, "again": again, "twice": twice,
            "rollups_agree": verified.returncode == 0}


def describe(result: dict) -> list[str]:
    rows = result["rows"]

    def line(label: str, run_: dict, count: int) -> str:
        failures = run_["failures"]
        return (f"| {result['engine']} | {label} | {count:,} | {run_['seconds']:.1f} | {count / run_['seconds']:,.0f} | "
                f"{len(failures)}{': ' + '; '.join(failures) if failures else ''} |")

    per_file = rows // len(DISTRICTS)
    return [line("4 districts at once, new rows", result["new"], rows),
            line("4 districts at once, unchanged", result["again"], rows),
            line("one file twice at once", result["twice"], 2 * per_file)]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=24, help="months of progress per project (default 24)")
    args = parser.parse_args(argv)
    results = [bench_engine("sqlite", f"sqlite:///{HERE / 'data' / 'concurrent' / 'sqlite.sqlite3'}", args.months)]
    for suffix in ("", "-wal", "-shm"):
        Path(str(HERE / "data" / "concurrent" / "sqlite.sqlite3") + suffix).unlink(missing_ok=True)
    url = postgres_url()
    if url:
        results.append(bench_engine("postgresql", url, args.months))
    lines = [f"# Concurrent imports ({datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores)", "",
             "Four `twintrack import progress` processes started together on the Jiaxing demo "
             f"({args.months} months of progress for every project of four districts).", "",
             "| engine | run | rows | seconds | rows/s | failures |", "| --- | --- | ---: | ---: | ---: | --- |"]
    for result in results:
        lines += describe(result)
    lines += [""] + [f"- {r['engine']}: verify-rollups afterwards: {'agree' if r['rollups_agree'] else 'DISAGREE'}"
                     for r in results]
    if not url:
        lines.append("- postgresql: not run (no server on 127.0.0.1:5432)")
    text = "\n".join(lines) + "\n"
    (HERE / "RESULTS-concurrent.md").write_text(text, encoding="utf-8")
    print(text)
    if any(r["new"]["failures"] or r["again"]["failures"] or r["twice"]["failures"] or not r["rollups_agree"]
           for r in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
