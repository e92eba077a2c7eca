"""Text hygiene: what people type is stored without characters that hide or reorder what others see.

A comment "\u202egnp.exe" displays as "exe.png": bidirectional controls, zero-width spaces and other
invisible formatting let text look unlike what it is (and slip past the council's watch list). This
is one pure function, applied where forms are read for names, titles, summaries, descriptions,
comments and reports. Never to passwords: those are taken exactly as typed.

Kept on purpose: the zero-width joiner and non-joiner (emoji sequences such as 👩‍👧, and scripts that
need them), variation selectors (emoji presentation), ordinary line breaks and tabs, and the tag
characters of a flag sequence after U+1F3F4 (the flag of Wales is one). Removed: the soft hyphen too
(it is invisible unless a line breaks there, and browsers hyphenate by themselves).
"""

from __future__ import annotations

import re
import unicodedata

ZWNJ, ZWJ = "\u200c", "\u200d"
KEEP_FORMAT = {ZWNJ, ZWJ}
# Invisible characters outside the Cf category that are used to make text look empty or different.
EXTRA_INVISIBLE = {"\u034f", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u3164", "\uffa0"}
KEEP_CONTROL = {"\n", "\r", "\t"}
BLACK_FLAG = "\U0001f3f4"
# A subdivision flag: black flag, tag letters/digits, cancel tag (🏴 + "gbwls" + cancel = Wales).
_FLAG = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")


def _hidden(char: str) -> bool:
    if char in KEEP_FORMAT or char in KEEP_CONTROL:
        return False
    if char in EXTRA_INVISIBLE:
        return True
    category = unicodedata.category(char)
    # Cf: format (bidi controls, zero-width space, word joiner, BOM, soft hyphen, tags …);
    # Cc: control characters (NUL and friends); Cs: lone surrogates; Zl/Zp are mapped to newlines.
    return category in ("Cf", "Cc", "Cs")


def clean_text(text: str) -> str:
    """`text` in NFC with invisible formatting and control characters removed (see module doc).
    Line and paragraph separators become newlines. Idempotent."""
    if text.isascii():
        return _strip(text)
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    out: list[str] = []
    position = 0
    for flag in _FLAG.finditer(text):
        out.append(_strip(text[position : flag.start()]))
        out.append(flag.group())
        position = flag.end()
    out.append(_strip(text[position:]))
    # Normalised last: removing a character can bring a letter and its accent together.
    return unicodedata.normalize("NFC", "".join(out))


def _strip(text: str) -> str:
    return "".join(char for char in text if not _hidden(char))


def clean_field(value: object) -> str:
    """A form value as clean text without surrounding spaces ('' for anything not a string)."""
    return clean_text(value).strip() if isinstance(value, str) else ""
