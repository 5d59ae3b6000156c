from django.db import models


class Rollup(models.Model):
    """One unit's whole subtree for one month: what reports read instead of raw rows.

    Maintained on write by `twintrack.metrics.rollups`; integers keep the sums exact on
    SQLite, whose decimals are floats.
    """

    org = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    projects = models.BigIntegerField(default=0)
    investment_fen = models.BigIntegerField(default=0)
    energy_micro = models.BigIntegerField(default=0)  # all energy saved, micro-tce
    lines_micro = models.BigIntegerField(default=0)  # the part from energy carrier lines
    co2_g = models.BigIntegerField(default=0)  # CO2 reduced, grams

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "year", "month"], name="rollup_key")]


class DataVersion(models.Model):
    """The global counter (the row with id 1): bumped in the same transaction as every write that
    concerns no unit or every unit; writes within a subtree bump UnitVersion instead.
    """

    counter = models.BigIntegerField(default=0)


class UnitVersion(models.Model):
    """A unit's own data version: bumped, with its ancestors' (whose aggregates change), in the
    same transaction as every write that concerns data of the unit's subtree.

    Together with the global row of DataVersion (bumped by writes that concern no unit or
    everything: the org tree, user accounts, reference data) it tells whether what a page
    computed from one subtree may still be shown (`twintrack.metrics.version`)."""

    org = models.OneToOneField("orgs.OrgUnit", on_delete=models.CASCADE, primary_key=True, related_name="+")
    counter = models.BigIntegerField(default=0)
    # Bumped with the counter by every write except those that change figures alone (progress,
    # projects, rollups, a job's state) and leave the unit's latest month with figures where it
    # was: what the top bar and the work queue show, which every page of a user carries.
    attention = models.BigIntegerField(default=0)
    # Bumped with the counter by every write except one of progress rows, which bumps the months
    # it wrote instead (MonthVersion): what a page of one month shows besides those figures.
    other = models.BigIntegerField(default=0)


class MonthVersion(models.Model):
    """How often progress of one month was written below a unit. What a page of month (Y, M)
    shows of a unit depends on the unit's `other` counter and on these counters of the months
    up to (Y, M), so a December import leaves the unit's pages of earlier months valid."""

    org = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    counter = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "year", "month"], name="month_version_key")]
