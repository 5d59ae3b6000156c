"""The one write path for energy lines, coefficient versions and the year's basis.

Every change to a line computes its working (conversions.py), records history, and adds
its difference to the rollups in the same transaction: a line of E micro-tce and C grams
contributes Totals(0, 0, E, E, C) to its enterprise's unit and every unit above.

A change to the rules (a new coefficient version, a year's basis, a newly published grid
factor) re-converts the lines it governs, so stored lines always follow the rules in force;
published bulletins are frozen snapshots and are not touched.
"""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Iterable

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from twintrack.display.periods import format_period
from twintrack.energy import conversions as cv
from twintrack.energy.models import (
    CarrierCoefficient, CoefficientVersion, EnergyBaseline, EnergyLine, GridFactor, YearBasis,
)
from twintrack.energy.reference import (
    GRID_SCHEME, SHIPPED_EFFECTIVE_FROM, SHIPPED_NOTE, SHIPPED_SOURCE, SHIPPED_VERSION_NAME, carrier_rows,
    grid_rows,
)
from twintrack.metrics import version as data_version
from twintrack.metrics.rollups import apply_deltas
from twintrack.figures import RollupKey, Totals, merge
from twintrack.approvals.services import locked_months_for, refuse_locked
from twintrack.orgs.models import OrgUnit
from twintrack.programme.models import Progress, Project
from twintrack.sql import placeholders, rows_where_in

BATCH = 2000
KEY_CHUNK = 5000


# --- reference data ---------------------------------------------------------------------

CARRIER_FIELDS = ("key", "name_zh", "name_en", "aliases", "unit", "kgce_per_unit", "kgce_min", "kgce_max",
                  "ncv_kj_per_unit", "basis", "source", "note", "kgco2_per_unit", "carbon_tc_per_tj",
                  "oxidation_rate", "co2_source")


@transaction.atomic
def load_reference_data() -> dict:
    """The shipped coefficient version (created once, never overwritten: a deployment edits by
    adding versions) and the published grid factors (added when missing). Idempotent."""
    created_version = False
    if not CoefficientVersion.objects.filter(name=SHIPPED_VERSION_NAME).exists():
        version = CoefficientVersion(name=SHIPPED_VERSION_NAME, effective_from=SHIPPED_EFFECTIVE_FROM,
                                     source=SHIPPED_SOURCE, note=SHIPPED_NOTE)
        version.save()
        bulk_create_with_history(
            [CarrierCoefficient(version=version, **{f: getattr(r, f) for f in CARRIER_FIELDS}) for r in carrier_rows()],
            CarrierCoefficient, default_change_reason="twintrack init")
        created_version = True
    have = set(GridFactor.objects.values_list("scheme", "data_year", "region"))
    new = [GridFactor(**r.__dict__) for r in grid_rows() if (r.scheme, r.data_year, r.region) not in have]
    if new:
        bulk_create_with_history(new, GridFactor, default_change_reason="twintrack init")
        data_version.bump()  # bulk history writes send no signal
    reconverted = None
    if created_version or new:  # an upgrade that ships a newly published factor: lines that now pick it
        reconverted = reconvert_lines(EnergyLine.objects.all(), "reference data loaded", strict=False,
                                      skip_locked=True)
    return {"carriers": CarrierCoefficient.objects.filter(version__name=SHIPPED_VERSION_NAME).count(),
            "grid_factors": GridFactor.objects.count(), "version_created": created_version,
            "grid_factors_added": len(new), "reconverted": reconverted}


# --- carriers by name ---------------------------------------------------------------------

def normalise_name(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split()).casefold()


def carrier_names() -> dict[str, str]:
    """Every name a file may use for a carrier (key, Chinese name, other names), normalised,
    to the carrier's key; across all versions, the latest version's names winning."""
    names: dict[str, str] = {}
    rows = CarrierCoefficient.objects.order_by("version__effective_from").values_list(
        "key", "name_zh", "name_en", "aliases")
    for key, name_zh, name_en, aliases in rows:
        for name in (key, name_zh, name_en, *aliases.split(",")):
            if name.strip():
                names[normalise_name(name)] = key
    for key, *_ in rows:  # a key always means itself
        names[normalise_name(key)] = key
    return names


