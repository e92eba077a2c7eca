"""Paper ballots' pure rules: comparing two entries (exhaustively over small cases), final readings,
sheet fates, and reading the entry form."""

import itertools

import pytest

from pb.voting import ballots
from pb.voting.paper import rules as paper_rules
from pb.voting.paper.rules import ABSENT, Reading

pytestmark = pytest.mark.pure

RULES = ballots.BallotRules(method="approval_budget", budget_pence=10_000)
COSTS = {1: 6_000, 2: 3_000, 3: 2_000}

# Every reading of one sheet over a tiny ballot: no code / code A / code B; any subset of two
# projects; spoilt or not. 3 * 4 * 2 = 24 readings, plus "no such sheet".
READINGS = [
    Reading.of(code, {p: 1 for p in chosen}, spoilt)
    for code in (None, "hash-a", "hash-b")
    for chosen in ((), (1,), (2,), (1, 2))
    for spoilt in (False, True)
]


def test_one_sheet_every_pair_of_readings():
    for a, b in itertools.product(READINGS + [None], repeat=2):
        first = {} if a is None else {1: a}
        second = {} if b is None else {1: b}
        found = paper_rules.compare(first, second)
        if a is None and b is None:
            assert found == []
        elif a is None or b is None:
            assert found == [paper_rules.Discrepancy(1, ("missing",), a, b)]
        elif a == b:
            assert found == []
        else:
            assert len(found) == 1 and found[0].sheet == 1 and (found[0].first, found[0].second) == (a, b)
            kinds = set(found[0].kinds)
            assert ("code" in kinds) == (a.code_hash != b.code_hash)
            assert ("choices" in kinds) == (a.choices != b.choices)
            assert ("spoilt" in kinds) == (a.spoilt != b.spoilt)
            assert kinds  # something is named


def test_three_sheets_every_pattern_of_agreement():
    x, y = READINGS[0], READINGS[3]
    for pattern in itertools.product(("same", "differ", "only_first", "only_second", "neither"), repeat=3):
        first, second, expected = {}, {}, []
        for sheet, kind in enumerate(pattern, start=1):
            if kind in ("same", "differ", "only_first"):
                first[sheet] = x
            if kind == "same":
                second[sheet] = x
            if kind in ("differ", "only_second"):
                second[sheet] = y
            if kind != "same" and kind != "neither":
                expected.append(sheet)
        assert [d.sheet for d in paper_rules.compare(first, second)] == expected, pattern


def test_final_readings_use_agreement_and_resolutions():
    a, b = READINGS[2], READINGS[5]
    first = {1: a, 2: a, 3: a}
    second = {1: a, 2: b, 4: b}
    readings, unresolved = paper_rules.final_readings(first, second, {})
    assert readings == {1: a} and [d.sheet for d in unresolved] == [2, 3, 4]
    readings, unresolved = paper_rules.final_readings(first, second, {2: b, 3: ABSENT, 4: a})
    assert readings == {1: a, 2: b, 4: a} and unresolved == []


def test_batch_status():
    assert paper_rules.batch_status(0, 0, False) == "open"
    assert paper_rules.batch_status(1, 0, False) == "open"
    assert paper_rules.batch_status(2, 1, False) == "discrepancies"
    assert paper_rules.batch_status(2, 0, False) == "entered"
    assert paper_rules.batch_status(2, 0, True) == "counted"


CODE = {"area": 7, "voided": False, "used": False}


@pytest.mark.parametrize(
    "reading, code, earlier, fate, reason",
    [
        (Reading.of(None, {1: 1, 2: 1}, False), None, False, paper_rules.COUNTS, ""),
        (Reading.of(None, {1: 1, 2: 1}, True), None, False, paper_rules.SPOILT, paper_rules.MARKED_SPOILT),
        (
            Reading.of(None, {1: 1, 2: 1, 3: 1}, False),
            None,
            False,
            paper_rules.SPOILT,
            ballots.check_ballot({1: 1, 2: 1, 3: 1}, COSTS, RULES)[0].message,
        ),
        (Reading.of(None, {}, False), None, False, paper_rules.SPOILT, "Choose at least one project"),
        (Reading.of("h", {1: 1}, False), CODE, False, paper_rules.COUNTS, ""),
        (Reading.of("h", {1: 1}, False), None, False, paper_rules.FLAGGED, paper_rules.CODE_UNKNOWN),
        (Reading.of("h", {1: 1}, False), {**CODE, "area": 8}, False, paper_rules.FLAGGED, paper_rules.CODE_OTHER_AREA),
        (Reading.of("h", {1: 1}, False), {**CODE, "area": None}, False, paper_rules.COUNTS, ""),
        (Reading.of("h", {1: 1}, False), {**CODE, "voided": True}, False, paper_rules.FLAGGED, paper_rules.CODE_VOIDED),
        (Reading.of("h", {1: 1}, False), {**CODE, "used": True}, False, paper_rules.FLAGGED, paper_rules.CODE_USED),
        (Reading.of("h", {1: 1}, False), CODE, True, paper_rules.FLAGGED, paper_rules.CODE_USED),
        # A code problem flags even an invalid ballot (a person must see it); staff's "spoilt" wins.
        (Reading.of("h", {1: 1, 2: 1, 3: 1}, False), {**CODE, "used": True}, False, paper_rules.FLAGGED, paper_rules.CODE_USED),
        (Reading.of("h", {1: 1}, True), {**CODE, "used": True}, False, paper_rules.SPOILT, paper_rules.MARKED_SPOILT),
    ],
)
def test_sheet_fates(reading, code, earlier, fate, reason):
    found = paper_rules.sheet_fate(reading, COSTS, RULES, 7, code, earlier)
    assert (found.fate, found.reason) == (fate, reason)


