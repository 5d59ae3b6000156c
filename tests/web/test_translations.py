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


# --- every message the code asks for is in a catalogue ------------------------------------------

import re  # noqa: E402

from babel.messages.extract import extract_python  # noqa: E402

SOURCE = Path(twintrack.__file__).parent
KEYWORDS = {"_": None, "gettext": None, "gettext_lazy": None, "gettext_noop": None, "ngettext": (1, 2),
            "ngettext_lazy": (1, 2), "pgettext": ((1, "c"), 2), "pgettext_lazy": ((1, "c"), 2)}
TRANSLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.*?)\1(?:\s+(?:as\s+\w+|noop|context\s+["'].*?["']))*\s*%}""")
BLOCK_TAG = re.compile(r"{%\s*blocktrans(?:late)?\b(.*?)%}(.*?){%\s*endblocktrans(?:late)?\s*%}", re.S)
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")


def all_catalogues():
    for path in sorted(SOURCE.rglob("zh_Hans/LC_MESSAGES/django.po")):
        with open(path, "rb") as handle:
            yield path, read_po(handle, locale="zh_Hans")


def _block_ids(options: str, body: str):
    if "context" in options:
        return []  # none in the tree; a contextual block would need its own key
    def text(part):
        part = VARIABLE.sub(r"%(\1)s", part.replace("%", "%%"))
        return " ".join(part.split()) if "trimmed" in options else part
    if re.search(r"{%\s*plural\s*%}", body):
        singular, plural = re.split(r"{%\s*plural\s*%}", body)
        return [(text(singular), text(plural))]
    return [text(body)]


def used_messages():
    """(file, msgid) of every message the templates and Python modules ask for."""
    for path in sorted(SOURCE.rglob("*.html")):
        source = path.read_text("utf-8")
        for match in TRANSLATE_TAG.finditer(source):
            yield path, match.group(2)
        for match in BLOCK_TAG.finditer(source):
            for msgid in _block_ids(match.group(1), match.group(2)):
                yield path, msgid
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        with open(path, "rb") as handle:
            for _line, function, message, _comments in extract_python(handle, KEYWORDS, [], {}):
                if function.startswith("pgettext"):
                    yield path, ("context",) + tuple(message)
                    continue
                if isinstance(message, tuple):
                    message = tuple(m for m in message if m is not None)
                    message = message[0] if len(message) == 1 else message
                if message:
                    yield path, message


def test_every_message_the_code_uses_has_a_chinese_translation():
    known = set()  # msgids (a plural by its singular), ("context", context, msgid)
    for _path, catalogue in all_catalogues():
        for message in catalogue:
            if message.id and message.string and not message.fuzzy:
                msgid = message.id[0] if isinstance(message.id, tuple) else message.id
                known.add(("context", message.context, msgid) if message.context else msgid)
    missing = sorted({(str(path.relative_to(SOURCE)), str(msgid)) for path, msgid in used_messages()
                      if (msgid if isinstance(msgid, str) or msgid[0] == "context" else msgid[0]) not in known})
    assert missing == [], f"{len(missing)} messages without a Chinese translation"


def test_every_catalogue_is_complete_and_compiled():
    for path, catalogue in all_catalogues():
        assert [m.id for m in catalogue if m.id and (not m.string or m.fuzzy)] == [], path
        assert [(m.id, e) for m, e in catalogue.check()] == [], path
        with open(path.with_suffix(".mo"), "rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        for message in catalogue:
            if message.id and not message.pluralizable and not message.context:
                assert compiled.gettext(message.id) == message.string, (path, message.id)