def carrier_choices() -> list[tuple[str, str]]:
    """(key, Chinese name) of the latest version's carriers, for messages and forms."""
    latest = CoefficientVersion.objects.order_by("-effective_from").first()
    if latest is None:
        return []
    return list(latest.carriers.order_by("id").values_list("key", "name_zh"))


# --- converting lines -------------------------------------------------------------------------

def codes_upwards(org_id: int, path: str | None = None) -> list[str]:
    """The codes of a unit and every unit above it, nearest first (one query, two without `path`)."""
    if path is None:
        path = OrgUnit.objects.values_list("path", flat=True).get(id=org_id)
    ids = [int(p) for p in path.strip("/").split("/") if p]
    codes = dict(OrgUnit.objects.filter(id__in=ids).values_list("id", "code"))
    return [codes[i] for i in reversed(ids) if i in codes]


def grid_region_of(org) -> str | None:
    return cv.grid_region(codes_upwards(org.id))


@dataclass(frozen=True)
class Working:
    coefficient: CarrierCoefficient
    conversion: cv.Conversion
    grid_factor: GridFactor | None
    co2_source: str


class Converter:
    """The rules in force, loaded once for a batch of lines."""

    _shared: tuple[int, "Converter"] | None = None

    @classmethod
    def for_reading(cls) -> "Converter":
        """For reports: loaded once per data version in this process (any change to the tables
        bumps the version). Inside a transaction, which may change them and roll back, a fresh one."""
        if connection.in_atomic_block:
            return cls()
        counter = data_version.current()
        shared = cls._shared
        if shared is None or shared[0] != counter:
            shared = cls._shared = (counter, cls())
        return shared[1]

    def __init__(self):
        self.versions = list(CoefficientVersion.objects.order_by("effective_from"))
        self.coefficients = {(c.version_id, c.key): c for c in CarrierCoefficient.objects.select_related("version")}
        self.bases = {b.year: b for b in YearBasis.objects.all()}
        factors = list(GridFactor.objects.filter(scheme=GRID_SCHEME))
        self.grid_by_id = {g.id: g for g in factors}
        self.grid = [cv.GridFactorSpec(g.id, g.data_year, g.region, g.kgco2_per_kwh) for g in factors]
        self._regions: dict[int, str | None] = {}

    # rules
    def version_for(self, year: int, month: int) -> CoefficientVersion | None:
        first, chosen = date(year, month, 1), None
        for version in self.versions:
            if version.effective_from <= first:
                chosen = version
        return chosen

    def coefficient(self, carrier: str, year: int, month: int) -> CarrierCoefficient:
        version = self.version_for(year, month)
        if version is None:
            if not self.versions:
                raise cv.ConversionError(gettext_noop("no coefficient table is loaded: run `twintrack init`"))
            raise cv.ConversionError(gettext_noop("no coefficient version is in force for %(month)s (the first takes effect "
                                     "%(date)s)"), month=format_period(year, month),
                                     date=self.versions[0].effective_from.isoformat())
        coefficient = self.coefficients.get((version.id, carrier))
        if coefficient is None:
            raise cv.ConversionError(gettext_noop("%(carrier)s is not in the coefficient version %(version)s, in force for "
                                     "%(month)s"), carrier=carrier, version=version.name,
                                     month=format_period(year, month))
        return coefficient

    def electricity_basis(self, year: int) -> cv.ElectricityBasis:
        basis = self.bases.get(year)
        if basis is None or basis.electricity == "calorific":
            return cv.CALORIFIC
        return cv.ElectricityBasis("equal_value", basis.coal_rate_gce_per_kwh)

    def national_grid(self, year: int) -> bool:
        basis = self.bases.get(year)
        return basis is not None and basis.grid == "national"

    def region_of(self, org_id: int) -> str | None:
        if org_id not in self._regions:
            self._regions[org_id] = cv.grid_region(codes_upwards(org_id))
        return self._regions[org_id]

    def grid_factor(self, org_id: int | None, year: int) -> GridFactor | None:
        region = None if org_id is None or self.national_grid(year) else self.region_of(org_id)
        spec = cv.pick_grid_factor(self.grid, year, region)
        return None if spec is None else self.grid_by_id[spec.id]

    def co2_source(self, coefficient: CarrierCoefficient, grid: GridFactor | None, year: int) -> str:
        if coefficient.key == cv.ELECTRICITY:
            if grid is None:
                return "no grid factor loaded"
            text = (f"MEE/NBS {grid.data_year} electricity CO2 factor, {grid.region_zh} {grid.region_en}"
                    f"{'' if grid.region == cv.NATIONAL else ' grid'}, {cv.display(grid.kgco2_per_kwh)} kgCO2/kWh")
            if self.national_grid(year):
                text += f"; national average chosen for {year}"
            if grid.data_year != year:
                text += f"; {year} not published, latest used"
            return text[:300]
        if coefficient.kgco2_per_unit is None:
            return f"no CO2 factor for {coefficient.key} in {coefficient.version.name}"
        return f"{coefficient.version.name}: {coefficient.co2_source}"[:300]

    def convert(self, org_id: int, year: int, month: int, carrier: str, quantity: Decimal,
                measured: Decimal | None) -> Working:
        coefficient = self.coefficient(carrier, year, month)
        spec = cv.CoefficientSpec(coefficient.key, coefficient.unit, coefficient.kgce_per_unit, coefficient.kgce_min,
                                  coefficient.kgce_max, coefficient.kgco2_per_unit)
        grid = self.grid_factor(org_id, year) if spec.is_electricity else None
        conversion = cv.convert(quantity, spec, measured=None if spec.is_electricity else measured,
                                electricity=self.electricity_basis(year),
                                grid_kgco2_per_kwh=None if grid is None else grid.kgco2_per_kwh)
        return Working(coefficient, conversion, grid, self.co2_source(coefficient, grid, year))

    def check_measured(self, carrier: str, year: int, month: int, measured: Decimal | None) -> None:
        """The file's coefficient for electricity must agree with the year's basis (it is then
        ignored); raises ConversionError otherwise."""
        coefficient = self.coefficient(carrier, year, month)
        if coefficient.key == cv.ELECTRICITY and measured is not None:
            spec = cv.CoefficientSpec(coefficient.key, coefficient.unit, coefficient.kgce_per_unit)
            cv.coefficient_for(spec, measured, self.electricity_basis(year))


