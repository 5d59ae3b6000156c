"""`twintrack backup PATH`: the database, the attachments and a manifest in one tar archive,
consistent while imports run (operations/archive.py)."""
from pathlib import Path

from django.utils.translation import gettext as _

from twintrack.command import InputRejected, TwintrackCommand
from twintrack.operations.archive import ArchiveError, write_backup
from twintrack.operations.management.commands._language import add_language_argument, language


class Command(TwintrackCommand):
    help = "Back up the database and the attachments into one .tar or .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to write (.tar, or .tar.gz to compress)")
        add_language_argument(parser)

    def handle(self, *args, **options):
        with language(options):
            path = Path(options["path"])
            try:
                manifest = write_backup(path)
            except ArchiveError as error:
                raise InputRejected(str(error))
            counts = manifest["counts"]
            self.stdout.write(_("backup written to %(path)s: %(engine)s database, %(projects)d projects, "
                                "%(progress)d progress rows, %(files)d attachment files")
                              % {"path": path, "engine": manifest["engine"],
                                 "projects": counts.get("programme_project", 0),
                                 "progress": counts.get("programme_progress", 0),
                                 "files": manifest["media_files"]})
