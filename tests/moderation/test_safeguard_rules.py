"""The pure rules behind the safeguards: the watch list's matching and terms, and posting limits."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from pb.accounts.rules import POSTING_POLICIES, POSTING_REFUSALS, ThrottlePolicy, may_post
from pb.moderation.watchlist import TERM_MAX, fold, matched_terms, validate_term

# The watch list


def test_whole_words_whatever_the_case():
    assert matched_terms("Meet me at the STATION tonight", ["station"]) == ["station"]
    assert matched_terms("the stationery shop", ["station"]) == []  # part of a longer word
    assert matched_terms("rat-run: station.", ["rat", "station"]) == ["rat", "station"]
    assert matched_terms("separate", ["rat"]) == []


def test_welsh_letters_are_word_letters_and_mutations_are_not_guessed():
    assert matched_terms("Dyma'r ŵyl", ["ŵyl"]) == ["ŵyl"]
    assert matched_terms("Dyma'r ŴYL", ["ŵyl"]) == ["ŵyl"]
    assert matched_terms("gŵyl", ["ŵyl"]) == []  # no word boundary inside "gŵyl"
    assert matched_terms("ei gi", ["ci"]) == []  # a mutation is a different word unless it is listed
    assert matched_terms("ei gi", ["ci", "gi"]) == ["gi"]


def test_phrases_and_apostrophes():
    assert matched_terms("they   live\non Heol  Fawr", ["heol fawr"]) == ["heol fawr"]
    assert matched_terms("don’t go", ["don't go"]) == ["don't go"]


def test_joiners_do_not_hide_a_term():
    assert matched_terms("sta\u200dtion", ["station"]) == ["station"]
    assert matched_terms("sta\u200ction", ["station"]) == ["station"]


def test_validating_a_term():
    assert validate_term({"term": "  Heol   FAWR "}) == ("heol fawr", {})
    assert validate_term({"term": "\u200b"})[1] == {"term": "Enter a word or phrase"}
    assert validate_term({"term": "!!!"})[1]["term"].startswith("The word or phrase must contain")
    assert validate_term({"term": "x" * (TERM_MAX + 1)})[1]["term"].startswith("The word or phrase must be 100")
    assert validate_term({})[1] == {"term": "Enter a word or phrase"}


@given(st.text(min_size=1, max_size=20).filter(lambda term: any(c.isalnum() for c in fold(term))), st.text(max_size=30))
def test_a_term_is_found_wherever_it_stands_as_a_word(term, around):
    folded = fold(term)
    assert matched_terms(f"{around} {term} {around}", [folded]) == [folded]


# Posting limits


def test_the_limit_is_reached_and_then_refused():
    policy = ThrottlePolicy(limit=3, window=timedelta(minutes=10))
    assert [may_post(recent, frozenset(), policy) for recent in range(5)] == [True, True, True, False, False]


def test_staff_are_exempt_and_residents_are_not():
    policy = POSTING_POLICIES["comment"]
    for role in ("officer", "moderator", "admin"):
        assert may_post(1000, frozenset({role}), policy)
    assert not may_post(policy.limit, frozenset({"resident"}), policy)


def test_every_kind_has_a_limit_and_a_message():
    assert set(POSTING_POLICIES) == set(POSTING_REFUSALS) == {"comment", "report", "proposal"}
    # 91 comments in 25 minutes (what happened) is far past the limit.
    comment = POSTING_POLICIES["comment"]
    assert comment.limit * (timedelta(minutes=25) / comment.window) < 91