# --- the guard against counting a month twice ------------------------------------------------

ProjectMonth = tuple[int, int, int]  # (project id, year, month)


class DoubleCounting(ValueError):
    """A project-month would have savings both as progress tce and as carrier lines."""

    def __init__(self, clashes: dict):
        self.clashes = clashes
        super().__init__(f"{len(clashes)} project-months have both a progress tce figure and energy lines")


def _by_project_chunks(keys: Iterable[ProjectMonth]):
    wanted = defaultdict(set)
    for pid, year, month in keys:
        wanted[pid].add((year, month))
    ids = sorted(wanted)
    for start in range(0, len(ids), KEY_CHUNK):
        chunk = ids[start:start + KEY_CHUNK]
        years = {y for pid in chunk for y, _ in wanted[pid]}
        yield chunk, years, wanted


def progress_with_tce(keys: Iterable[ProjectMonth]) -> dict[ProjectMonth, Decimal]:
    """Of these project-months, those whose monthly progress gives energy_saved_tce."""
    found = {}
    for chunk, years, wanted in _by_project_chunks(keys):
        rows = Progress.objects.filter(project_id__in=chunk, year__in=years, energy_saved_tce__isnull=False) \
            .values_list("project_id", "year", "month", "energy_saved_tce")
        for pid, year, month, tce in rows:
            if (year, month) in wanted[pid]:
                found[(pid, year, month)] = tce
    return found


