"""Energy fixtures: the shipped tables loaded, green projects in Nanhu (East China grid)."""
from datetime import date
from decimal import Decimal

import pytest


@pytest.fixture
def tables(db):
    from twintrack.energy.services import load_reference_data

    return load_reference_data()


@pytest.fixture
def green(project_factory, tables):
    """A green project of the shared Nanhu enterprise, started January 2023."""
    return project_factory("G001", start=date(2023, 1, 5), kind="green")


@pytest.fixture
def line():
    """line(project, month, carrier, quantity, unit='', measured=None, year=2023) -> EnergyLineValues"""
    from twintrack.energy.services import EnergyLineValues

    def make(project, month, carrier, quantity, unit="", measured=None, year=2023, note=""):
        return EnergyLineValues(project.id, project.enterprise.org_id, year, month, carrier, Decimal(str(quantity)),
                                unit, None if measured is None else Decimal(str(measured)), note)

    return make


@pytest.fixture
def progress():
    """progress(project, month, investment, tce=None, year=2023): writes one progress row."""
    from twintrack.programme.services import ProgressValues, save_progress

    def write(project, month, investment, tce=None, year=2023):
        save_progress([ProgressValues(project.id, project.enterprise.org_id, year, month, Decimal(str(investment)),
                                      None if tce is None else Decimal(str(tce)), "")])

    return write


@pytest.fixture
def shipped_carriers(tables):
    """shipped_carriers(raw_coal={"kgce_per_unit": Decimal("0.7")}) -> the shipped version's carriers as
    dicts for add_coefficient_version, with changes."""
    from twintrack.energy.models import CarrierCoefficient
    from twintrack.energy.services import CARRIER_FIELDS

    def rows(**changes) -> list[dict]:
        result = []
        for c in CarrierCoefficient.objects.filter(version__name="GB/T 2589-2008").order_by("id"):
            row = {f: getattr(c, f) for f in CARRIER_FIELDS}
            row.update(changes.get(c.key, {}))
            result.append(row)
        return result

    return rows
