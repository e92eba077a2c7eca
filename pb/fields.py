"""Reading typed values out of text typed by people: one small, tested layer for every form.

Pure functions of strings, importable without the web app. Each returns the value, or None when the
text does not parse, so the caller can put its own message beside the field. Only ASCII digits
count as digits: "²" and "٣" pass str.isdigit() but are not what anyone means by a number here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

MAX_ID = 2**31 - 1  # PostgreSQL integer ids; a larger number names nothing

_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def is_digits(text: object, max_length: int = 9) -> bool:
    """Whether text is a plain ASCII number of at most `max_length` digits (9: below PostgreSQL's
    integer limit, so it can name a row). Use this, never str.isdigit(), which accepts "²"."""
    return isinstance(text, str) and 0 < len(text) <= max_length and text.isascii() and text.isdigit()


def parse_int(text: object, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """An integer written in ASCII digits (spaces around it ignored) within the bounds, else None."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not _INTEGER.fullmatch(text):
        return None
    value = int(text)
    if minimum is not None and value < minimum:
        return None
    if maximum is not None and value > maximum:
        return None
    return value


def parse_id(text: object) -> int | None:
    """A row id (1 … 2**31-1) from a form field or query parameter, else None."""
    return parse_int(text, 1, MAX_ID)


def parse_ids(texts: list[str]) -> list[int] | None:
    """Several row ids (a multi-select or checkboxes), in order and without repeats; None if any is bad."""
    ids: list[int] = []
    for text in texts:
        value = parse_id(text)
        if value is None:
            return None
        if value not in ids:
            ids.append(value)
    return ids


_MONEY = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{1,2})?|[0-9]{1,12}(?:\.[0-9]{1,2})?")


def parse_pounds(text: object, maximum_pence: int | None = None) -> int | None:
    """An amount in pounds typed as people write it ("£12,000", "12000.50") as whole pence, else None."""
    if not isinstance(text, str):
        return None
    cleaned = text.strip().removeprefix("£").strip()
    if not _MONEY.fullmatch(cleaned):
        return None
    try:
        pence = int(Decimal(cleaned.replace(",", "")) * 100)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        return None
    if maximum_pence is not None and pence > maximum_pence:
        return None
    return pence


def format_pounds(pence: int | None) -> str:
    """Pence as a form value: 123450 -> '1234.50', 100000 -> '1000' (what parse_pounds reads back)."""
    if pence is None:
        return ""
    pounds, rest = divmod(pence, 100)
    return f"{pounds}.{rest:02d}" if rest else str(pounds)


def parse_date(text: object) -> date | None:
    """A date written YYYY-MM-DD (what a date input sends), else None."""
    if not isinstance(text, str):
        return None
    match = _DATE.fullmatch(text.strip())
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_choice(text: object, choices: object) -> str | None:
    """The text if it is one of the choices (a collection of strings), else None."""
    return text if isinstance(text, str) and text in choices else None  # type: ignore[operator]


def form_text(form: Mapping[str, object], name: str) -> str:
    """A form field's text without surrounding spaces ("" when absent or not text)."""
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def bilingual_text(
    form: Mapping[str, object], field: str, limit: int, too_long: str, missing: str | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """The Welsh and English versions of a field (`<field>_en`, `<field>_cy`) and their errors
    (message ids): each is required when `missing` is given, and at most `limit` characters."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for lang in ("en", "cy"):
        name = f"{field}_{lang}"
        values[name] = form_text(form, name)
        if missing is not None and not values[name]:
            errors[name] = missing
        elif len(values[name]) > limit:
            errors[name] = too_long
    return values, errors
