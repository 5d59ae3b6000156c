"""Shared fixtures: a small org tree (city with two districts and a zone) and an enterprise."""
from datetime import date

import pytest

from twintrack.enterprises.services import load_industry_codes


def pytest_configure(config):
    from django.db.models.signals import post_migrate

    post_migrate.connect(_reseed_after_flush, dispatch_uid="twintrack-tests-reseed")


def _reseed_after_flush(sender, app_config=None, **kwargs):
    """A transactional test ends with a flush, which empties the rows the data migrations seeded
    (the data version counter, the quality rules, the key tasks). The flush then sends
    post_migrate; putting those rows back here keeps whatever test the worker runs next
    independent of the order xdist hands out files (pytest-django's reordering of transactional
    tests does not survive --dist loadfile)."""
    if app_config is None or app_config.label != "quality":
        return
    from importlib import import_module

    from django.apps import apps

    from twintrack.metrics.models import DataVersion
    from twintrack.metrics.version import GLOBAL_ID
    from twintrack.quality.services import seed_rules

    DataVersion.objects.get_or_create(id=GLOBAL_ID, defaults={"counter": 0})
    seed_rules()
    import_module("twintrack.supervision.migrations.0002_key_tasks").add_key_tasks(apps, None)


@pytest.fixture(autouse=True)
def fresh_cache():
    """The data version restarts with each test database, so cached pages must not outlive a test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def industry_codes(db):
    load_industry_codes()


@pytest.fixture
def city(db):
    from twintrack.orgs.services import OrgValues, save_orgunits
    from twintrack.orgs.models import OrgUnit

    save_orgunits([
        OrgValues("330400", "嘉兴市", "Jiaxing", "city", None),
        OrgValues("330402", "南湖区", "Nanhu District", "district", "330400"),
        OrgValues("330482", "平湖市", "Pinghu City", "county_city", "330400"),
        OrgValues("JXGQ", "嘉兴港区", "Jiaxing Port Area", "zone", "330400"),
    ])
    return OrgUnit.objects.get(code="330400")


def make_uscc(seed: int, region: str = "330402") -> str:
    """A valid 18-character USCC (GB 32100-2015) for tests."""
    from stdnum.cn import uscc

    body = f"91{region}MA{seed:07d}"[:17]
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def enterprise(city, industry_codes):
    from twintrack.enterprises.models import Enterprise
    from twintrack.enterprises.services import EnterpriseValues, save_enterprises
    from twintrack.orgs.models import OrgUnit

    nanhu = OrgUnit.objects.get(code="330402")
    save_enterprises([EnterpriseValues(make_uscc(1), "德威不锈钢有限公司", "Dewei Stainless Steel", nanhu.id,
                                       "3311", "medium", True)])
    return Enterprise.objects.get(uscc=make_uscc(1))


@pytest.fixture
def project_factory(enterprise):
    from twintrack.programme.models import Project
    from twintrack.programme.services import ProjectValues, save_projects

    def make(code="P001", start=date(2023, 3, 1), status="in_progress", kind="digital", ent=None):
        ent = ent or enterprise
        save_projects([ProjectValues(code, ent.id, ent.org_id, f"项目{code}", kind, "", start, None, None, status)])
        return Project.objects.get(code=code)

    return make


@pytest.fixture
def job_worker(monkeypatch):
    """The worker for tests with a live server: a thread of this process runs the jobs the pages
    queue (uploads' checks and imports, bulletin files) with the worker's own code (run_pending).

    The SQLite test database is in memory with a shared cache, whose table locks do not wait:
    the worker and the live server's requests take turns (one lock) instead of failing with
    "database table is locked". A real worker is a process of its own (tests/operations)."""
    import threading

    from django.core.handlers.wsgi import WSGIHandler
    from django.db import OperationalError, connections

    from twintrack.jobs.worker import run_pending

    turn = threading.Lock()
    serve = WSGIHandler.__call__

    def one_at_a_time(self, environ, start_response):
        with turn:
            return serve(self, environ, start_response)

    monkeypatch.setattr(WSGIHandler, "__call__", one_at_a_time)
    stop = threading.Event()

    ready = threading.Event()

    def run():
        try:
            with turn:  # the thread's first query opens its connection before the test's body runs
                run_once()
            ready.set()
            while not stop.wait(0.3):
                with turn:
                    run_once()
        finally:
            ready.set()
            connections.close_all()

    def run_once():
        try:
            run_pending()
        except OperationalError as error:  # the test's own thread held a table (it does not take turns)
            if "locked" not in str(error):
                raise

    thread = threading.Thread(target=run, name="test-job-worker", daemon=True)
    thread.start()
    ready.wait(timeout=60)
    yield thread
    stop.set()
    thread.join(timeout=60)
