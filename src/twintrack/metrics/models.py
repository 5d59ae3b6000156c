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
    """A counter bumped in the same transaction as every write a report can see.

    Pages cache what they compute from the data under the current counter, so a cached
    dashboard is never stale and never recomputed while nothing changed.
    """

    counter = models.BigIntegerField(default=0)