def months_with_lines(keys: Iterable[ProjectMonth]) -> dict[ProjectMonth, list[str]]:
    """Of these project-months, those that have energy lines, with their carriers."""
    found: dict[ProjectMonth, list[str]] = defaultdict(list)
    for chunk, years, wanted in _by_project_chunks(keys):
        sql = (f"SELECT project_id, year, month, carrier FROM {EnergyLine._meta.db_table} "
               f"WHERE project_id IN ({{in}}) AND year IN ({placeholders(years)}) ORDER BY carrier")
        for pid, year, month, carrier in rows_where_in(sql, chunk, sorted(years), chunk=len(chunk)):
            if (year, month) in wanted[pid]:
                found[(pid, year, month)].append(carrier)
    return dict(found)


# --- writing lines -----------------------------------------------------------------------------

@dataclass
class EnergyLineValues:
    project_id: int
    org_id: int  # the project's enterprise's unit, for the rollups
    year: int
    month: int
    carrier: str
    quantity: Decimal  # as entered
    unit: str  # as entered ('' = the carrier's unit)
    kgce_measured: Decimal | None = None
    note: str = ""


@dataclass
class WriteResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    deltas: dict = field(default_factory=dict)


LINE_FIELDS = ("quantity_entered", "unit_entered", "kgce_measured", "note", "quantity", "coefficient_id",
               "kgce_per_unit", "kgce_basis", "tce", "kgco2_per_unit", "grid_factor_id", "co2_source", "co2_kg")


def contribution(line_tce: Decimal, line_co2_kg: Decimal) -> Totals:
    energy = cv.micro(line_tce)
    return Totals(0, 0, energy, energy, cv.grams(line_co2_kg))


def _working_values(values_quantity: Decimal, unit: str, measured, note, working: Working) -> dict:
    c = working.conversion
    return {
        "quantity_entered": values_quantity, "unit_entered": unit, "kgce_measured": measured, "note": note,
        "quantity": c.quantity, "coefficient_id": working.coefficient.id, "kgce_per_unit": c.kgce_per_unit,
        "kgce_basis": c.kgce_basis, "tce": c.tce, "kgco2_per_unit": c.kgco2_per_unit,
        "grid_factor_id": None if working.grid_factor is None else working.grid_factor.id,
        "co2_source": working.co2_source, "co2_kg": c.co2_kg,
    }


def _same(line: EnergyLine, values: dict) -> bool:
    return all(getattr(line, f) == values[f] for f in LINE_FIELDS)


def convert_values(v: EnergyLineValues, converter: Converter) -> dict:
    """The stored fields of a line (entered values and working); raises ConversionError."""
    coefficient = converter.coefficient(v.carrier, v.year, v.month)
    unit, multiple = cv.unit_multiple(v.unit, coefficient.unit)
    measured = None if coefficient.key == cv.ELECTRICITY else v.kgce_measured
    converter.check_measured(v.carrier, v.year, v.month, v.kgce_measured)
    working = converter.convert(v.org_id, v.year, v.month, v.carrier, cv.base_quantity(v.quantity, multiple),
                                measured)
    return _working_values(v.quantity, unit, measured, v.note or "", working)


def _write(model, to_create, to_update, fields, reason, user) -> None:
    for start in range(0, len(to_create), BATCH):
        bulk_create_with_history(to_create[start:start + BATCH], model, batch_size=BATCH,
                                 default_user=user, default_change_reason=reason[:100] or None)
    for start in range(0, len(to_update), BATCH):
        bulk_update_with_history(to_update[start:start + BATCH], model, list(fields), batch_size=BATCH,
                                 default_user=user, default_change_reason=reason[:100] or None)


