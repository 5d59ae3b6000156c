"""How the connections plan queries on PostgreSQL (twintrack.sql, settings.DATABASES), and the
gunicorn settings the production server runs with (twintrack.gunicorn_config)."""
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction

from twintrack import sql

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner settings")


def setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_connections_plan_without_parallel_workers_or_jit():
    assert setting("max_parallel_workers_per_gather") == "0"
    assert setting("jit") == "off"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_file_of_many_rows_may_use_parallel_workers_until_its_transaction_ends():
    with transaction.atomic():
        sql.big_file_settings(sql.PROBED_ROWS)
        assert setting("max_parallel_workers_per_gather") == "0"
        sql.big_file_settings(sql.PROBED_ROWS + 1)
        assert setting("max_parallel_workers_per_gather") == "2"
    assert setting("max_parallel_workers_per_gather") == "0"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_file_sorts_and_hashes_in_memory_sized_by_its_rows_until_its_transaction_ends():
    with transaction.atomic():
        sql.big_file_settings(10_000)
        assert setting("work_mem") == "4MB"
        sql.big_file_settings(100_000)
        assert setting("work_mem") == "12500kB"
        sql.big_file_settings(10_000_000)
        assert setting("work_mem") == "256MB"
    assert setting("work_mem") == "4MB"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_few_rows_are_joined_by_index_probes_and_many_rows_as_planned():
    with transaction.atomic():
        with sql.probing_indexes(sql.PROBED_ROWS):
            assert (setting("enable_hashjoin"), setting("enable_mergejoin"), setting("enable_seqscan")) == (
                "off", "off", "on")
        assert setting("enable_hashjoin") == "on"
        with sql.probing_indexes(sql.PROBED_ROWS + 1):
            assert setting("enable_hashjoin") == "on"
        with sql.probing_indexes(no_scans=True):
            assert setting("enable_seqscan") == "off"
        assert setting("enable_seqscan") == "on"


def test_gunicorn_accepts_the_production_settings():
    gunicorn = Path(sys.executable).with_name("gunicorn")
    checked = subprocess.run([str(gunicorn), "--check-config", "-c", "python:twintrack.gunicorn_config",
                              "twintrack.wsgi:application"], capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr


def test_each_worker_holds_at_most_four_clients_per_thread():
    from twintrack import gunicorn_config

    assert gunicorn_config.worker_class == "gthread"
    assert gunicorn_config.worker_connections == 4 * gunicorn_config.threads
    assert gunicorn_config.workers >= 2


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_probes_hold_on_a_page_that_runs_without_a_transaction():
    assert connection.get_autocommit()
    with sql.probing_indexes(10):
        assert setting("enable_hashjoin") == "off"
    assert setting("enable_hashjoin") == "on"
