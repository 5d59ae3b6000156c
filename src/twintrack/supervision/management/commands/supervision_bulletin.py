"""`twintrack supervision_bulletin --round CODE [--lang zh|en] [--date YYYY-MM-DD] --output PATH`:
the round's supervision bulletin (督查通报) as DOCX, with everything in it (as the bureau sees it)."""
from datetime import date

from django.contrib.auth import get_user_model

from twintrack.command import InputRejected, TwintrackCommand
from twintrack.supervision.bulletin import bulletin_docx
from twintrack.supervision.models import Round


class Command(TwintrackCommand):
    help = "Write a supervision round's bulletin (DOCX), Chinese by default."

    def add_arguments(self, parser):
        parser.add_argument("--round", required=True, help="the round's code, e.g. 2023Q3")
        parser.add_argument("--lang", default="zh", choices=("zh", "en"))
        parser.add_argument("--date", help="the day the bulletin speaks for (default today): overdue is judged then")
        parser.add_argument("--output", required=True, help="the .docx file to write")

    def handle(self, *args, **options):
        round_ = Round.objects.filter(code=options["round"]).first()
        if round_ is None:
            raise InputRejected(f"no supervision round has code {options['round']!r}")
        on = None
        if options["date"]:
            try:
                on = date.fromisoformat(options["date"])
            except ValueError:
                raise InputRejected(f"--date {options['date']!r} is not a date in the form YYYY-MM-DD") from None
        reader = get_user_model()(username="command-line", is_superuser=True, is_active=True)  # sees everything
        data = bulletin_docx(reader, round_, options["lang"], on)
        with open(options["output"], "wb") as handle:
            handle.write(data)
        self.stdout.write(f"{options['output']}: {len(data)} bytes")
