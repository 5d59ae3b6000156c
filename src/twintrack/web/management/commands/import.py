"""`twintrack import KIND FILE`: import one .csv or .xlsx file (data contract section 2), then
print the data-quality warnings its rows raise (section 5).

This command lives above the import engine and data quality: it hands the quality checks to
`import_file(warn=...)` so that the engine, a lower layer, never imports them."""
import sys

from django.utils import translation
from django.utils.translation import gettext as _, ngettext

from twintrack.command import InputRejected, TwintrackCommand
from twintrack.imports.errors import ImportRejected
from twintrack.web.import_kinds import import_file, kind_names
from twintrack.quality.warnings import import_warnings

WARNED_KINDS = ("progress",)  # the kinds whose rows the plausibility rules judge

PROGRESS_BAR_ROWS = 5000


class TqdmProgress:
    """A progress bar on standard error for long files (only when it is a terminal)."""

    def __init__(self, stream=None, threshold: int = PROGRESS_BAR_ROWS):
        self.stream = stream or sys.stderr
        self.threshold = threshold
        self.bar = None

    def start(self, phase: str, total: int | None) -> None:
        from tqdm import tqdm

        self.finish()
        if total is not None and total <= self.threshold:
            return
        self.bar = tqdm(total=total, desc=phase, unit=" rows", file=self.stream, disable=None, leave=False,
                        mininterval=0.5)

    def advance(self, rows: int) -> None:
        if self.bar is not None:
            self.bar.update(rows)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(TwintrackCommand):
    help = "Import one .csv or .xlsx file; KIND is one of orgunits, enterprises, targets, projects, progress."
    # Django's system checks import every page's module (matplotlib among them) to check the URL
    # tree: seconds of start-up for a command that reads a file and uses no page (as `serve`).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("kind", help=f"one of {kind_names()}")
        parser.add_argument("file", help="a .csv (UTF-8 or GB18030) or .xlsx file")
        parser.add_argument("--lang", default="en", choices=("en", "zh"),
                            help="language of the messages (default en)")
        parser.add_argument("--dry-run", action="store_true",
                            help="check the file and count what would change, but write nothing")

    def handle(self, *args, **options):
        with translation.override("zh-hans" if options["lang"] == "zh" else "en"):
            try:
                warn = import_warnings if options["kind"].strip().lower() in WARNED_KINDS else None
                result = import_file(options["kind"], options["file"], progress=TqdmProgress(),
                                     dry_run=options["dry_run"], warn=warn)
            except ImportRejected as rejected:
                lines = list(rejected.notes) + list(rejected.messages)
                if rejected.problems:
                    lines.append(ngettext("nothing was imported: %(count)d problem in %(file)s",
                                          "nothing was imported: %(count)d problems in %(file)s",
                                          rejected.total) % {"count": rejected.total, "file": options["file"]})
                raise InputRejected("\n".join(lines))
            self.stdout.write(result.summary())
            for line in result.notes:
                self.stdout.write(line)
            for line in result.warnings:
                self.stdout.write(line)