def test_over_budget_records_how_far_over():
    found = paper_rules.sheet_fate(Reading.of(None, {1: 1, 2: 1, 3: 1}, False), COSTS, RULES, 7, None)
    assert found.values == {"total": 11_000, "over": 1_000, "budget": 10_000}


def test_k_approval_and_cumulative_fates():
    k = ballots.BallotRules(method="k_approval", budget_pence=0, max_choices=1)
    assert paper_rules.sheet_fate(Reading.of(None, {1: 1, 2: 1}, False), COSTS, k, 7, None).fate == paper_rules.SPOILT
    cumulative = ballots.BallotRules(method="cumulative", budget_pence=0, points=5)
    assert paper_rules.sheet_fate(Reading.of(None, {1: 3, 2: 2}, False), COSTS, cumulative, 7, None).fate == paper_rules.COUNTS
    assert paper_rules.sheet_fate(Reading.of(None, {1: 3, 2: 3}, False), COSTS, cumulative, 7, None).fate == paper_rules.SPOILT


def test_reading_rows_from_a_form():
    items = [
        ("sheet-0", "1"),
        ("choice-0", "1"),
        ("choice-0", "2"),
        ("code-0", " k7qf-9m2p "),
        ("sheet-1", ""),
        ("sheet-2", "3"),
        ("spoilt-2", "yes"),
        ("sheet-3", "abc"),
        ("choice-3", "1"),
        ("sheet-4", "1"),
        ("choice-4", "99"),
        ("_csrf_token", "x"),
    ]
    rows = paper_rules.rows_from_form(items)
    assert len(rows) == 5 and rows[0].choices == ["1", "2"] and rows[2].spoilt
    sheets, errors = paper_rules.read_rows(rows, "approval_budget", {1, 2, 3})
    assert sheets[1] == {"code": "k7qf-9m2p", "choices": {1: 1, 2: 1}, "spoilt": False}
    assert sheets[3] == {"code": "", "choices": {}, "spoilt": True}
    assert errors == {
        "sheet-3": "Enter the sheet number as a whole number from 1 to 1,000",
        "sheet-4": "This sheet number is entered twice",
        "choice-4": "One of the choices is not a project on this ballot",
    }
    assert paper_rules.read_rows([paper_rules.Row(), paper_rules.Row(sheet="2")], "approval_budget", {1})[1] == {
        "sheet-0": "Enter at least one sheet"
    }
    _, errors = paper_rules.read_rows([paper_rules.Row(choices=["1"])], "approval_budget", {1})
    assert errors == {"sheet-0": "Enter the sheet number"}


def test_cumulative_rows():
    rows = paper_rules.rows_from_form([("sheet-0", "1"), ("points-0-1", "3"), ("points-0-2", ""), ("points-0-3", "x")])
    sheets, errors = paper_rules.read_rows(rows, "cumulative", {1, 2, 3})
    assert sheets[1]["choices"] == {1: 3} and errors == {"points-0-3": "Enter points as whole numbers"}


def test_typed_codes_are_hashed_never_kept():
    from pb.voting.codes import alphabet

    code = alphabet.new_code(bytes(range(7)))
    assert paper_rules.typed_code_hash(5, code.lower().replace("-", " ")) == alphabet.code_hash(5, code)
    assert paper_rules.typed_code_hash(5, "") is None and paper_rules.typed_code_hash(5, "   ") is None
    malformed = paper_rules.typed_code_hash(5, "not a code")
    assert malformed and malformed == paper_rules.typed_code_hash(5, "NOT-A-CODE") and "CODE" not in malformed


def test_validate_batch():
    values, errors = paper_rules.validate_batch({"area": "4", "label": "  Llanrug   library box 3 ", "sheets": "40"}, {4})
    assert errors == {} and values == {"area": 4, "label": "Llanrug library box 3", "sheets": 40}
    _, errors = paper_rules.validate_batch({"area": "5", "label": "", "sheets": "0"}, {4})
    assert set(errors) == {"area", "label", "sheets"}
