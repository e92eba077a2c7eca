"""Text hygiene (pb.text): nothing that hides or reorders text survives; what people need does."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from pb.text import clean_field, clean_text

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
INVISIBLE = "\u200b\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064\u206a\u3164\u115f\u034f"
WALES = "\U0001f3f4\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f"


def test_a_file_name_cannot_be_reversed():
    assert clean_text("\u202egnp.exe") == "gnp.exe"
    assert clean_text("photo\u202egnp.exe\u202c") == "photognp.exe"


def test_every_bidi_control_and_invisible_character_goes():
    for char in BIDI + INVISIBLE:
        assert clean_text(f"a{char}b") == "ab", hex(ord(char))


def test_what_people_need_stays():
    family = "\U0001f469\u200d\U0001f467"  # woman, ZWJ, girl: one emoji
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # needs the ZWNJ
    heart = "\u2764\ufe0f"  # variation selector: emoji presentation
    text = f"Diolch yn fawr! Ŵyr a ŷd. {family} {persian} {heart} {WALES}\nSecond line\tafter a tab"
    assert clean_text(text) == text


def test_the_welsh_flag_keeps_its_tags_but_loose_tags_go():
    assert clean_text(f"Cymru {WALES}!") == f"Cymru {WALES}!"
    assert clean_text("hid\U000e0068\U000e0069den") == "hidden"


def test_controls_and_separators():
    assert clean_text("a\x00b\x07c\x1bd") == "abcd"  # NUL would break PostgreSQL text
    assert clean_text("one\u2028two\u2029three") == "one\ntwo\nthree"
    assert clean_text("e\u0301") == "é"  # NFC: a watch-list term matches however it was typed
    assert clean_text("e\u200b\u0301") == "é"  # normalised after removing, so cleaning once is enough


def test_clean_field_reads_form_values():
    assert clean_field("  \u200b Sam \u202e ") == "Sam"
    assert clean_field(None) == "" and clean_field(["x"]) == ""


@given(st.text())
def test_nothing_hidden_survives(text):
    cleaned = clean_text(text)
    for char in cleaned:
        category = unicodedata.category(char)
        assert category not in ("Cs", "Zl", "Zp")
        assert category != "Cc" or char in "\n\r\t"
        assert category != "Cf" or char in "\u200c\u200d" or 0xE0020 <= ord(char) <= 0xE007F
    assert not set(cleaned) & set(BIDI + INVISIBLE)


@given(st.text())
def test_cleaning_is_idempotent(text):
    assert clean_text(clean_text(text)) == clean_text(text)


@given(st.text(alphabet=st.characters(exclude_categories=("Cf", "Cc", "Cs", "Zl", "Zp"))))
def test_visible_text_is_unchanged_apart_from_nfc(text):
    expected = unicodedata.normalize("NFC", text)
    if not set(expected) & set("\u3164\u115f\u1160\u034f\u17b4\u17b5\uffa0"):
        assert clean_text(text) == expected
