from django.core.management import call_command

from twintrack.command import TwintrackCommand
from twintrack.diagnosis.frameworks import load_shipped_frameworks
from twintrack.energy.services import load_reference_data
from twintrack.enterprises.services import load_industry_codes


class Command(TwintrackCommand):
    help = "Create or migrate the database and load the reference data. Safe to run twice; loads no demo data."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        count = load_industry_codes()
        energy = load_reference_data()
        frameworks = load_shipped_frameworks()
        self.stdout.write(f"database ready; {count} GB/T 4754-2017 manufacturing codes loaded; "
                          f"{energy['carriers']} energy carriers (GB/T 2589-2008) and "
                          f"{energy['grid_factors']} grid emission factors; "
                          f"{len(frameworks)} assessment frameworks")
