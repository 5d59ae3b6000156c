"""The base of every twintrack command: rejected input exits 2 with a plain message, an
internal fault exits 1 with one line (the traceback goes to var/log, not to the user). A
database still locked by another writer once the wait has run out is not a fault: it exits 2
with "database busy, try again"."""
import sys
import traceback
from datetime import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from twintrack.busy import is_database_busy
from twintrack.display.periods import Period, parse_period


class InputRejected(CommandError):
    """The user's input (a file, an argument, an org code) was refused: exit status 2."""

    def __init__(self, message: str):
        super().__init__(message, returncode=2)


class TwintrackCommand(BaseCommand):
    def execute(self, *args, **options):
        if not getattr(self, "_called_from_command_line", False):
            return super().execute(*args, **options)  # call_command: let tests see the exception
        try:
            return super().execute(*args, **options)
        except CommandError as error:
            sys.stderr.write(f"error: {error}\n")
            sys.exit(error.returncode)
        except Exception as error:
            if not is_database_busy(error):
                self._internal_fault(error)
            with translation.override("zh-hans" if options.get("lang") == "zh" else "en"):
                sys.stderr.write(_("error: database busy, try again: another process (an import or a restore) "
                                   "kept it locked for longer than the wait allowed") + "\n")
            sys.exit(2)
        except KeyboardInterrupt:
            sys.stderr.write("interrupted\n")
            sys.exit(130)

    @staticmethod
    def _internal_fault(error: Exception):
        """One line on the terminal, the traceback in var/log/errors.log; exit 1."""
        log = settings.VAR_DIR / "log" / "errors.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now().isoformat()} {' '.join(sys.argv)}\n{traceback.format_exc()}\n")
        sys.stderr.write(f"internal error: {error.__class__.__name__}: {error} (details in {log})\n")
        sys.exit(1)


def period_argument(text: str) -> Period:
    """`--period YYYY-MM` of a command, or exit 2 saying what is wrong with it."""
    try:
        return parse_period(text)
    except ValueError as error:
        raise InputRejected(f"--period: {error}") from None
