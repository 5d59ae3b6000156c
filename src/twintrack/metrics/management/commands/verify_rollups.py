from twintrack.command import TwintrackCommand
from twintrack.metrics.rollups import rebuild_rollups, rollup_differences


class Command(TwintrackCommand):
    help = "Check that the monthly rollups agree exactly with a full recomputation from raw rows."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="rebuild the rollups if they disagree")

    def handle(self, *args, **options):
        differences = rollup_differences()
        if not differences:
            self.stdout.write("rollups agree with raw rows")
            return
        for (org_id, year, month), stored, expected in differences[:50]:
            self.stdout.write(f"org {org_id} {year}-{month:02d}: stored {stored}, expected {expected}")
        if options["repair"]:
            rebuild_rollups()
            self.stdout.write(f"{len(differences)} unit-months disagreed; rollups rebuilt")
            return
        self.stderr.write(f"{len(differences)} unit-months disagree (run with --repair to rebuild)")
        raise SystemExit(1)
