"""The `twintrack` console script: Django's management commands under one name.

`twintrack init|demo|import|report|serve|verify-rollups ...`; any other Django command
(migrate, createsuperuser, ...) works too.
"""
import os
import sys

ALIASES = {"verify-rollups": "verify_rollups", "load-framework": "load_framework", "send-notices": "send_notices",
           "check-data": "check_data"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twintrack.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
