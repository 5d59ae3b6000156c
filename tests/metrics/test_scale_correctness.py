"""Correctness under scale, on data from the benchmark generator (benchmarks/generate.py):
the rollups agree exactly with a recomputation from raw rows, the report's totals equal the
files' own sums, and concurrent district imports into PostgreSQL land whole and exact."""
import csv
import sys
import threading
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import F

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import generate  # noqa: E402

SMALL_CITY = generate.Scale("city", "city", 60, 4)  # 240 projects, ~2,600 progress rows


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def generated(tmp_path):
    generate.generate(SMALL_CITY, tmp_path, seed=7)
    return tmp_path


def load(data: Path, progress_files=("progress-base", "progress-last")) -> None:
    from twintrack.enterprises.services import load_industry_codes
    from twintrack.web.import_kinds import import_file

    load_industry_codes()
    for kind, name in (("orgunits", "orgunits"), ("enterprises", "enterprises"), ("projects", "projects")):
        import_file(kind, data / f"{name}.csv")
    for name in progress_files:
        import_file("progress", data / f"{name}.csv")


def file_totals(data: Path, names=("progress-base", "progress-last")) -> tuple[Decimal, Decimal]:
    investment = energy = Decimal(0)
    for name in names:
        for row in read(data / f"{name}.csv"):
            investment += Decimal(row["investment_yuan"])
            energy += Decimal(row["energy_saved_tce"] or 0)
    return investment, energy


def verify(capsys) -> str:
    call_command("verify_rollups")
    return capsys.readouterr().out


@pytest.mark.django_db
def test_rollups_agree_with_raw_rows_and_the_report_with_the_files(generated, capsys):
    from twintrack.metrics.models import Rollup
    from twintrack.metrics.report import report_for_period
    from twintrack.orgs.models import OrgUnit

    load(generated)
    assert "rollups agree with raw rows" in verify(capsys)

    report = report_for_period(OrgUnit.objects.get(code="330400"), generate.YEAR, generate.LAST_MONTH)
    investment, energy = file_totals(generated)
    assert Decimal(str(report["metrics"]["investment_yuan"]["actual"])) == investment
    assert Decimal(str(report["metrics"]["energy_saved_tce"]["actual"])).quantize(Decimal("0.000001")) == energy
    assert report["metrics"]["projects"]["actual"] == sum(
        1 for p in read(generated / "projects.csv") if p["status"] != "cancelled")

    Rollup.objects.filter(pk=Rollup.objects.order_by("pk").first().pk).update(investment_fen=F("investment_fen") + 1)
    with pytest.raises(SystemExit):
        verify(capsys)


def split_by_district(data: Path, name: str, out: Path) -> dict[str, Path]:
    """The file as each district would send it: one file per top-level unit below the city."""
    org_of_enterprise = {e["uscc"]: e["org_code"] for e in read(data / "enterprises.csv")}
    district_of = {o["code"]: o["parent_code"] if o["parent_code"] != "330400" else o["code"]
                   for o in read(data / "orgunits.csv") if o["parent_code"]}
    district_of_project = {p["code"]: district_of[org_of_enterprise[p["uscc"]]] for p in read(data / "projects.csv")}
    rows = read(data / f"{name}.csv")
    by_district = defaultdict(list)
    for row in rows:
        by_district[district_of_project[row["project_code"]]].append(row)
    files = {}
    for district, district_rows in by_district.items():
        path = out / f"{name}-{district}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(district_rows)
        files[district] = path
    return files


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="concurrent writers are a PostgreSQL matter: SQLite serialises every write")
def test_concurrent_district_imports_land_whole_and_exact(generated, tmp_path, capsys):
    from twintrack.imports.errors import ImportRejected
    from twintrack.web.import_kinds import import_file
    from twintrack.metrics.report import report_for_period
    from twintrack.orgs.models import OrgUnit

    load(generated, progress_files=("progress-base",))
    files = split_by_district(generated, "progress-last", tmp_path)
    assert len(files) >= 5
    broken = tmp_path / "broken.csv"  # a district's file with one bad row: must land nothing
    broken.write_text(files[sorted(files)[0]].read_text(encoding="utf-8") + "P99999999,2023-12,1,,\n",
                      encoding="utf-8")

    errors, barrier = [], threading.Barrier(len(files) + 1)

    def run(path: Path) -> None:
        try:
            barrier.wait()
            import_file("progress", path)
        except ImportRejected as rejected:
            errors.append((path.name, rejected))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(path,)) for path in [*files.values(), broken]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [name for name, _ in errors] == ["broken.csv"]
    investment, energy = file_totals(generated)
    report = report_for_period(OrgUnit.objects.get(code="330400"), generate.YEAR, generate.LAST_MONTH)
    assert Decimal(str(report["metrics"]["investment_yuan"]["actual"])) == investment
    assert Decimal(str(report["metrics"]["energy_saved_tce"]["actual"])).quantize(Decimal("0.000001")) == energy
    assert "rollups agree with raw rows" in verify(capsys)
