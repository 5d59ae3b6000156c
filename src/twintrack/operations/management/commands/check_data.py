"""`twintrack check-data`: the database's own integrity check and the rollups against raw
rows (operations/checks.py). Exit 0 when clean, 1 when anything is damaged."""
from django.utils.translation import gettext as _

from twintrack.command import TwintrackCommand
from twintrack.operations.checks import check_data
from twintrack.operations.management.commands._language import add_language_argument, language


class Command(TwintrackCommand):
    help = "Check the database file and the rollups; exit 1 if anything is damaged."

    def add_arguments(self, parser):
        add_language_argument(parser)

    def handle(self, *args, **options):
        with language(options):
            report = check_data()
            for note in report.notes:
                self.stdout.write(note)
            if not report.problems:
                self.stdout.write(_("check-data: no damage found"))
                return
            for line in report.problems:
                self.stdout.write(line)
            self.stderr.write(_("check-data: the database is damaged (see above): do not publish from it; restore "
                                "the last backup, or run `twintrack verify-rollups --repair` if only rollups disagree"))
            raise SystemExit(1)
