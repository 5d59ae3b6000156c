"""The energy pages: the coefficient tables for everyone, changes for the bureau, and a project's
baseline, monthly savings and the working per line."""
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from twintrack.energy.models import CoefficientVersion, EnergyBaseline, EnergyLine, YearBasis
from twintrack.energy.services import save_energy_lines

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def user(username, role=None, org=None, superuser=False):
    from django.contrib.auth import get_user_model

    from twintrack.orgs.models import Membership

    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username, f"{username}@example.org", PASSWORD)
    u = User.objects.create_user(username, password=PASSWORD)
    if role:
        Membership.objects.create(user=u, role=role, org=org)
    return u


@pytest.fixture
def lines(green, line, progress):
    progress(green, 2, 100000, tce="4.5")
    save_energy_lines([line(green, 3, "electricity", "12.5", "万kWh"), line(green, 3, "raw_coal", 20, "t"),
                       line(green, 4, "coke_oven_gas", 10000, measured="0.6")])
    return green


@pytest.fixture
def bureau(client, city):
    client.force_login(user("bureau", "bureau"))
    return client


@pytest.fixture
def nanhu(client, city):
    from twintrack.orgs.models import OrgUnit

    client.force_login(user("nanhu", "district", OrgUnit.objects.get(code="330402")))
    return client


@pytest.fixture
def pinghu(client, city):
    from twintrack.orgs.models import OrgUnit

    client.force_login(user("pinghu", "district", OrgUnit.objects.get(code="330482")))
    return client


def test_the_project_page_shows_the_working_of_every_line(nanhu, lines):
    response = nanhu.get(reverse("energy:project", args=["G001"]))
    assert response.status_code == 200
    html = response.content.decode()
    # 12.5 万kWh = 125,000 kWh x 0.1229 = 15.3625 tce; x 0.55 (East China 2023) = 68,750 kg CO2
    for text in ("12.5 万kWh", "125,000 kWh", "× 0.1229", "= 15.3625", "calorific equivalent", "GB/T 2589-2008",
                 "East China", "× 0.55", "= 68,750", "20 t", "20,000 kg", "× 0.7143", "= 14.286", "× 1.9003",
                 "= 38,006", "× 0.6", "measured", "= 6"):
        assert text in html, text
    context = response.context
    assert context["total_tce"] == Decimal("4.5") + Decimal("15.3625") + Decimal("14.286") + Decimal("6")
    assert context["lines_tce"] == Decimal("35.6485")
    assert [m["row"].cumulative_tce for m in context["months"]] == [
        Decimal("4.5"), Decimal("34.1485"), Decimal("40.1485")]


def test_a_district_officer_enters_a_baseline_and_sees_the_saving_rate(nanhu, lines):
    url = reverse("energy:project", args=["G001"])
    response = nanhu.post(url, {"carrier": "electricity", "first_month": "2022-01", "months": "12",
                                "quantity": "300", "unit": "万kWh", "note": ""})
    assert response.status_code == 302
    baseline = EnergyBaseline.objects.get()
    assert (baseline.quantity, baseline.first_month, baseline.unit_entered) == (Decimal(3000000), date(2022, 1, 1),
                                                                               "万kWh")
    row = nanhu.get(url).context["baselines"][0]
    assert row.monthly == Decimal(250000)  # a month of the baseline
    assert row.saved_per_month == Decimal(125000)
    assert row.reporting_per_month == Decimal(125000) and row.saving_rate == 0.5
    assert row.tce_per_month == Decimal("30.725")
    response = nanhu.post(url, {"carrier": "electricity", "first_month": "2022-01", "months": "12",
                                "quantity": "300", "unit": "t", "note": ""})
    assert response.status_code == 200 and "not a unit for this carrier" in response.content.decode()


def test_another_districts_project_is_not_found(pinghu, lines):
    assert pinghu.get(reverse("energy:project", args=["G001"])).status_code == 404