@transaction.atomic
def save_energy_lines(rows: Iterable[EnergyLineValues], reason: str = "", user=None,
                      converter: Converter | None = None) -> WriteResult:
    """Create or update lines by (project, year, month, carrier). Keys must be unique.

    Raises DoubleCounting when a project-month already has a progress tce figure, and
    ConversionError when a line cannot be converted; then nothing is written.
    """
    rows = list(rows)
    refuse_locked({(r.org_id, r.year, r.month) for r in rows})  # approved months are locked (twintrack.approvals)
    converter = converter or Converter()
    clashes = progress_with_tce({(r.project_id, r.year, r.month) for r in rows})
    if clashes:
        raise DoubleCounting(clashes)
    result = WriteResult()
    deltas: dict[RollupKey, Totals] = {}
    for start in range(0, len(rows), KEY_CHUNK):
        chunk = rows[start:start + KEY_CHUNK]
        existing = {
            (l.project_id, l.year, l.month, l.carrier): l
            for l in EnergyLine.objects.filter(project_id__in={r.project_id for r in chunk},
                                               year__in={r.year for r in chunk})
        }
        to_create, to_update = [], []
        for v in chunk:
            values = convert_values(v, converter)
            line = existing.get((v.project_id, v.year, v.month, v.carrier))
            if line is None:
                to_create.append(EnergyLine(project_id=v.project_id, year=v.year, month=v.month, carrier=v.carrier,
                                            **values))
            elif _same(line, values):
                result.unchanged += 1
                continue
            else:
                merge(deltas, (v.org_id, v.year, v.month), Totals() - contribution(line.tce, line.co2_kg))
                for name, value in values.items():
                    setattr(line, name, value)
                to_update.append(line)
            merge(deltas, (v.org_id, v.year, v.month), contribution(values["tce"], values["co2_kg"]))
        _write(EnergyLine, to_create, to_update, LINE_FIELDS, reason, user)
        result.created += len(to_create)
        result.updated += len(to_update)
    apply_deltas(deltas)
    result.deltas = deltas
    return result


def _org_of_project(project_ids: Iterable[int]) -> dict[int, int]:
    return dict(Project.objects.filter(id__in=set(project_ids)).values_list("id", "enterprise__org_id"))


@transaction.atomic
def delete_energy_lines(lines: Iterable[EnergyLine], reason: str = "", user=None) -> WriteResult:
    """Delete lines (their history records the deletion) and take them out of the rollups."""
    lines = list(lines)
    orgs = _org_of_project(l.project_id for l in lines)
    refuse_locked({(orgs[l.project_id], l.year, l.month) for l in lines})
    deltas: dict[RollupKey, Totals] = {}
    for line in lines:
        merge(deltas, (orgs[line.project_id], line.year, line.month), Totals() - contribution(line.tce, line.co2_kg))
        line._change_reason = reason[:100] or None
        if user is not None:
            line._history_user = user
        line.delete()
    apply_deltas(deltas)
    return WriteResult(deleted=len(lines), deltas=deltas)


@dataclass
class Reconversion:
    changed: int = 0
    unchanged: int = 0
    failures: list = field(default_factory=list)  # (line, reason)
    locked: int = 0  # lines of approved months left as they were (skip_locked)
    energy_micro: int = 0  # the change in total energy
    co2_g: int = 0


class ReconversionFailed(ValueError):
    def __init__(self, failures: list):
        self.failures = failures
        super().__init__(f"{len(failures)} lines could not be converted")


