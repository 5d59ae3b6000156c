"""Energy carriers and coefficients (versioned), grid emission factors, the year's electricity
basis, and the savings lines that enterprises measure (data contract section 4).

Write lines through `twintrack.energy.services` so the working is computed, the history is
kept and the rollups stay exact; a plain `.save()` does none of that.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from twintrack.display.periods import format_period

COEF = dict(max_digits=14, decimal_places=6)
QUANTITY = dict(max_digits=24, decimal_places=6)


class CoefficientVersion(models.Model):
    """One edition of the carrier table: kgce per unit (GB/T 2589) and fuel CO2 factors.

    A line is converted with the version in force for its month: the latest whose
    effective date is on or before the month's first day.
    """
    access_policy = "twintrack.energy.access.TablePolicy"

    name = models.CharField(_("name"), max_length=100, unique=True)
    effective_from = models.DateField(_("effective from"), unique=True)
    source = models.TextField(_("source"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["effective_from"]
        verbose_name = _("coefficient version")

    def __str__(self):
        return f"{self.name} ({self.effective_from.isoformat()})"


class CarrierCoefficient(models.Model):
    """A carrier's row in a version. Either a fixed kgce_per_unit or a range (kgce_min..kgce_max),
    where a line must give its measured coefficient."""
    access_policy = "twintrack.energy.access.TablePolicy"

    version = models.ForeignKey(CoefficientVersion, on_delete=models.PROTECT, related_name="carriers")
    key = models.CharField(_("carrier"), max_length=40)
    name_zh = models.CharField(_("Chinese name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    aliases = models.CharField(_("other names"), max_length=200, blank=True,
                               help_text=_("comma-separated names a file may use, e.g. 电力,电"))
    unit = models.CharField(_("unit"), max_length=8)
    kgce_per_unit = models.DecimalField(_("kgce per unit"), null=True, blank=True, **COEF)
    kgce_min = models.DecimalField(_("kgce per unit, lowest"), null=True, blank=True, **COEF)
    kgce_max = models.DecimalField(_("kgce per unit, highest"), null=True, blank=True, **COEF)
    ncv_kj_per_unit = models.DecimalField(_("net calorific value (kJ per unit)"), null=True, blank=True,
                                          max_digits=14, decimal_places=3)
    basis = models.CharField(_("basis"), max_length=40, blank=True)
    source = models.TextField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)
    kgco2_per_unit = models.DecimalField(_("kg CO2 per unit"), null=True, blank=True, **COEF)
    carbon_tc_per_tj = models.DecimalField(_("carbon content (tC/TJ)"), null=True, blank=True,
                                           max_digits=8, decimal_places=3)
    oxidation_rate = models.DecimalField(_("oxidation rate"), null=True, blank=True, max_digits=6,
                                         decimal_places=4)
    co2_source = models.TextField(_("CO2 factor source"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["version__effective_from", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="carrier_per_version")]
        verbose_name = _("carrier coefficient")

    def __str__(self):
        return f"{self.key} ({self.version.name})"

    @property
    def is_range(self) -> bool:
        return self.kgce_per_unit is None


class GridFactor(models.Model):
    """An electricity CO2 factor (kgCO2/kWh) published for a data year, nationally or for one
    regional grid. Conversions use the scheme `mee_nbs_average`."""
    access_policy = "twintrack.energy.access.TablePolicy"

    scheme = models.CharField(_("scheme"), max_length=40)
    data_year = models.PositiveSmallIntegerField(_("data year"))
    region = models.CharField(_("region"), max_length=20)  # conversions.GRID_REGIONS key or "national"
    region_zh = models.CharField(_("region (Chinese)"), max_length=20)
    region_en = models.CharField(_("region (English)"), max_length=40)
    kgco2_per_kwh = models.DecimalField(_("kg CO2 per kWh"), max_digits=8, decimal_places=4)
    published = models.CharField(_("published"), max_length=10, blank=True)
    source = models.TextField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "data_year", "region"]
        constraints = [models.UniqueConstraint(fields=["scheme", "data_year", "region"], name="grid_factor_key")]
        verbose_name = _("grid emission factor")

    def __str__(self):
        return f"{self.scheme} {self.data_year} {self.region_en} {self.kgco2_per_kwh}"


class ElectricityBasis(models.TextChoices):
    CALORIFIC = "calorific", _("Calorific equivalent (当量值)")
    EQUAL_VALUE = "equal_value", _("Equal value (等价值)")


class GridChoice(models.TextChoices):
    REGIONAL = "regional", _("The unit's regional grid")
    NATIONAL = "national", _("National average")


class YearBasis(models.Model):
    """What a deployment chose for one year's lines. Without a row: calorific electricity
    (0.1229 kgce/kWh) and the unit's regional grid factor."""
    access_policy = "twintrack.energy.access.TablePolicy"

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    electricity = models.CharField(_("electricity basis"), max_length=16, choices=ElectricityBasis.choices,
                                   default=ElectricityBasis.CALORIFIC)
    coal_rate_gce_per_kwh = models.DecimalField(_("coal rate (gce/kWh)"), null=True, blank=True,
                                                max_digits=8, decimal_places=3)
    grid = models.CharField(_("grid factor"), max_length=16, choices=GridChoice.choices,
                            default=GridChoice.REGIONAL)
    source = models.CharField(_("source"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]
        verbose_name = _("year basis")

    def __str__(self):
        return f"{self.year} {self.electricity} {self.grid}"


class EnergyLine(models.Model):
    """One project's saving of one carrier in one month, as measured, and its conversion."""
    access_policy = "twintrack.energy.access.ProjectDataPolicy"

    project = models.ForeignKey("programme.Project", on_delete=models.PROTECT, related_name="energy_lines")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    carrier = models.CharField(_("carrier"), max_length=40)
    quantity_entered = models.DecimalField(_("quantity saved"), **QUANTITY)
    unit_entered = models.CharField(_("unit"), max_length=8)
    kgce_measured = models.DecimalField(_("measured coefficient"), null=True, blank=True, **COEF)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # the working, computed by the services
    quantity = models.DecimalField(_("quantity in the carrier's unit"), **QUANTITY)
    coefficient = models.ForeignKey(CarrierCoefficient, on_delete=models.PROTECT, related_name="+")
    kgce_per_unit = models.DecimalField(_("kgce per unit applied"), **COEF)
    kgce_basis = models.CharField(_("coefficient basis"), max_length=16)
    tce = models.DecimalField(_("tce"), max_digits=20, decimal_places=6)
    kgco2_per_unit = models.DecimalField(_("kg CO2 per unit applied"), null=True, blank=True, **COEF)
    grid_factor = models.ForeignKey(GridFactor, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    co2_source = models.CharField(_("CO2 factor source"), max_length=300, blank=True)
    co2_kg = models.DecimalField(_("kg CO2"), max_digits=24, decimal_places=3)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "month", "carrier"], name="energy_line_key"),
        ]
        indexes = [models.Index(fields=["year", "month"])]
        ordering = ["project_id", "year", "month", "carrier"]
        verbose_name = _("energy line")

    def __str__(self):
        return f"{self.project_id} {self.year:04d}-{self.month:02d} {self.carrier}"

    @property
    def period(self) -> str:
        return format_period(self.year, self.month)


class EnergyBaseline(models.Model):
    """A project's baseline-period consumption of one carrier (IPMVP): what savings are measured
    against. `months` months starting at `first_month`."""
    access_policy = "twintrack.energy.access.ProjectDataPolicy"

    project = models.ForeignKey("programme.Project", on_delete=models.PROTECT, related_name="energy_baselines")
    carrier = models.CharField(_("carrier"), max_length=40)
    first_month = models.DateField(_("first month of the baseline period"))
    months = models.PositiveSmallIntegerField(_("months in the baseline period"), default=12)
    quantity_entered = models.DecimalField(_("consumption in the baseline period"), **QUANTITY)
    unit_entered = models.CharField(_("unit"), max_length=8)
    quantity = models.DecimalField(_("consumption in the carrier's unit"), **QUANTITY)
    note = models.CharField(_("note"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "carrier"], name="energy_baseline_key")]
        ordering = ["project_id", "carrier"]
        verbose_name = _("energy baseline")
