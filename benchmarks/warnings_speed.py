"""The import's data-quality warnings alone (issue 19), on a database already loaded.

    TWINTRACK_DATABASE_URL=... python benchmarks/warnings_speed.py --file DATA/progress-last.csv [--rows N] [--xlsx]

Imports the file (its first `--rows` rows, or all; as an .xlsx with `--xlsx`) as a dry run,
so the database is left as it was, with a `warn` hook that times `findings_of_written` (what
every real import path runs after writing). Prints JSON: the rows, the whole import, the
warnings' share, the number of warning lines and a digest of them (equal digests: the same
lines, byte for byte, e.g. between two versions of the code run on the same database).
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from import_speed import django_setup, make_xlsx  # noqa: E402


def first_rows(path: Path, rows: int, out: Path) -> None:
    with path.open(encoding="utf-8") as source, out.open("w", encoding="utf-8") as target:
        target.writelines(itertools.islice(source, rows + 1))


def measure(path: Path) -> dict:
    django_setup()
    from twintrack.quality.warnings import import_warnings
    from twintrack.web.import_kinds import import_file

    spent = []

    def timed_warnings(written):
        start = time.perf_counter()
        lines = import_warnings(written)
        spent.append(time.perf_counter() - start)
        return lines

    start = time.perf_counter()
    result = import_file("progress", str(path), dry_run=True, warn=timed_warnings)
    total = time.perf_counter() - start
    text = "\n".join(result.warnings).encode()
    return {"rows": result.rows_read, "import_s": round(total, 3), "warnings_s": round(sum(spent), 3),
            "lines": len(result.warnings), "sha256": hashlib.sha256(text).hexdigest()[:16]}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, required=True, help="a progress CSV (e.g. progress-last.csv)")
    parser.add_argument("--rows", type=int, help="only the file's first N rows (a partial file)")
    parser.add_argument("--xlsx", action="store_true", help="as an .xlsx (of --rows rows, 10^5 by default)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = args.file
        if args.xlsx:
            path = Path(folder) / "progress.xlsx"
            make_xlsx(args.file, args.rows or 100_000, path)
        elif args.rows:
            path = Path(folder) / "progress.csv"
            first_rows(args.file, args.rows, path)
        print(json.dumps({"file": str(args.file), "xlsx": args.xlsx, **measure(path)}))


if __name__ == "__main__":
    main()
