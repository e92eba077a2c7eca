"""CSV files for spreadsheets: UTF-8 with a byte-order mark (so Excel reads Welsh letters such as ŵ
and ŷ correctly), CRLF line ends, and safe against formula injection. Pure."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import overload

BOM = "\ufeff"
# A spreadsheet treats a cell starting with one of these as a formula (or may, after a tab or CR).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MEDIA_TYPE = "text/csv; charset=utf-8"


@overload
def utc(value: datetime) -> datetime: ...
@overload
def utc(value: None) -> None: ...
@overload
def utc(value: datetime | None) -> datetime | None: ...
def utc(value: datetime | None) -> datetime | None:
    """Timestamps as aware UTC (SQLite can hand back naive ones)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def iso(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return utc(value).isoformat(timespec="seconds").replace("+00:00", "Z")
    return value.isoformat()


def safe_cell(value: object) -> object:
    """A cell a spreadsheet will show as text, never run: text starting like a formula gets a
    leading single quote. Numbers stay numbers (pb's numbers are never negative)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return value
    if isinstance(value, (date, datetime)):
        return iso(value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


def pounds(pence: int | None) -> str:
    """Pence as pounds with two decimals: 123450 -> '1234.50'; None -> ''."""
    if pence is None:
        return ""
    whole, rest = divmod(pence, 100)
    return f"{whole}.{rest:02d}"