@transaction.atomic
def reconvert_lines(lines, reason: str, user=None, strict: bool = True, skip_locked: bool = False) -> Reconversion:
    """Convert these lines again with the rules in force now; update those whose working
    changed. With `strict`, any line that no longer converts raises ReconversionFailed (and
    the caller's transaction is rolled back). A line of an approved (locked) month whose
    working would change raises approvals' MonthLocked (the bureau reopens the month first),
    or with `skip_locked` keeps its working and is counted in `locked`."""
    converter = Converter()
    result = Reconversion()
    changes = []  # (line, org_id, values)
    for line in lines.select_related("project__enterprise").iterator(chunk_size=BATCH):
        org_id = line.project.enterprise.org_id
        v = EnergyLineValues(line.project_id, org_id, line.year, line.month, line.carrier, line.quantity_entered,
                             line.unit_entered, line.kgce_measured, line.note)
        try:
            values = convert_values(v, converter)
        except cv.ConversionError as error:
            result.failures.append((line, error))
            continue
        if _same(line, values):
            result.unchanged += 1
        else:
            changes.append((line, org_id, values))
    if result.failures and strict:
        raise ReconversionFailed(result.failures)
    keys = {(org_id, line.year, line.month) for line, org_id, _ in changes}
    if skip_locked:
        locked = locked_months_for({k[0] for k in keys}, {k[1] for k in keys}) & keys
        result.locked = sum(1 for line, org_id, _ in changes if (org_id, line.year, line.month) in locked)
        changes = [c for c in changes if (c[1], c[0].year, c[0].month) not in locked]
    else:  # a rule change that would change an approved month's figures needs the month reopened first
        refuse_locked(keys)
    deltas: dict[RollupKey, Totals] = {}
    for line, org_id, values in changes:
        before = contribution(line.tce, line.co2_kg)
        after = contribution(values["tce"], values["co2_kg"])
        merge(deltas, (org_id, line.year, line.month), after - before)
        result.energy_micro += after.energy_micro - before.energy_micro
        result.co2_g += after.co2_g - before.co2_g
        for name, value in values.items():
            setattr(line, name, value)
    _write(EnergyLine, [], [line for line, _, _ in changes], LINE_FIELDS, reason, user)
    result.changed = len(changes)
    apply_deltas(deltas)
    return result


def _from_month(first: date) -> Q:
    """Lines of months starting on or after `first`."""
    year, month = (first.year, first.month) if first.day == 1 else (
        (first.year + 1, 1) if first.month == 12 else (first.year, first.month + 1))
    return Q(year__gt=year) | Q(year=year, month__gte=month)


@transaction.atomic
def add_coefficient_version(name: str, effective_from: date, source: str, note: str, carriers: list[dict],
                            user=None) -> tuple[CoefficientVersion, Reconversion]:
    """A new edition of the carrier table, in force for months starting on or after
    `effective_from`; the lines it governs are converted again. `carriers` are dicts of
    CarrierCoefficient fields. Raises ReconversionFailed (nothing written) when a line would
    no longer convert, e.g. a measured coefficient outside a changed range."""
    version = CoefficientVersion(name=name, effective_from=effective_from, source=source, note=note)
    version._history_user = user
    version.save()
    bulk_create_with_history([CarrierCoefficient(version=version, **row) for row in carriers], CarrierCoefficient,
                             default_user=user, default_change_reason=f"version {name}"[:100])
    result = reconvert_lines(EnergyLine.objects.filter(_from_month(effective_from)), f"version {name}", user)
    return version, result


@transaction.atomic
def set_year_basis(year: int, electricity: str, coal_rate_gce_per_kwh: Decimal | None, grid: str, source: str,
                   user=None) -> tuple[YearBasis, Reconversion]:
    """Choose a year's electricity basis and grid factor; that year's electricity lines are
    converted again."""
    if electricity == "equal_value":
        cv.equal_value_kgce_per_kwh(coal_rate_gce_per_kwh)  # raises without a coal rate
    else:
        coal_rate_gce_per_kwh = None
    basis = YearBasis.objects.filter(year=year).first() or YearBasis(year=year)
    basis.electricity, basis.coal_rate_gce_per_kwh, basis.grid, basis.source = (
        electricity, coal_rate_gce_per_kwh, grid, source)
    basis._history_user = user
    basis.save()
    result = reconvert_lines(EnergyLine.objects.filter(year=year, carrier=cv.ELECTRICITY),
                             f"{year} basis: {electricity}, {grid} grid", user)
    return basis, result


@transaction.atomic
def add_grid_factor(scheme: str, data_year: int, region: str, kgco2_per_kwh: Decimal, published: str, source: str,
                    note: str = "", user=None) -> tuple[GridFactor, Reconversion]:
    """A newly published electricity factor; electricity lines that now pick it are converted again."""
    names = cv.GRID_REGIONS.get(region, ("全国", "China"))
    factor = GridFactor(scheme=scheme, data_year=data_year, region=region, region_zh=names[0], region_en=names[1],
                        kgco2_per_kwh=kgco2_per_kwh, published=published, source=source, note=note)
    factor._history_user = user
    factor.save()
    result = reconvert_lines(EnergyLine.objects.filter(carrier=cv.ELECTRICITY),
                             f"grid factor {data_year} {factor.region_en}", user)
    return factor, result


