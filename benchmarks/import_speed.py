"""Import speed against its references, on a database already loaded (issue 19).

    TWINTRACK_DATABASE_URL=... python benchmarks/import_speed.py --file DATA/progress-last.csv

1. `twintrack import progress FILE` (wall time and peak RSS from GNU time, as run.py's
   `timed`), then benchmarks/raw_load.py on the same file (executemany on SQLite, COPY on
   PostgreSQL): the ratio raw / import, whose target is >= 1/3. The import writes: run it on
   a database that does not hold the file's month yet (as run.py does) to time the month-end
   case, or again to time a re-import (all unchanged).
2. A progress .xlsx of `--xlsx-rows` rows (10^5) made from the file's first rows with
   openpyxl's write-only mode, then, in this process: python-calamine reading the sheet
   (every cell) against `import_file` of the workbook as a dry run (every check and write,
   then rolled back, so the database is left as it was). Target: import <= 2 x calamine.
   Also the CLI's wall time for the same workbook (`twintrack import --dry-run`).

Prints JSON; writes benchmarks/RESULTS-import.md (or --out) with the load average beside it.
"""
from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import BIN, timed, twintrack  # noqa: E402


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def engine_of(url: str) -> str:
    return "postgresql" if url.startswith("postgres") else "sqlite"


def rows_of(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1


def cli_and_raw(path: Path, env: dict) -> dict:
    load = load_average()
    t = timed(twintrack("import", "progress", str(path)), env)
    raw = json.loads(timed([str(BIN / "python"), str(HERE / "raw_load.py"), str(path)], env)["stdout"])
    return {"rows": rows_of(path), "import_s": t["seconds"], "import_peak_mb": t["peak_mb"],
            "summary": t["stdout"].splitlines()[0] if t["stdout"] else "", "raw_s": raw["seconds"],
            "raw_rows": raw["rows"], "ratio": raw["seconds"] / t["seconds"], "load_before": load,
            "load_after": load_average()}


def make_xlsx(csv_path: Path, rows: int, out: Path) -> int:
    """The first `rows` rows of the progress CSV as a workbook (sheet 'progress', text cells as
    typed in the CSV, amounts as numbers, as Excel would hold them)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("progress")
    written = 0
    with csv_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        sheet.append(next(reader))
        for code, month, invest, tce, note in itertools.islice(reader, rows):
            sheet.append([code, month, float(invest), float(tce) if tce else None, note or None])
            written += 1
    workbook.save(out)
    return written


def calamine_read(path: Path) -> tuple[float, int]:
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    workbook = CalamineWorkbook.from_path(str(path))
    count = sum(1 for _row in workbook.get_sheet_by_name("progress").iter_rows())
    return time.perf_counter() - start, count


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twintrack.settings")
    import django

    django.setup()


def database_counts() -> dict:
    """What the database held when the import ran (the import's cost grows with it)."""
    django_setup()
    from twintrack.programme.models import Progress, Project

    return {"projects": Project.objects.count(), "progress_rows": Progress.objects.count()}


def in_process_import(path: Path) -> tuple[float, str]:
    django_setup()
    from twintrack.web.import_kinds import import_file

    start = time.perf_counter()
    result = import_file("progress", str(path), dry_run=True)
    return time.perf_counter() - start, result.summary()


def vacuum_progress() -> None:
    """On PostgreSQL, VACUUM the progress tables: a rolled-back dry run leaves its rows dead in the
    tables and their indexes until autovacuum comes, and the next import would check each one."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("programme_progress", "programme_historicalprogress"):
                cursor.execute(f"VACUUM {table}")


def xlsx_comparison(csv_path: Path, rows: int, env: dict) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "progress.xlsx"
        written = make_xlsx(csv_path, rows, path)
        load = load_average()
        in_process_import(path)  # warm: Django, the imports, the file in the page cache
        vacuum_progress()  # the warm-up's rolled-back rows: the measured import would visit them
        calamine_s, read_rows = calamine_read(path)
        import_s, summary = in_process_import(path)
        cli = timed(twintrack("import", "progress", "--dry-run", str(path)), env)
    return {"rows": written, "calamine_s": calamine_s, "calamine_rows": read_rows, "import_s": import_s,
            "ratio": import_s / calamine_s, "summary": summary, "cli_dry_run_s": cli["seconds"],
            "cli_peak_mb": cli["peak_mb"], "load_before": load, "load_after": load_average()}


def render(result: dict) -> str:
    c, x = result.get("csv"), result.get("xlsx")
    lines = ["# Import speed (benchmarks/import_speed.py)", "",
             f"Engine: {result['engine']}; run at {result['at']} UTC, on a database holding "
             f"{result['database_before']['projects']:,} projects and {result['database_before']['progress_rows']:,} "
             "progress rows before the import.",
             "Load averages (1, 5, 15 min, before / after) are quoted beside each figure: the machine may have "
             "been shared.", ""]
    if c:
        lines += ["## `twintrack import progress` against the raw bulk load of the same rows", "",
                  "| rows | import (wall) | peak RSS | raw load | raw / import | target | load average |",
                  "| ---: | ---: | ---: | ---: | ---: | --- | --- |",
                  f"| {c['rows']:,} | {c['import_s']:.1f} s | {c['import_peak_mb']:.0f} MB | {c['raw_s']:.1f} s | "
                  f"{c['ratio']:.2f} | >= 0.33 and < 500 MB: {'met' if c['ratio'] >= 1 / 3 and c['import_peak_mb'] < 500 else 'missed'} | "
                  f"{c['load_before']} / {c['load_after']} |", "", f"Import said: `{c['summary']}`", ""]
    if x:
        lines += ["## A progress .xlsx: import_file (dry run, in process) against python-calamine reading it", "",
                  "| rows | calamine read | import_file | import / calamine | target | CLI --dry-run wall | load average |",
                  "| ---: | ---: | ---: | ---: | --- | ---: | --- |",
                  f"| {x['rows']:,} | {x['calamine_s']:.2f} s | {x['import_s']:.2f} s | {x['ratio']:.1f} | "
                  f"<= 2: {'met' if x['ratio'] <= 2 else 'missed'} | {x['cli_dry_run_s']:.1f} s | "
                  f"{x['load_before']} / {x['load_after']} |", ""]
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, required=True, help="a progress CSV (e.g. progress-last.csv)")
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--skip-csv", action="store_true", help="only the .xlsx comparison")
    parser.add_argument("--skip-xlsx", action="store_true")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS-import.md")
    args = parser.parse_args(argv)
    url = os.environ.get("TWINTRACK_DATABASE_URL", "")
    env = dict(os.environ)
    result = {"engine": engine_of(url), "at": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
              "database_before": database_counts()}
    if not args.skip_csv:
        result["csv"] = cli_and_raw(args.file, env)
    if not args.skip_xlsx:
        result["xlsx"] = xlsx_comparison(args.file, args.xlsx_rows, env)
    print(json.dumps(result, indent=2))
    args.out.write_text(render(result), encoding="utf-8")


if __name__ == "__main__":
    main()
