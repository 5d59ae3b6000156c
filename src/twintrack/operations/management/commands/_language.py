"""The `--lang en|zh` option of the operations commands (English by default, as the CLI is)."""
from django.utils import translation


def add_language_argument(parser) -> None:
    parser.add_argument("--lang", default="en", choices=("en", "zh"), help="language of the messages (default en)")


def language(options) -> translation.override:
    return translation.override("zh-hans" if options["lang"] == "zh" else "en")
