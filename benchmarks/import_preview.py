"""The web upload preview of a 100,000-row progress file, as a district officer and without a user.

The preview is a dry run of the whole file (`import_file(..., dry_run=True)`, with the
data-quality warnings, exactly as web/uploads.py runs it). Issue 20 measured 318 s on SQLite
for the officer; the target is under 10 s on both engines, the officer within 20% of no user.

    python benchmarks/import_preview.py [--engines sqlite,postgresql] [--rows 100000]

A generated city (benchmarks/generate.py, 65,000 projects) is loaded through `twintrack
import`; the file holds the district with the most projects, every month of 2023 from each
project's start month (a district's year). Each dry run is timed twice: as the web runs it,
and without the data-quality warnings (which evaluate every month the file writes), so that
the import's own checks, where the scope check is, can be told from the warnings.
Figures go to standard output as JSON.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = ROOT / ".venv" / "bin"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DATA = HERE / "data" / "preview"

sys.path.insert(0, str(HERE))
import generate  # noqa: E402

CPU_SECONDS: list[float] = []
SCALE = generate.Scale("preview", "city", 13_000, 5)  # the busiest district: ~9,500 projects


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def database_url(engine: str) -> str:
    if engine == "sqlite":
        path = DATA / "preview.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    name = "twintrack_bench_preview"
    with psycopg.connect(PG_ADMIN, autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        con.execute(f"CREATE DATABASE {name}")
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def load(engine: str) -> dict:
    """A fresh database with the generated city's units, enterprises and projects."""
    if not (DATA / "COUNTS").exists():
        log(f"generating the city into {DATA}")
        generate.generate(SCALE, DATA)
    env = dict(os.environ, TWINTRACK_DATABASE_URL=database_url(engine), TWINTRACK_VAR_DIR=str(DATA / "var"))
    twintrack = str(BIN / "twintrack")
    subprocess.run([twintrack, "init"], env=env, check=True, capture_output=True)
    for kind in ("orgunits", "enterprises", "projects"):
        log(f"{engine}: import {kind}")
        subprocess.run([twintrack, "import", kind, str(DATA / f"{kind}.csv")], env=env, check=True,
                       capture_output=True)
    return env


def write_file(path: Path, rows: int):
    """The progress file of the district with the most projects; returns that district."""
    from django.db.models import Count
    from django.utils import timezone

    from twintrack.orgs.models import OrgUnit
    from twintrack.programme.models import Project

    busiest = (Project.objects.values("enterprise__org_id").annotate(n=Count("id")).order_by("-n").first())
    district = OrgUnit.objects.get(id=busiest["enterprise__org_id"])
    today = timezone.localdate()
    last = min(today.year * 12 + today.month - 2, generate.YEAR * 12 + 11)  # the generated year
    projects = list(Project.objects.filter(enterprise__org=district).order_by("code")
                    .values_list("code", "start_date"))
    written = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(generate.PROGRESS_HEADER)
        month = min(start.year * 12 + start.month - 1 for _, start in projects)
        while written < rows and month <= last:
            for code, start in projects:
                if start.year * 12 + start.month - 1 <= month and written < rows:
                    year, m = divmod(month, 12)
                    out.writerow((code, f"{year}-{m + 1:02d}", f"{1000 + written % 997}.50", "", ""))
                    written += 1
            month += 1
    if written < rows:
        raise SystemExit(f"only {written} project-months in {district.code}; raise SCALE")
    return district


def officer_of(district):
    from django.contrib.auth import get_user_model

    from twintrack.orgs.models import Membership, Role

    user, _ = get_user_model().objects.get_or_create(username="bench-district")
    Membership.objects.get_or_create(user=user, defaults={"role": Role.DISTRICT, "org": district})
    return user


def preview_seconds(path: Path, user, warnings: bool = True) -> tuple[float, str]:
    """Wall seconds of the dry run (CPU seconds of this process go to CPU_SECONDS: on a shared
    machine they say more about SQLite, which runs inside this process, than wall time)."""
    from django.utils import translation

    from twintrack.web.import_kinds import import_file
    from twintrack.quality.warnings import import_warnings

    start, cpu = time.perf_counter(), time.process_time()
    with translation.override("en"):
        result = import_file("progress", path, user=user, dry_run=True, warn=import_warnings if warnings else None)
        seconds = time.perf_counter() - start
        CPU_SECONDS.append(round(time.process_time() - cpu, 2))
        return seconds, result.summary()


def measure(engine: str, rows: int) -> dict:
    env = load(engine)
    os.environ.update(TWINTRACK_DATABASE_URL=env["TWINTRACK_DATABASE_URL"], TWINTRACK_VAR_DIR=env["TWINTRACK_VAR_DIR"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twintrack.settings")
    import django

    django.setup()
    path = DATA / f"progress-preview-{rows}.csv"
    district = write_file(path, rows)
    officer = officer_of(district)
    log(f"{engine}: dry run of {rows:,} rows for {district.code}, without a user")
    anonymous, summary = preview_seconds(path, None)
    log(f"{engine}: the same as a district officer")
    as_officer, officer_summary = preview_seconds(path, officer)
    if summary != officer_summary:
        raise SystemExit(f"the officer's preview differs:\n{summary}\n{officer_summary}")
    log(f"{engine}: both again without the data-quality warnings")
    bare, _ = preview_seconds(path, None, warnings=False)
    bare_officer, _ = preview_seconds(path, officer, warnings=False)
    return {"engine": engine, "rows": rows, "district": district.code, "no_user_s": round(anonymous, 2),
            "officer_s": round(as_officer, 2), "officer_over_no_user": round(as_officer / anonymous, 3),
            "no_warnings": {"no_user_s": round(bare, 2), "officer_s": round(bare_officer, 2),
                            "officer_over_no_user": round(bare_officer / bare, 3)},
            "cpu_s": dict(zip(("no_user", "officer", "no_warnings_no_user", "no_warnings_officer"), CPU_SECONDS)),
            "load_average": os.getloadavg()[0],
            "summary": summary}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--engine", help=argparse.SUPPRESS)  # one engine per process (Django is set up once)
    args = parser.parse_args(argv)
    if args.engine:
        print(json.dumps(measure(args.engine, args.rows)))
        return
    results = []
    for engine in args.engines.split(","):
        proc = subprocess.run([sys.executable, __file__, "--engine", engine, "--rows", str(args.rows)],
                              capture_output=True, text=True)
        sys.stderr.write(proc.stderr)
        if proc.returncode != 0:
            raise SystemExit(proc.returncode)
        results.append(json.loads(proc.stdout))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
