"""Reading the voting-code forms: pure functions of the form's values, tested
directly. Errors map a field name to a message id, shown beside that field."""

from __future__ import annotations

from pb.fields import is_digits
from pb.i18n import N_
from pb.voting.codes import alphabet

MAX_BATCH = 50_000
MAX_LABEL = 200
MAX_REASON = 500
MAX_VOID_LINES = 5_000
SHEET_PAGE = 100  # codes per printable page: a 50,000 batch is 500 pages, not one giant one (each QR code takes ~7 ms)


def read_area(text: str, area_ids: set[int]) -> int | None | str:
    """An area id from a form value, None for "any area", or "bad"."""
    text = (text or "").strip()
    if text in ("", "any"):
        return None
    if is_digits(text) and len(text) < 10 and int(text) in area_ids:
        return int(text)
    return "bad"


def validate_generate(form: dict, area_ids: set[int]) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    count_text = (form.get("count") or "").strip().replace(",", "")
    count = int(count_text) if is_digits(count_text) and len(count_text) < 7 else None
    if count is None or not 1 <= count <= MAX_BATCH:
        errors["count"] = N_("Enter a number of codes from 1 to 50,000")
    label = " ".join((form.get("label") or "").split())
    if not label:
        errors["label"] = N_("Enter a label, so you can tell this batch from others")
    elif len(label) > MAX_LABEL:
        errors["label"] = N_("Enter a label of 200 characters or fewer")
    area = read_area(form.get("area", ""), area_ids)
    if area == "bad":
        errors["area"] = N_("Choose an area of this round, or any area")
    return {"count": count, "label": label, "area": None if area == "bad" else area}, errors


def validate_reason(form: dict) -> tuple[str, dict[str, str]]:
    reason = " ".join((form.get("reason") or "").split())
    if not reason:
        return reason, {"reason": N_("Enter why the codes are being cancelled")}
    if len(reason) > MAX_REASON:
        return reason, {"reason": N_("Enter a reason of 500 characters or fewer")}
    return reason, {}


def validate_void(form: dict) -> tuple[dict, dict[str, str]]:
    lines = [line for line in (form.get("codes") or "").splitlines() if line.strip()]
    reason, errors = validate_reason(form)
    if not lines:
        errors = {"codes": N_("Enter the codes to cancel, one on each line"), **errors}
    elif len(lines) > MAX_VOID_LINES:
        errors = {"codes": N_("Enter no more than 5,000 codes at a time, or cancel the whole batch"), **errors}
    return {"lines": lines, "reason": reason}, errors


def validate_seal(form: dict) -> dict[str, str]:
    if form.get("confirm") != "yes":
        return {"confirm": N_("Confirm that the letters are printed")}
    return {}


def validate_code_entry(form: dict) -> tuple[str | None, dict[str, str]]:
    text = form.get("code") or ""
    if not text.strip():
        return None, {"code": N_("Enter the voting code from your letter")}
    code = alphabet.normalise(text)
    if code is None:
        return None, {
            "code": N_(
                "That is not a voting code. Check it against your letter: it has 12 letters and numbers, like K7QF-9M2P-XW4T."
            )
        }
    return code, {}


def code_problem(found: dict | None) -> str | None:
    """Why a looked-up code cannot be used to vote, or None. "Used" may be said; nothing more.
    A code votes once, always: even where a round lets account holders change their vote."""
    if found is None:
        return N_("That voting code is not one for this vote. Check it against your letter.")
    if found["voided"]:
        return N_("This voting code has been cancelled")
    if found["used"]:
        return N_("This voting code has already been used to vote")
    return None