# --- baselines ----------------------------------------------------------------------------------

@dataclass
class BaselineValues:
    project_id: int
    carrier: str
    first_month: date
    months: int
    quantity: Decimal  # as entered
    unit: str  # as entered ('' = the carrier's unit)
    note: str = ""


BASELINE_FIELDS = ("first_month", "months", "quantity_entered", "unit_entered", "quantity", "note")


@transaction.atomic
def save_baselines(rows: Iterable[BaselineValues], reason: str = "", user=None) -> WriteResult:
    """Create or update baselines by (project, carrier); raises ConversionError for a carrier
    or unit the table does not know. Baselines are context for the savings, not in the rollups."""
    rows = list(rows)
    converter = Converter()
    existing = {(b.project_id, b.carrier): b for b in
                EnergyBaseline.objects.filter(project_id__in={r.project_id for r in rows})}
    to_create, to_update, unchanged = [], [], 0
    for v in rows:
        first = v.first_month.replace(day=1)
        coefficient = converter.coefficient(v.carrier, first.year, first.month)
        unit, multiple = cv.unit_multiple(v.unit, coefficient.unit)
        values = {"first_month": first, "months": v.months, "quantity_entered": v.quantity, "unit_entered": unit,
                  "quantity": cv.base_quantity(v.quantity, multiple), "note": v.note or ""}
        baseline = existing.get((v.project_id, v.carrier))
        if baseline is None:
            to_create.append(EnergyBaseline(project_id=v.project_id, carrier=v.carrier, **values))
        elif all(getattr(baseline, f) == values[f] for f in BASELINE_FIELDS):
            unchanged += 1
        else:
            for name, value in values.items():
                setattr(baseline, name, value)
            to_update.append(baseline)
    _write(EnergyBaseline, to_create, to_update, BASELINE_FIELDS, reason, user)
    if to_create or to_update:  # bulk history writes send no signal
        data_version.bump(set(_org_of_project(b.project_id for b in [*to_create, *to_update]).values()))
    return WriteResult(len(to_create), len(to_update), unchanged)


@transaction.atomic
def delete_baseline(baseline: EnergyBaseline, reason: str = "", user=None) -> None:
    baseline._change_reason = reason[:100] or None
    if user is not None:
        baseline._history_user = user
    baseline.delete()


# --- what lines contribute to the rollups, from raw rows -------------------------------------

def line_contributions(project_filter: dict) -> dict[RollupKey, Totals]:
    """Named in the setting TWINTRACK_ROLLUP_CONTRIBUTORS (programme.contributions.contributors): the
    rollup contributions of the lines of the projects matching `project_filter` (Project lookups)."""
    lines = EnergyLine.objects.filter(**{f"project__{k}": v for k, v in project_filter.items()})
    result: dict[RollupKey, Totals] = {}
    if connection.vendor == "postgresql":  # numeric sums are exact
        rows = lines.values("project__enterprise__org_id", "year", "month").annotate(t=Sum("tce"), c=Sum("co2_kg"))
        for row in rows:
            merge(result, (row["project__enterprise__org_id"], row["year"], row["month"]),
                  contribution(row["t"], row["c"]))
        return result
    sums: dict[RollupKey, list[int]] = defaultdict(lambda: [0, 0])
    for org_id, year, month, tce, co2 in lines.values_list(
            "project__enterprise__org_id", "year", "month", "tce", "co2_kg").iterator(chunk_size=10000):
        acc = sums[(org_id, year, month)]
        acc[0] += cv.micro(tce)
        acc[1] += cv.grams(co2)
    for key, (energy, co2) in sums.items():
        merge(result, key, Totals(0, 0, energy, energy, co2))
    return result
