"""Finding English interface text on a Welsh page, letter or email, as a Welsh reader would.

A string can reach a Welsh page in English in many ways: a template calls gettext through a name
the extraction does not know, Python builds text outside the catalogue, a message is missing or
fuzzy. Checking the catalogue finds only the last; reading the rendered output finds them all.
Text marked with another language (lang="en" on a user's English proposal, say) and the people's
own words (`user_text`) are not interface text and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser

# English words that are not also Welsh words (so not "a", "i", "o", "am", "at", "can", "hi",
# "dim", "to" or "is", which Welsh uses). Two of them in one piece of text read as English.
ENGLISH_WORDS = frozenset(
    """the and you your yours of for with this that these those are was were be been will would
    has have had not from by on in or we our they their there what when which who how into about
    please here only any every more than been should could must may it its if then yet after before
    each other also out up down new see back next previous page sign vote voting round proposal
    proposals decision decisions session sessions delivery budget area areas project projects code
    codes letter letters result results comment comments open closed closes opens help contact""".split()
)
ADDRESS = re.compile(r"(https?://\S+|\S+@\S+|/\S*)")
QUOTED = re.compile(r"[“\"‘']([^”\"’']+)[”\"’']")
WORD = re.compile(r"[A-Za-z']+")
SKIPPED_ELEMENTS = {"script", "style", "template", "svg"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SHOWN_ATTRIBUTES = ("alt", "aria-label", "placeholder", "title")


class _Texts(HTMLParser):
    """Every piece of text a person sees or hears, with the language it is marked as."""

    def __init__(self, page_lang: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, bool]] = [("", page_lang, False)]
        self.texts: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        _, lang, skipped = self.stack[-1]
        lang = (values.get("lang") or lang or "").split("-")[0].lower()
        if tag == "html" and values.get("lang"):
            self.stack[0] = ("", lang, False)
        skipped = skipped or tag in SKIPPED_ELEMENTS or values.get("translate") == "no"
        if not skipped:
            for name in SHOWN_ATTRIBUTES:
                if values.get(name):
                    self.texts.append((values[name], lang))
            if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
                self.texts.append((values["value"], lang))
        if tag not in VOID:
            self.stack.append((tag, lang, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        _, lang, skipped = self.stack[-1]
        if not skipped and data.strip():
            self.texts.append((data, lang))


def _folded(text: str) -> str:
    return " ".join(text.split())


def html_texts(html: str, page_lang: str) -> list[tuple[str, str]]:
    parser = _Texts(page_lang)
    parser.feed(html)
    parser.close()
    return [(_folded(text), lang) for text, lang in parser.texts]


def reads_as_english(
    text: str, interface_english: frozenset[str] = frozenset(), interface_pattern: re.Pattern | None = None
) -> bool:
    """Whether a piece of text is English: exactly an English message of the catalogue (which
    catches one-word buttons and labels), one with its values filled in (in whatever format), or
    two English-only words."""
    if text in interface_english or (interface_pattern is not None and interface_pattern.fullmatch(text)):
        return True
    if ADDRESS.fullmatch(text):
        return False  # a web or email address reads the same in any language
    # Words inside addresses ("…/unsubscribe/7.round.4…") are not the sentence's language.
    words = {word.lower() for word in WORD.findall(ADDRESS.sub(" ", text))}
    return len(words & ENGLISH_WORDS) >= 2


PUNCTUATION = " ()[]\"'“”‘’:;,.-–"


def peoples_phrases(values: Iterable[str]) -> frozenset[str]:
    """What people wrote, as whole values and as each of their lines, whitespace folded: text on a
    page is someone's words only if it is one of these, not merely a part of one."""
    phrases = set()
    for value in values:
        phrases.add(_folded(value).strip(PUNCTUATION))
        phrases.update(_folded(line).strip(PUNCTUATION) for line in value.splitlines() if line.strip())
    return frozenset(phrase for phrase in phrases if phrase)


SHORTENED = 40  # a shortened quotation ("…the first 80 characters") at least this long is still theirs


def _someones_words(text: str, people: frozenset[str]) -> bool:
    """Whether this is what someone wrote: whole, or the start of it as a listing shortens it."""
    if text in people:
        return True
    start = text.rstrip("…").rstrip()
    return len(start) >= SHORTENED and any(phrase.startswith(start) for phrase in people)


def english_leaks(
    welsh: str,
    *,
    html: bool = True,
    people: frozenset[str] = frozenset(),
    interface_english: frozenset[str] = frozenset(),
    interface_pattern: re.Pattern | None = None,
) -> list[str]:
    """The English pieces of text in a Welsh rendering (HTML page or plain-text email) that are not
    marked as another language and are not people's own words (`people`, see peoples_phrases)."""
    if html:
        pieces = [text for text, lang in html_texts(welsh, "cy") if lang == "cy"]
    else:
        pieces = [_folded(line) for line in welsh.splitlines() if line.strip()]
    leaks = []
    for text in pieces:
        # An interface message is a leak even where someone happened to write the same words.
        interface = text in interface_english or (interface_pattern is not None and interface_pattern.fullmatch(text))
        if not interface and _someones_words(text.strip(PUNCTUATION), people):
            continue
        # Someone's words quoted inside Welsh interface text are still their words.
        text_left = QUOTED.sub(lambda quote: " " if quote.group(1).strip(PUNCTUATION) in people else quote.group(0), text)
        if not reads_as_english(text_left, interface_english, interface_pattern):
            continue
        if text not in leaks:
            leaks.append(text)
    return leaks


def catalogue_english(messages: Iterable[tuple[str, str]]) -> frozenset[str]:
    """English messages whose Welsh differs, without placeholders (they are matched whole)."""
    return frozenset(_folded(msgid) for msgid, msgstr in messages if msgid and msgstr and msgstr != msgid and "%(" not in msgid)


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def catalogue_pattern(messages: Iterable[tuple[str, str]]) -> re.Pattern | None:
    """One pattern matching any English message with placeholders, its values filled in any way
    (a Welsh date in an English sentence is still an English sentence). Only messages with enough
    words of their own to be recognised: at least two English-only words outside the values."""
    alternatives = []
    for msgid, msgstr in messages:
        if not msgid or not msgstr or msgstr == msgid or "%(" not in msgid:
            continue
        literal = PLACEHOLDER.sub(" ", msgid.replace("%%", "%"))
        if len({word.lower() for word in WORD.findall(literal)} & ENGLISH_WORDS) < 2:
            continue
        parts = PLACEHOLDER.split(_folded(msgid).replace("%%", "%"))
        alternatives.append(".+?".join(re.escape(part) for part in parts))
    return re.compile("|".join(f"(?:{a})" for a in alternatives)) if alternatives else None
