"""The base of every twintrack command: rejected input exits 2 with a plain message, an
internal fault exits 1 with one line (the traceback goes to var/log, not to the user)."""
import sys
import traceback
from datetime import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

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
        except KeyboardInterrupt:
            sys.stderr.write("interrupted\n")
            sys.exit(130)
        except Exception as error:  # an internal fault, never the user's input
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