def test_everyone_with_a_scope_reads_the_tables_only_the_bureau_changes_them(nanhu, tables):
    response = nanhu.get(reverse("energy:coefficients"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "GB/T 2589-2008" in html and "0.7143" in html and "0.5714–0.6143" in html and "East China" in html
    assert "Add a version" not in html
    assert nanhu.get(reverse("energy:add_version")).status_code == 403
    assert nanhu.post(reverse("energy:year_basis"), {"year": 2023}).status_code == 403


def test_the_bureau_adds_a_version_from_a_copy_of_the_latest(bureau, lines):
    page = bureau.get(reverse("energy:add_version"))
    assert page.status_code == 200
    formset = page.context["formset"]
    data = {"name": "GB/T 2589-2020 (bureau copy)", "effective_from": "2023-04-01", "source": "GB/T 2589-2020",
            "note": "", "carriers-TOTAL_FORMS": str(len(formset.forms)), "carriers-INITIAL_FORMS": "24",
            "carriers-MIN_NUM_FORMS": "0", "carriers-MAX_NUM_FORMS": "200"}
    for i, form in enumerate(formset.forms):
        for name, field in form.fields.items():
            value = form.initial.get(name)
            data[f"carriers-{i}-{name}"] = "" if value is None else str(value)
    data["carriers-0-kgce_per_unit"] = "0.7000"  # raw coal
    response = bureau.post(reverse("energy:add_version"), data)
    assert response.status_code == 302, response.context["formset"].errors if response.context else ""
    version = CoefficientVersion.objects.get(name="GB/T 2589-2020 (bureau copy)")
    assert version.carriers.count() == 24
    assert version.carriers.get(key="raw_coal").kgce_per_unit == Decimal("0.7")
    assert version.carriers.get(key="diesel").name_en == "Diesel"  # carried over
    # March stays on 2008; April's coke-oven gas line now cites the new version
    assert EnergyLine.objects.get(carrier="raw_coal").coefficient.version.name == "GB/T 2589-2008"
    assert EnergyLine.objects.get(carrier="coke_oven_gas").coefficient.version == version


def test_a_version_row_needs_a_coefficient_or_a_range(bureau, tables):
    data = {"name": "x", "effective_from": "2024-01-01", "source": "y", "note": "",
            "carriers-TOTAL_FORMS": "1", "carriers-INITIAL_FORMS": "0", "carriers-MIN_NUM_FORMS": "0",
            "carriers-MAX_NUM_FORMS": "200", "carriers-0-key": "lng", "carriers-0-name_zh": "液化天然气",
            "carriers-0-unit": "kg", "carriers-0-kgce_min": "1.7"}
    response = bureau.post(reverse("energy:add_version"), data)
    assert response.status_code == 200
    assert "give a coefficient, or the lowest and highest of a range" in response.content.decode()
    assert CoefficientVersion.objects.count() == 1


def test_the_bureau_sets_the_equal_value_basis_for_a_year(bureau, lines):
    response = bureau.post(reverse("energy:year_basis"), {"year": "2023", "electricity": "equal_value",
                                                          "coal_rate_gce_per_kwh": "300", "grid": "regional",
                                                          "source": "provincial statistics bureau"})
    assert response.status_code == 302
    assert YearBasis.objects.get(year=2023).coal_rate_gce_per_kwh == Decimal(300)
    assert EnergyLine.objects.get(carrier="electricity").tce == Decimal("37.5")  # 125,000 kWh x 0.3
    missing = bureau.post(reverse("energy:year_basis"), {"year": "2024", "electricity": "equal_value",
                                                         "grid": "regional", "source": "x"})
    assert "needs the year&#x27;s coal rate" in missing.content.decode()


def test_the_bureau_adds_a_grid_factor(bureau, green, line):
    save_energy_lines([line(green, 3, "electricity", 10000, year=2024)])
    response = bureau.post(reverse("energy:grid_factor"), {"data_year": "2024", "region": "east_china",
                                                           "kgco2_per_kwh": "0.5", "published": "2026-12",
                                                           "source": "notice"})
    assert response.status_code == 302
    assert EnergyLine.objects.get().co2_kg == Decimal(5000)


def test_the_pages_render_in_chinese(client, city, lines, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(user("admin", superuser=True))
    response = client.get(reverse("energy:project", args=["G001"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "原煤" in html and "计算过程" in html and "当量值" in html
    assert "折标" in client.get(reverse("energy:coefficients")).content.decode()


def test_the_project_list_shows_only_visible_projects_with_lines(pinghu, lines, client):
    response = pinghu.get(reverse("energy:projects"))
    assert response.status_code == 200 and response.context["page"].paginator.count == 0
    client.force_login(user("nanhu2", "district", lines.enterprise.org))
    response = client.get(reverse("energy:projects") + "?year=2023")
    assert response.context["page"].paginator.count == 1
    row = response.context["page"][0]
    assert (row.code, row.lines, row.tce) == ("G001", 3, Decimal("35.6485"))
    assert response.context["years"] == [2023]
    assert reverse("energy:project", args=["G001"]) in response.content.decode()


def test_an_enterprise_user_reads_the_tables_and_their_projects_energy_but_changes_nothing(client, lines):
    from twintrack.orgs.models import Membership

    u = user("firm")
    Membership.objects.create(user=u, role="enterprise", enterprise=lines.enterprise)
    client.force_login(u)
    assert client.get(reverse("energy:coefficients")).status_code == 200
    assert client.get(reverse("energy:add_version")).status_code == 403
    response = client.get(reverse("energy:project", args=["G001"]))
    assert response.status_code == 200 and not response.context["can_edit"]
    assert client.post(reverse("energy:project", args=["G001"]), {"carrier": "electricity"}).status_code == 403


def test_the_project_page_of_the_web_app_links_to_the_energy_page_and_back(nanhu, lines):
    detail = reverse("project_detail", args=[lines.pk])
    energy = reverse("energy:project", args=["G001"])
    assert energy in nanhu.get(detail).content.decode()
    assert detail in nanhu.get(energy).content.decode()


def test_the_energy_list_is_searched_and_paged_and_reached_from_the_menu(bureau, lines):
    """Issue 15: the list stopped at 200 rows with no search; energy had no menu entry."""
    from django.urls import reverse

    home = bureau.get(reverse("dashboard")).content.decode()
    assert reverse("energy:index") in home
    assert reverse("energy:projects") in bureau.get(reverse("energy:index")).content.decode()
    found = bureau.get(reverse("energy:projects"), {"year": 2023, "q": lines.code}).content.decode()
    assert lines.title in found
    missing = bureau.get(reverse("energy:projects"), {"year": 2023, "q": "no-such-project"}).content.decode()
    assert lines.title not in missing
    assert bureau.get(reverse("energy:projects"), {"year": 2023, "page": 99}).status_code == 200


def test_the_energy_home_sums_the_units_lines_and_names_carriers_in_words(city, lines):
    """Issue 15: energy had no index page; carriers showed as keys (raw_coal)."""
    from django.test import Client

    from twintrack.energy.models import EnergyLine
    from twintrack.orgs.models import OrgUnit

    def signed_in(account):
        client = Client()
        client.force_login(account)
        return client

    bureau = signed_in(user("bureau", "bureau"))
    nanhu = signed_in(user("nanhu", "district", OrgUnit.objects.get(code="330402")))
    pinghu = signed_in(user("pinghu", "district", OrgUnit.objects.get(code="330482")))
    expected = sum((l.tce for l in EnergyLine.objects.filter(year=2023)), Decimal(0))
    for client in (bureau, nanhu):
        page = client.get(reverse("energy:index"), {"year": 2023})
        assert page.status_code == 200
        assert page.context["lines_tce"] == expected
        assert page.context["energy_tce"] == expected + Decimal("4.5")  # and the tce given in progress
        assert page.context["projects"] == 1
        carriers = [row["label"] for row in page.context["by_carrier"]]
        assert sorted(carriers) == ["Coke-oven gas", "Electricity", "Raw coal"]
        assert "raw_coal" not in page.content.decode()
    other = pinghu.get(reverse("energy:index"), {"year": 2023})
    assert other.context["lines_tce"] == 0 and other.context["by_carrier"] == []
