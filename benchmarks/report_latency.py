"""Report latency inside the application, printed as JSON (run by benchmarks/run.py with
TWINTRACK_DATABASE_URL pointing at the benchmark database).

    python benchmarks/report_latency.py --org 330000 --org 330402 --period 2023-12
"""
from __future__ import annotations

import argparse
import json
import os
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--org", action="append", required=True)
    parser.add_argument("--period", required=True)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twintrack.settings")
    import django

    django.setup()
    from twintrack.metrics.report import report_for_period
    from twintrack.metrics.rules import parse_period
    from twintrack.orgs.models import OrgUnit

    year, month = parse_period(args.period)
    results = {}
    for code in args.org:
        org = OrgUnit.objects.get(code=code)
        report = report_for_period(org, year, month)  # warm the connection and caches
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            report = report_for_period(OrgUnit.objects.get(code=code), year, month)
            times.append(time.perf_counter() - start)
        times.sort()
        results[code] = {
            "median_s": times[len(times) // 2],
            "p99_s": times[min(len(times) - 1, int(len(times) * 0.99))],
            "figures": {"projects": report["metrics"]["projects"]["actual"],
                        "investment_yuan": report["metrics"]["investment_yuan"]["actual"],
                        "energy_saved_tce": report["metrics"]["energy_saved_tce"]["actual"]},
            "children": len(report["children"]),
        }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
