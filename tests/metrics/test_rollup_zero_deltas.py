"""A write whose figures add up to nothing still bumps its versions and writes no rollup row."""
from twintrack.figures import Totals
from twintrack.metrics import version
from twintrack.metrics.models import Rollup
from twintrack.metrics.rollups import apply_deltas
from twintrack.orgs.models import OrgUnit


def test_zero_deltas_bump_the_unit_and_write_no_rollup(city):
    nanhu = OrgUnit.objects.get(code="330402")
    before = version.versions([nanhu.id])
    assert apply_deltas({(nanhu.id, 2023, 5): Totals()}) == 0
    assert version.versions([nanhu.id])[1] > before[1]
    assert not Rollup.objects.filter(org=nanhu).exists()
