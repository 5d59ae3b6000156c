"""`twintrack remind`: due-soon and overdue requirements, the monthly deadline approaching and
passed; run it daily (or more often: it writes each reminder once per day)."""
from datetime import date

from twintrack.command import InputRejected, TwintrackCommand
from twintrack.web.reminders import remind


class Command(TwintrackCommand):
    help = "Write reminder notices (requirements due soon or overdue, the monthly deadline). Idempotent per day."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to remind as of (YYYY-MM-DD; default today)")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError:
            raise InputRejected(f"--today {options['today']}: not a date (YYYY-MM-DD)") from None
        self.stdout.write(str(remind(today)))
