"""Every message in pb has a Welsh translation: extracted afresh from the code and templates, so a
new string without a translation fails here."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).parent.parent
PO = ROOT / "pb" / "locale" / "cy" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}
METHOD_MAP = [("pb/**.py", "python"), ("pb/templates/**.html", "jinja2"), ("pb/templates/**.txt", "jinja2")]
OPTIONS = {
    "pb/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"},
    "pb/templates/**.txt": {"extensions": "jinja2.ext.i18n", "trimmed": "true"},
}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def extracted() -> set[str]:
    ids = set()
    for _, _, message, _, _ in extract_from_dir(str(ROOT), METHOD_MAP, OPTIONS, KEYWORDS):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def catalogue():
    with PO.open("rb") as handle:
        return read_po(handle, locale="cy")


def test_welsh_plural_forms_are_the_six_of_welsh():
    assert catalogue().num_plurals == 6


def test_every_message_has_a_welsh_translation_and_none_is_fuzzy():
    cat = catalogue()
    problems = []
    for msgid in sorted(extracted()):
        message = cat.get(msgid)
        if message is None:
            problems.append(f"not in the catalogue (run scripts/update-translations.sh): {msgid!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        elif not message.string or (isinstance(message.string, tuple) and not all(message.string)):
            problems.append(f"untranslated: {msgid!r}")
    assert not problems, "\n".join(problems)


def test_translations_keep_their_placeholders():
    problems = []
    for message in catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            if string and set(PLACEHOLDER.findall(string)) - wanted:
                problems.append(f"{ids[0]!r}: {string!r}")
            if string and "%" in string.replace("%%", "").replace("%(", ""):
                problems.append(f"stray % in {string!r}")
    assert not problems, "\n".join(problems)
