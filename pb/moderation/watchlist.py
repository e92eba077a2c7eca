"""The council's watch list: pure rules (no I/O) for its terms and for what they hold.

A term is a word or a phrase, in Welsh or English. New content holds for a moderator when its text
contains a term as whole words, ignoring case (case-folded, so "STRYD" and "stryd" match) and the
joiners pb.text keeps (so a zero-width joiner inside a word does not slip past). Deliberately simple:
Welsh mutations are not expanded ("ci" does not match "gi"), plurals are not guessed, and a term
never matches part of a longer word ("rat" does not match "separate"). A council that wants the
mutated forms adds them as terms of their own.
"""

from __future__ import annotations

import re

from pb.i18n import N_
from pb.text import clean_field

TERM_MAX = 100  # WatchTerm.term's length
_SPACE = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})

Errors = dict[str, str]


def fold(text: str) -> str:
    """Text as terms are compared: case-folded, one kind of apostrophe, single spaces, no joiners."""
    text = text.replace("\u200c", "").replace("\u200d", "").translate(_APOSTROPHES).casefold()
    return _SPACE.sub(" ", text).strip()


def validate_term(form: dict) -> tuple[str, Errors]:
    """A term to add: (its folded form, errors). Needs at least one letter or digit."""
    term = fold(clean_field(form.get("term", "")))
    if not term:
        return term, {"term": N_("Enter a word or phrase")}
    if len(term) > TERM_MAX:
        return term, {"term": N_("The word or phrase must be 100 characters or fewer")}
    if not any(char.isalnum() for char in term):
        return term, {"term": N_("The word or phrase must contain at least one letter or number")}
    return term, {}


def _pattern(term: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)")


def matched_terms(text: str, terms: list[str]) -> list[str]:
    """The (folded) terms `text` contains as whole words, in the order given."""
    folded = fold(text)
    return [term for term in terms if term and _pattern(term).search(folded)]
