"""`twintrack restore PATH [--force]`: restore a `twintrack backup` archive, then compare the
rollups with raw rows (exit 1 if they disagree)."""
from pathlib import Path

from django.utils.translation import gettext as _

from twintrack.command import InputRejected, TwintrackCommand
from twintrack.operations.archive import ArchiveError
from twintrack.operations.checks import rollup_problems
from twintrack.operations.management.commands._language import add_language_argument, language
from twintrack.operations.restore import restore_backup


class Command(TwintrackCommand):
    help = "Restore a backup archive into an empty database (--force replaces a database that holds data)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="an archive written by `twintrack backup`")
        parser.add_argument("--force", action="store_true",
                            help="replace the database and attachments even if the database holds data")
        add_language_argument(parser)

    def handle(self, *args, **options):
        with language(options):
            try:
                manifest = restore_backup(Path(options["path"]), force=options["force"])
            except ArchiveError as error:
                raise InputRejected(str(error))
            self.stdout.write(_("restored %(path)s (backup of %(created)s, %(engine)s): %(files)d attachment files")
                              % {"path": options["path"], "created": manifest["created"],
                                 "engine": manifest["engine"], "files": manifest["media_restored"]})
            problems = rollup_problems()
            if not problems:
                self.stdout.write(_("verify-rollups: rollups agree with raw rows"))
                return
            for line in problems:
                self.stdout.write(line)
            self.stderr.write(_("verify-rollups: the restored rollups disagree with raw rows "
                                "(run `twintrack verify-rollups --repair`)"))
            raise SystemExit(1)
