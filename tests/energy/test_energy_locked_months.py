"""An approved month is locked for energy lines too: writes, imports and rule changes that
would change its figures are refused until the bureau reopens it."""
from datetime import date
from decimal import Decimal

import pytest

from twintrack.approvals.models import MonthApproval
from twintrack.approvals.services import MonthLocked
from twintrack.energy.models import EnergyLine
from twintrack.energy.services import add_coefficient_version, delete_energy_lines, save_energy_lines, set_year_basis
from twintrack.imports.errors import ImportRejected
from twintrack.web.import_kinds import import_file



@pytest.fixture
def approved_march(city):
    return MonthApproval.objects.create(org=city, year=2023, month=3, state="approved")


def test_lines_of_an_approved_month_cannot_be_written_or_deleted(green, line, approved_march):
    save_energy_lines([line(green, 4, "electricity", 1000)])
    with pytest.raises(MonthLocked):
        save_energy_lines([line(green, 3, "electricity", 1000)])
    MonthApproval.objects.update(month=4)
    with pytest.raises(MonthLocked):
        delete_energy_lines(EnergyLine.objects.all())
    assert EnergyLine.objects.count() == 1


def test_an_energy_import_for_an_approved_month_is_refused_row_by_row(green, approved_march, tmp_path):
    from django.utils import translation

    path = tmp_path / "energy.csv"
    path.write_text("project_code,month,carrier,quantity_saved\nG001,2023-04,electricity,10\n"
                    "G001,2023-03,electricity,10\n", encoding="utf-8")
    with translation.override("en"), pytest.raises(ImportRejected) as info:
        import_file("energy", path)
    assert info.value.messages == [
        "row 3, column month: 2023-03 is approved for 嘉兴市 and locked; the bureau can reopen it"]


def test_a_rule_change_that_would_change_an_approved_month_is_refused(green, line, approved_march, shipped_carriers):
    save_energy_lines([line(green, 2, "electricity", 10000), line(green, 4, "raw_coal", 1, "t")])
    MonthApproval.objects.update(month=2)
    with pytest.raises(MonthLocked):
        set_year_basis(2023, "equal_value", Decimal(300), "regional", "x")
    assert EnergyLine.objects.get(carrier="electricity").tce == Decimal("1.229")
    # a version from April changes nothing in February: allowed
    add_coefficient_version("from April", date(2023, 4, 1), "x", "",
                            shipped_carriers(raw_coal={"kgce_per_unit": Decimal("0.7")}))
    assert EnergyLine.objects.get(carrier="raw_coal").tce == Decimal("0.7")


def test_an_upgrade_shipping_a_new_factor_converts_open_months_and_leaves_approved_ones(green, line, approved_march):
    from twintrack.energy.models import GridFactor
    from twintrack.energy.services import load_reference_data

    GridFactor.objects.filter(data_year=2023).delete()  # as before 2023's factors were published
    save_energy_lines([line(green, 4, "electricity", 10000)])
    EnergyLine.objects.update(month=3)  # a line of the approved month, converted with 2022's factor
    save_energy_lines([line(green, 5, "electricity", 10000)])
    assert set(EnergyLine.objects.values_list("co2_kg", flat=True)) == {Decimal("5617")}
    result = load_reference_data()["reconverted"]  # the upgrade ships 2023's factors
    assert (result.changed, result.locked) == (1, 1)
    by_month = dict(EnergyLine.objects.values_list("month", "co2_kg"))
    assert by_month == {3: Decimal("5617"), 5: Decimal("5500")}
