"""The contract's rule defaults (over_plan 1.5, spike 10, repeated 3), the extra rules and the
deadline day 10, so a new database checks data from the start."""
from django.db import migrations


def seed(apps, schema_editor):
    from twintrack.quality.services import seed_rules

    seed_rules(apps.get_model("quality", "QualityRule"), apps.get_model("quality", "QualitySettings"))


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
