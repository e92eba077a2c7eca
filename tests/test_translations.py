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


def test_you_said_we_did_reads_as_affirmative_in_welsh():
    """“Ni wnaeth” is the negative “did not”: the tracker's name is “Dywedoch chi, gwnaethom ni”."""
    problems = []
    for message in catalogue():
        if isinstance(message.id, str) and "you said, we did" in message.id.lower():
            welsh = " ".join((message.string or "").split()).lower()
            if "dywedoch chi, gwnaethom ni" not in welsh or "ni wnaeth" in welsh:
                problems.append(f"{message.id!r}: {message.string!r}")
    assert not problems, "\n".join(problems)


# Counted nouns and their gender: after a digit Welsh mutates as the number is read. A feminine
# noun softens after un and dwy and keeps its radical after tair (“3 problem”, not “3 phroblem”);
# a masculine one keeps its radical after un, softens after dau, and takes the aspirate after tri;
# both take the aspirate after chwe. (After un, feminine ll and rh stay as they are.)
FEMININE = "problem dalen eitem ardal sesiwn llinell rhes ffeil wythnos punt awr".split()
MASCULINE = "cod papur person pwynt prosiect cynnig cyfraniad dot lle diwrnod nodyn sylw diweddariad swp".split()
SOFT = [("ll", "l"), ("rh", "r"), ("p", "b"), ("t", "d"), ("c", "g"), ("b", "f"), ("d", "dd"), ("g", ""), ("m", "f")]
ASPIRATE = [("p", "ph"), ("t", "th"), ("c", "ch")]


def mutated(noun: str, rules) -> str:
    for radical, becomes in rules:
        if noun.startswith(radical):
            return becomes + noun[len(radical) :]
    return noun


def expected_forms(noun: str) -> dict[int, str]:
    """The noun as it must follow %(num)s, by plural form (1: n=1, 2: n=2, 3: n=3, 4: n=6)."""
    soft, aspirate = mutated(noun, SOFT), mutated(noun, ASPIRATE)
    if noun in FEMININE:
        after_un = noun if noun.startswith(("ll", "rh")) else soft  # "un llinell", "un rhes"
        return {1: after_un, 2: soft, 3: noun, 4: aspirate}
    return {1: noun, 2: soft, 3: aspirate, 4: aspirate}


def test_counted_nouns_mutate_by_their_gender():
    every_form = {form: noun for noun in FEMININE + MASCULINE for form in expected_forms(noun).values()}
    problems = []
    for message in catalogue():
        if not isinstance(message.id, tuple) or not message.string:
            continue
        for index in (1, 2, 3, 4):
            after = message.string[index].split("%(num)s", 1)
            if len(after) < 2 or not after[1].strip():
                continue
            word = re.split(r"[^\w']", after[1].strip(), maxsplit=1)[0]
            noun = every_form.get(word)
            if noun is not None and word != expected_forms(noun)[index]:
                problems.append(f"{message.id[1]!r} form {index}: {word!r}, not {expected_forms(noun)[index]!r}")
    assert not problems, "\n".join(problems)


ALIAS = re.compile(r"{%-?\s*(?:set|with)\s+(?!_\s*=)(\w+)\s*=\s*(?:[\w.]*gettext[\w.\[\]'\"]*|_)\s*-?%}")


def test_templates_translate_only_through_names_the_extraction_knows():
    """A translation callable under another name (a letter's `g(…)`) hides its strings from
    extraction, so they go obsolete and reach Welsh readers in English."""
    aliases = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "pb" / "templates").rglob("*.*")
        for match in ALIAS.finditer(path.read_text())
    ]
    assert not aliases, "\n".join(aliases)
