"""The Chinese catalogue is complete, well-formed and compiled: a machine without gettext
(no msgfmt) still shows Chinese, so the committed .mo must match the .po."""
import gettext
from pathlib import Path

from babel.messages.pofile import read_po

import twintrack

LOCALE = Path(twintrack.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def catalog():
    with open(LOCALE / "django.po", "rb") as handle:
        return read_po(handle, locale="zh_Hans")


def test_every_message_is_translated_and_none_is_fuzzy():
    untranslated = [m.id for m in catalog() if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []


def test_placeholders_survive_translation():
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog().check()]
    assert problems == []


def test_the_compiled_catalogue_matches_the_source():
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in catalog():
        if not message.id:
            continue
        if message.pluralizable:  # zh has one plural form
            assert compiled.ngettext(message.id[0], message.id[1], 1) == message.string[0], message.id
        elif message.context:
            assert compiled.pgettext(message.context, message.id) == message.string, message.id
        else:
            assert compiled.gettext(message.id) == message.string, message.id
