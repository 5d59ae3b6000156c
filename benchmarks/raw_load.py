"""The raw bulk-load reference: the same progress rows into the same database, without any
validation, by the fastest plain means each engine offers (executemany into SQLite, COPY
into PostgreSQL), into a scratch table with the same columns and the same unique index as
the real one. Prints rows and seconds as JSON.

CSV reading and the project-code -> id lookup are inside the timed part, as they are for
the importer; the code -> id map is loaded before the clock starts, as the importer's is not.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twintrack.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from twintrack.programme.models import Project

    project_ids = dict(Project.objects.values_list("code", "id"))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_progress")
        cursor.execute(
            "CREATE TABLE bench_raw_progress (id INTEGER PRIMARY KEY, project_id BIGINT NOT NULL, "
            "year SMALLINT NOT NULL, month SMALLINT NOT NULL, investment_yuan NUMERIC(20, 2) NOT NULL, "
            "energy_saved_tce NUMERIC(20, 6), note VARCHAR(500) NOT NULL, "
            "UNIQUE (project_id, year, month))"
            if connection.vendor == "sqlite" else
            "CREATE TABLE bench_raw_progress (id BIGSERIAL PRIMARY KEY, project_id BIGINT NOT NULL, "
            "year SMALLINT NOT NULL, month SMALLINT NOT NULL, investment_yuan NUMERIC(20, 2) NOT NULL, "
            "energy_saved_tce NUMERIC(20, 6), note VARCHAR(500) NOT NULL, "
            "UNIQUE (project_id, year, month))"
        )
    start = time.perf_counter()
    rows = 0
    with open(args.file, encoding="utf-8", newline="") as handle, transaction.atomic():
        reader = csv.reader(handle)
        next(reader)
        tuples = ((project_ids[r[0]], int(r[1][:4]), int(r[1][5:7]), r[2], r[3] or None, r[4]) for r in reader)
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                batch = []
                for row in tuples:
                    batch.append(row)
                    if len(batch) == 10000:
                        cursor.executemany("INSERT INTO bench_raw_progress (project_id, year, month, investment_yuan,"
                                           " energy_saved_tce, note) VALUES (%s, %s, %s, %s, %s, %s)", batch)
                        rows += len(batch)
                        batch = []
                if batch:
                    cursor.executemany("INSERT INTO bench_raw_progress (project_id, year, month, investment_yuan,"
                                       " energy_saved_tce, note) VALUES (%s, %s, %s, %s, %s, %s)", batch)
                    rows += len(batch)
            else:
                with cursor.cursor.copy("COPY bench_raw_progress (project_id, year, month, investment_yuan, "
                                        "energy_saved_tce, note) FROM STDIN") as copy:
                    for row in tuples:
                        copy.write_row(row)
                        rows += 1
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_raw_progress")
    print(json.dumps({"rows": rows, "seconds": seconds}))


if __name__ == "__main__":
    main()
