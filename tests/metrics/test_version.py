"""Cached pages die with the next write: the data version moves with every change a report can see."""
from decimal import Decimal

from twintrack.metrics import version
from twintrack.programme.services import ProgressValues, TargetValues, save_progress, save_targets


def test_a_progress_write_moves_the_data_version(city, project_factory):
    project = project_factory()
    before = version.current()
    save_progress([ProgressValues(project.id, project.enterprise.org_id, 2023, 3, Decimal("10"), None, "")])
    assert version.current() > before


def test_an_unchanged_rewrite_keeps_the_cache(city, project_factory):
    project = project_factory()
    rows = [ProgressValues(project.id, project.enterprise.org_id, 2023, 3, Decimal("10"), None, "")]
    save_progress(rows)
    before = version.current()
    save_progress(rows)
    assert version.current() == before


def test_a_target_write_moves_the_data_version(city):
    before = version.current()
    save_targets([TargetValues(city.id, "projects", 2023, 12, Decimal(100))])
    assert version.current() > before


def test_cached_values_are_recomputed_after_a_write(city, project_factory):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert version.cached("test-key", compute) == 1
    assert version.cached("test-key", compute) == 1
    save_targets([TargetValues(city.id, "projects", 2023, 12, Decimal(100))])
    assert version.cached("test-key", compute) == 2
