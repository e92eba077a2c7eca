"""Paper ballots: pure rules for double entry and counting, no I/O.

A batch (a box of sheets) is typed in twice, by two different people who cannot see each other's
work. `compare` lists every sheet the two entries read differently; a person resolves each one by
choosing the right reading (or typing the correct one); `final_readings` then gives one reading per
sheet. When the batch is counted, `sheet_fate` decides what becomes of each sheet: it counts, it is
spoilt by the voter's own marks, or it is flagged (a voting-code problem) and listed, never dropped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Literal, get_args

from pb.fields import is_digits
from pb.i18n import N_
from pb.voting import ballots
from pb.voting.codes import alphabet

MAX_SHEETS = 1000  # sheets declared on one box
MAX_SHEET_NUMBER = 1000
MAX_ROWS = 1000
FIRST_ROWS = 10  # rows shown at first; "more sheets" adds MORE_ROWS (no JavaScript needed)
MORE_ROWS = 5
MAX_CODE_TEXT = 40
MAX_LABEL = 200
MAX_REASON = 500  # an officer's reason for accepting a difference or cancelling a batch

BatchStatus = Literal["open", "entered", "discrepancies", "counted", "cancelled"]
STATUSES: tuple[BatchStatus, ...] = get_args(BatchStatus)


@dataclass(frozen=True)
class Reading:
    """One sheet as read: the code's keyed hash (or None), the choices (project, points) sorted,
    and whether the polling staff marked it spoilt."""

    code_hash: str | None
    choices: tuple[tuple[int, int], ...]
    spoilt: bool

    @staticmethod
    def of(code_hash: str | None, choices: dict[int, int], spoilt: bool) -> Reading:
        return Reading(code_hash, tuple(sorted(choices.items())), spoilt)

    def choices_json(self) -> str:
        return json.dumps({str(project): points for project, points in self.choices})

    @staticmethod
    def from_row(row: dict) -> Reading:
        choices = {int(project): int(points) for project, points in json.loads(row["choices"] or "{}").items()}
        return Reading.of(row["code_hash"], choices, bool(row["spoilt"]))


@dataclass(frozen=True)
class Discrepancy:
    """Sheet `sheet` was read differently: `kinds` names what differs (missing, code, choices,
    spoilt); `first`/`second` are the two readings (None where that entry has no such sheet)."""

    sheet: int
    kinds: tuple[str, ...]
    first: Reading | None
    second: Reading | None


def compare(first: dict[int, Reading], second: dict[int, Reading]) -> list[Discrepancy]:
    """Every sheet on which the two entries disagree, in sheet order."""
    found = []
    for sheet in sorted(set(first) | set(second)):
        a, b = first.get(sheet), second.get(sheet)
        if a is None or b is None:
            found.append(Discrepancy(sheet, ("missing",), a, b))
            continue
        kinds = tuple(
            kind
            for kind, differs in (
                ("code", a.code_hash != b.code_hash),
                ("choices", a.choices != b.choices),
                ("spoilt", a.spoilt != b.spoilt),
            )
            if differs
        )
        if kinds:
            found.append(Discrepancy(sheet, kinds, a, b))
    return found


ABSENT = None  # a resolution saying "there is no such sheet"


def final_readings(
    first: dict[int, Reading], second: dict[int, Reading], resolutions: dict[int, Reading | None]
) -> tuple[dict[int, Reading], list[Discrepancy]]:
    """One reading per sheet, where the entries agree or a resolution decided; and the
    discrepancies still unresolved. A resolution of ABSENT removes the sheet."""
    readings: dict[int, Reading] = {}
    unresolved = []
    disagreeing = {d.sheet: d for d in compare(first, second)}
    for sheet in sorted(set(first) | set(second) | set(resolutions)):
        if sheet in resolutions:
            resolved = resolutions[sheet]
            if resolved is not None:  # ABSENT: there is no such sheet
                readings[sheet] = resolved
        elif sheet in disagreeing:
            unresolved.append(disagreeing[sheet])
        else:
            readings[sheet] = first[sheet]
    return readings, unresolved


# --- Two people, always ---------------------------------------------------------------------------
# One person must never be able to get a sheet counted on their word alone: the two entries are by
# two different people (a database index); a discrepancy is settled by someone who entered neither,
# or by both who entered agreeing; the declared number of sheets must match, or an officer who
# entered neither accepts the difference with a reason; and the person who made the first entry
# does not count the batch.


def settles(resolved_by: int, confirmed_by: int | None, enterers: set[int]) -> bool:
    """Whether a chosen reading settles its sheet: chosen by someone who entered neither entry, or
    chosen by one who entered and agreed by the other."""
    return resolved_by not in enterers or (confirmed_by is not None and confirmed_by in enterers and confirmed_by != resolved_by)


def count_refusal(
    user_id: int, first_enterer: int | None, declared: int, counted_sheets: int, difference_accepted: bool
) -> str | None:
    """Why this person may not count this batch yet (a message id), or None."""
    if user_id == first_enterer:
        return N_("The person who made the first entry cannot count this batch: someone else must")
    if counted_sheets != declared and not difference_accepted:
        return N_(
            "The entries hold a different number of sheets from the number declared on the box. An officer "
            "who entered neither entry must accept the difference, with a reason, before the batch is counted."
        )
    return None


def batch_status(entries: int, unresolved: int, counted: bool) -> str:
    if counted:
        return "counted"
    if entries < 2:
        return "open"
    return "discrepancies" if unresolved else "entered"


# --- Counting -----------------------------------------------------------------------------------

COUNTS, SPOILT, FLAGGED = "counts", "spoilt", "flagged"

MARKED_SPOILT = N_("Marked as spoilt when it was entered")
CODE_USED = N_("Flagged: this voting code was already used (online or on another paper ballot)")
CODE_VOIDED = N_("Flagged: this voting code has been cancelled")
CODE_UNKNOWN = N_("Flagged: this is not a voting code of this round")
CODE_OTHER_AREA = N_("Flagged: this voting code is for another area")


@dataclass(frozen=True)
class Fate:
    fate: str  # counts, spoilt, flagged
    reason: str = ""  # a message id
    values: dict = field(default_factory=dict)

    def reason_json(self) -> str:
        return json.dumps({"message": self.reason, "values": self.values}) if self.reason else ""


def sheet_fate(
    reading: Reading,
    costs: dict[int, int],
    rules: ballots.BallotRules,
    batch_area: int,
    code: dict | None,
    code_used_earlier: bool = False,
) -> Fate:
    """What counting does with one sheet. `code` is the sheet's code as looked up ({"area",
    "voided", "used"}) or None (no code on the sheet, or none found: see `reading.code_hash`);
    `code_used_earlier` says an earlier sheet of this count already used it.

    Staff marking a sheet spoilt wins; then any code problem flags the sheet (a person must look at
    it: it is never counted twice, nor silently dropped); then the voter's own marks are checked
    with the same rules as an online ballot."""
    if reading.spoilt:
        return Fate(SPOILT, MARKED_SPOILT)
    if reading.code_hash is not None:
        if code is None:
            return Fate(FLAGGED, CODE_UNKNOWN)
        if code.get("area") is not None and code["area"] != batch_area:
            return Fate(FLAGGED, CODE_OTHER_AREA)
        if code.get("voided"):
            return Fate(FLAGGED, CODE_VOIDED)
        if code.get("used") or code_used_earlier:
            return Fate(FLAGGED, CODE_USED)
    problems = ballots.check_ballot(dict(reading.choices), costs, rules)
    if problems:
        return Fate(SPOILT, problems[0].message, dict(problems[0].values))
    return Fate(COUNTS)


# --- Reading the entry form ---------------------------------------------------------------------


def typed_code_hash(round_id: int, text: str) -> str | None:
    """The keyed hash kept for a code as typed: of the printed form when it is a well-formed code;
    otherwise of what was written (so the two entries can still be compared, and counting flags it
    as unknown). Blank is no code. The plain text is never stored."""
    text = (text or "").strip()
    if not text:
        return None
    code = alphabet.normalise(text)
    if code is None:
        code = "?" + alphabet.SEPARATORS.sub("", text).upper()
    return alphabet.code_hash(round_id, code)


_NUMBER = re.compile(r"^[0-9]{1,6}$")


@dataclass
class Row:
    """One row of the entry form, as typed (kept to show again)."""

    sheet: str = ""
    code: str = ""
    choices: list[str] = field(default_factory=list)  # approval: project ids ticked
    points: dict[str, str] = field(default_factory=dict)  # cumulative: project id -> points typed
    spoilt: bool = False

    def blank(self) -> bool:
        # The sheet number alone does not count: rows come numbered, and a row left as it came is
        # skipped. A sheet with nothing marked is entered by ticking "spoilt".
        return not (self.code.strip() or self.choices or any(v.strip() for v in self.points.values()) or self.spoilt)


def rows_from_form(items: list[tuple[str, str]], prefix: str = "") -> list[Row]:
    """The rows a form posted, by index (`sheet-0`, `choice-0`, `points-0-12`, ...), as typed."""
    rows: dict[int, Row] = {}
    pattern = re.compile(rf"^{re.escape(prefix)}(sheet|code|choice|points|spoilt)-([0-9]{{1,4}})(?:-([0-9]{{1,9}}))?$")
    for name, value in items:
        match = pattern.match(name)
        if not match:
            continue
        kind, index, project = match.group(1), int(match.group(2)), match.group(3)
        if index >= MAX_ROWS:
            continue
        row = rows.setdefault(index, Row())
        if kind == "sheet":
            row.sheet = value[:20]
        elif kind == "code":
            row.code = value[:200]
        elif kind == "choice":
            row.choices.append(value[:20])
        elif kind == "points" and project is not None:
            row.points[project] = value[:20]
        elif kind == "spoilt":
            row.spoilt = value == "yes"
    return [rows.get(index, Row()) for index in range(max(rows) + 1 if rows else 0)]


def read_rows(
    rows: list[Row], method: str, projects: set[int], prefix: str = "", require_sheet: bool = True
) -> tuple[dict[int, dict], dict[str, str]]:
    """Validate typed rows: {sheet number: {"code": text, "choices": {project: points}, "spoilt"}}
    and errors by field name (message ids). Blank rows are ignored. Only what cannot be a reading
    of a sheet is an error: a ballot over budget is entered as marked and judged when counted."""
    sheets: dict[int, dict] = {}
    errors: dict[str, str] = {}
    for index, row in enumerate(rows):
        if row.blank():
            continue
        sheet_text = row.sheet.strip()
        name = f"{prefix}sheet-{index}"
        number = None
        if require_sheet:
            if not sheet_text:
                errors[name] = N_("Enter the sheet number")
            elif not _NUMBER.match(sheet_text) or not 1 <= int(sheet_text) <= MAX_SHEET_NUMBER:
                errors[name] = N_("Enter the sheet number as a whole number from 1 to 1,000")
            elif int(sheet_text) in sheets:
                errors[name] = N_("This sheet number is entered twice")
            else:
                number = int(sheet_text)
        else:
            number = 0
        if len(row.code.strip()) > MAX_CODE_TEXT:
            errors[f"{prefix}code-{index}"] = N_("Enter the voting code as it is written, up to 40 characters")
        choices: dict[int, int] = {}
        if method == "cumulative":
            for project, text in sorted(row.points.items()):
                text = text.strip()
                if not text or text == "0":
                    continue
                if not (is_digits(project) and int(project) in projects):
                    errors[f"{prefix}points-{index}"] = N_("One of the choices is not a project on this ballot")
                elif not _NUMBER.match(text):
                    errors[f"{prefix}points-{index}-{project}"] = N_("Enter points as whole numbers")
                else:
                    choices[int(project)] = int(text)
        else:
            for value in row.choices:
                if is_digits(value) and int(value) in projects:
                    choices[int(value)] = 1
                else:
                    errors[f"{prefix}choice-{index}"] = N_("One of the choices is not a project on this ballot")
        if number is not None:
            sheets[number] = {"code": row.code.strip(), "choices": choices, "spoilt": row.spoilt}
    if not sheets and not errors and require_sheet:
        errors[f"{prefix}sheet-0"] = N_("Enter at least one sheet")
    return sheets, errors


def validate_batch(form: dict[str, str], area_ids: set[int]) -> tuple[dict, dict[str, str]]:
    """The create-a-batch form: area, label and the number of sheets declared on the box."""
    errors: dict[str, str] = {}
    area_text = form.get("area", "")
    area = int(area_text) if is_digits(area_text) and len(area_text) < 10 and int(area_text) in area_ids else None
    if area is None:
        errors["area"] = N_("Choose the area the ballots come from")
    label = " ".join(form.get("label", "").split())
    if not label:
        errors["label"] = N_("Enter a label, for example the place and the box number")
    elif len(label) > MAX_LABEL:
        errors["label"] = N_("Enter a label of 200 characters or fewer")
    sheets_text = form.get("sheets", "").strip()
    sheets = int(sheets_text) if _NUMBER.match(sheets_text) else None
    if sheets is None or not 1 <= sheets <= MAX_SHEETS:
        errors["sheets"] = N_("Enter the number of sheets in the box, from 1 to 1,000")
    return {"area": area, "label": label, "sheets": sheets}, errors
