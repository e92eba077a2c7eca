"""Bulk import of delivery updates from a CSV file, for officers.

Every row is checked before anything is written (`read_table` then `check_rows`, both pure); a file
with any problem imports nothing and the officer gets each problem with its line and column. A clean
file is applied in one transaction through the tracker's own `post_update` (the same status rules,
audit entries and follower emails as a single update), plus one "delivery.imported" audit entry.

Followers: a project's followers are emailed once per imported file (on that project's last row),
not once per row, when the officer leaves "email followers" ticked; unticked, nobody is emailed
(for example when loading a backlog of old updates).

Cells are stored exactly as typed: a cell that looks like a spreadsheet formula is harmless here and
is escaped when pb writes CSV files (pb.web.csvfile)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from pb.audit.actions import record
from pb.db import for_update, transaction
from pb.fields import parse_pounds
from pb.i18n import N_
from pb.tracker import actions, rules
from pb.tracker.tables import Delivery, DeliveryUpdate
from pb.web.forms import CONTROL

COLUMNS = ("external_ref", "date", "status", "progress", "spent", "update_en", "update_cy")
MAX_BYTES = 1_000_000
MAX_ROWS = 2_000
MAX_TEXT = 5_000
EARLIEST = date(2000, 1, 1)

NO_FILE = N_("Choose a CSV file to upload")
TOO_BIG = N_("The file must be smaller than 1 MB")
EMPTY = N_("The file is empty")
NOT_UTF8 = N_("The file must be saved as CSV UTF-8 (in Excel: Save as, then choose CSV UTF-8)")
TOO_MANY_ROWS = N_("The file must have 2,000 updates or fewer: split it into smaller files")
NO_ROWS = N_("The file has a first row of column names but no updates")
MISSING_COLUMN = N_("This column is missing from the first row")
UNKNOWN_COLUMN = N_("This column is not one that can be imported")
REPEATED_COLUMN = N_("This column appears more than once in the first row")
UNREADABLE = N_("This line cannot be read as CSV: check its quotation marks")
EXTRA_CELLS = N_("This row has more cells than there are columns")
CONTROL_CHARACTERS = N_("This cell contains characters that cannot be used")
MISSING_REF = N_("Enter the project's reference")
UNKNOWN_REF = N_("There is no project with this reference")
BAD_DATE = N_("Enter a real date as YYYY-MM-DD, like 2027-03-12")
FUTURE_DATE = N_("The date must be today or in the past")
BEFORE_LATEST = N_("The date is before the project's latest update")
OUT_OF_ORDER = N_("Updates for the same project must be in date order")
BAD_STATUS = N_("Enter a status: not_started, in_progress, paused, delivered or cancelled")
BAD_PROGRESS = N_("Progress must be a whole number from 0 to 100")
BAD_MONEY = N_("Enter an amount in pounds, like 2500")
MISSING_EN = N_("Write the update in English")
MISSING_CY = N_("Write the update in Welsh")
TOO_LONG = N_("This must be 5,000 characters or fewer")
DUPLICATE = N_("This row repeats an earlier row")
ALREADY_PUBLISHED = N_("This update has already been published")

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PROGRESS = re.compile(r"^(\d{1,3})\s*%?$")
# check_delivery_change's field names, as this file's columns (a cancellation's reason is its update text)
RULE_COLUMNS = {"status": "status", "progress": "progress", "cancel_reason_en": "update_en", "cancel_reason_cy": "update_cy"}


class Problem(NamedTuple):
    """What is wrong, where: `line` is the file's line number (1 is the column names; 0 means the
    whole file), `column` a column name or "", `message` a message id."""

    line: int
    column: str
    message: str


@dataclass(frozen=True)
class RawRow:
    line: int
    cells: dict[str, str]


@dataclass(frozen=True)
class Row:
    line: int
    external_ref: str
    on: date
    status: str
    progress: int
    spent_pence: int | None
    update_en: str
    update_cy: str


@dataclass(frozen=True)
class Known:
    """A project as it stands: its status, the date of its latest update, and the (date, English
    text) of updates it already has, so the same file uploaded twice is refused."""

    delivery_id: int
    status: str
    latest: date | None = None
    existing: frozenset[tuple[date, str]] = frozenset()


class ImportFailed(Exception):
    """Refused while applying (the data changed since it was checked); nothing was imported."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("import refused")
        self.problems = problems


def _column_name(text: str) -> str:
    return text.strip().lower().replace(" ", "_")


def read_table(data: bytes) -> tuple[list[RawRow], list[Problem]]:
    """The file's rows as cells by column name, with the problems found reading it. No rows means
    the file cannot be checked further (a problem with the whole file, its columns or its quoting);
    rows with problems (a row with too many cells) are left out, and the others can still be checked."""
    if len(data) > MAX_BYTES:
        return [], [Problem(0, "", TOO_BIG)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [Problem(0, "", NOT_UTF8)]
    if not text.strip():
        return [], [Problem(0, "", EMPTY)]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    rows: list[RawRow] = []
    problems: list[Problem] = []
    while True:
        line = reader.line_num + 1
        try:
            record_ = next(reader)
        except StopIteration:
            break
        except csv.Error:
            problems.append(Problem(line, "", UNREADABLE))
            return [], problems
        if header is None:
            header = [_column_name(cell) for cell in record_]
            seen: set[str] = set()
            for name in header:
                if name in seen:
                    problems.append(Problem(line, name, REPEATED_COLUMN))
                elif name not in COLUMNS:
                    problems.append(Problem(line, name or "", UNKNOWN_COLUMN))
                seen.add(name)
            problems += [Problem(line, name, MISSING_COLUMN) for name in COLUMNS if name not in header]
            if problems:
                return [], problems
            continue
        if not any(cell.strip() for cell in record_):
            continue  # spreadsheets often end with empty rows
        if len(rows) >= MAX_ROWS:
            return [], [Problem(0, "", TOO_MANY_ROWS)]
        if any(cell.strip() for cell in record_[len(header) :]):
            problems.append(Problem(line, "", EXTRA_CELLS))
            continue
        rows.append(RawRow(line, {name: record_[i] if i < len(record_) else "" for i, name in enumerate(header)}))
    if header is None:
        return [], [Problem(0, "", EMPTY)]
    if not rows and not problems:
        return [], [Problem(0, "", NO_ROWS)]
    return rows, problems


def referenced(rows: Iterable[RawRow]) -> set[str]:
    """The project references a table names (to load just those projects)."""
    return {row.cells.get("external_ref", "").strip() for row in rows} - {""}


def _date(text: str) -> date | None:
    if not DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def check_rows(raw_rows: list[RawRow], known: Mapping[str, Known], today: date) -> tuple[list[Row], list[Problem]]:
    """Every row checked against the projects as they stand and the rows before it in the file:
    each project's status moves one row at a time, as if each update were posted in turn."""
    problems: list[Problem] = []
    rows: list[Row] = []
    state: dict[str, tuple[str, date | None]] = {}  # reference -> (status, date) after the rows so far
    seen: dict[tuple[str, ...], int] = {}
    for raw in raw_rows:
        line = raw.line
        cells = {name: raw.cells.get(name, "").strip() for name in COLUMNS}
        found: list[Problem] = [Problem(line, name, CONTROL_CHARACTERS) for name in COLUMNS if CONTROL.search(cells[name])]
        if found:
            problems += found
            continue
        key = tuple(cells[name] for name in COLUMNS)
        if key in seen:
            problems.append(Problem(line, "", DUPLICATE))
            continue
        seen[key] = line

        ref = cells["external_ref"]
        project = known.get(ref)
        if not ref:
            found.append(Problem(line, "external_ref", MISSING_REF))
        elif project is None:
            found.append(Problem(line, "external_ref", UNKNOWN_REF))

        on = _date(cells["date"])
        if on is None or on < EARLIEST:
            found.append(Problem(line, "date", BAD_DATE))
            on = None
        elif on > today:
            found.append(Problem(line, "date", FUTURE_DATE))
        dated = on is not None and on <= today  # a date later rows may be compared with

        status = cells["status"].lower()
        if status not in rules.DELIVERY_STATUSES:
            found.append(Problem(line, "status", BAD_STATUS))
            status = ""

        match = PROGRESS.match(cells["progress"])
        progress = int(match.group(1)) if match else None
        if progress is None or progress > 100:
            found.append(Problem(line, "progress", BAD_PROGRESS))
            progress = None

        spent: int | None = None
        if cells["spent"]:
            spent = parse_pounds(cells["spent"])
            if spent is None:
                found.append(Problem(line, "spent", BAD_MONEY))

        for name, missing in (("update_en", MISSING_EN), ("update_cy", MISSING_CY)):
            if not cells[name]:
                found.append(Problem(line, name, missing))
            elif len(cells[name]) > MAX_TEXT:
                found.append(Problem(line, name, TOO_LONG))

        if project is not None:
            current, last = state.get(ref, (project.status, project.latest))
            if on is not None and last is not None and on < last:
                found.append(Problem(line, "date", OUT_OF_ORDER if ref in state else BEFORE_LATEST))
            if on is not None and (on, cells["update_en"]) in project.existing:
                found.append(Problem(line, "", ALREADY_PUBLISHED))
            if status and progress is not None:
                move = rules.check_delivery_change(current, status, progress, cells["update_en"], cells["update_cy"])
                found += [Problem(line, RULE_COLUMNS.get(field, "status"), message) for field, message in move.items()]
                if not move:  # later rows move on from this one's status (and date, when it is a good one)
                    state[ref] = (status, on if dated else last)

        if found:
            problems += found
        elif project is not None and on is not None and progress is not None:
            rows.append(Row(line, ref, on, status, progress, spent, cells["update_en"], cells["update_cy"]))
    problems.sort(key=lambda problem: problem.line)
    return (rows if not problems else []), problems


def finish(
    table: list[RawRow], read_problems: list[Problem], known: Mapping[str, Known], today: date
) -> tuple[list[Row], list[Problem]]:
    """Check the rows read (see read_table), adding the problems met reading: (rows, []) or ([], problems)."""
    if not table:
        return [], read_problems
    rows, problems = check_rows(table, known, today)
    problems = sorted(read_problems + problems, key=lambda problem: problem.line)
    return (rows if not problems else []), problems


def validate_import(data: bytes, known: Mapping[str, Known], today: date) -> tuple[list[Row], list[Problem]]:
    """Both checks at once, for callers that already know the projects: (rows, []) or ([], problems)."""
    table, problems = read_table(data)
    return finish(table, problems, known, today)


def _day(value: datetime) -> date:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).date()


async def known_deliveries(refs: set[str]) -> dict[str, Known]:
    """The projects with these references, as they stand."""
    refs = {ref for ref in refs if len(ref) <= 60}
    if not refs:
        return {}
    projects = await Delivery.select(Delivery.id, Delivery.external_ref, Delivery.status).where(
        Delivery.external_ref.is_in(sorted(refs))
    )
    ids = [row["id"] for row in projects]
    updates: dict[int, list[dict]] = {}
    if ids:
        for row in await DeliveryUpdate.select(DeliveryUpdate.delivery, DeliveryUpdate.at, DeliveryUpdate.body_en).where(
            DeliveryUpdate.delivery.is_in(ids)
        ):
            updates.setdefault(row["delivery"], []).append(row)
    found = {}
    for row in projects:
        mine = updates.get(row["id"], [])
        found[row["external_ref"]] = Known(
            delivery_id=row["id"],
            status=row["status"],
            latest=max((_day(u["at"]) for u in mine), default=None),
            existing=frozenset((_day(u["at"]), u["body_en"].strip()) for u in mine),
        )
    return found


def _changed_since_checked(rows: list[Row], known: Mapping[str, Known]) -> list[Problem]:
    problems = []
    started: set[str] = set()
    for row in rows:
        project = known.get(row.external_ref)
        if project is None:
            problems.append(Problem(row.line, "external_ref", UNKNOWN_REF))
            continue
        if (row.on, row.update_en) in project.existing:
            problems.append(Problem(row.line, "", ALREADY_PUBLISHED))
        elif row.external_ref not in started and project.latest is not None and row.on < project.latest:
            problems.append(Problem(row.line, "date", BEFORE_LATEST))
        started.add(row.external_ref)
    return problems


def _posted_at(on: date, index: int) -> datetime:
    """Midday UTC on the row's date; a second apart per row, so one day's updates keep the file's order."""
    return datetime.combine(on, time(12, 0), tzinfo=UTC) + timedelta(seconds=index)


async def apply_import(actor_id: int, rows: list[Row], notify: bool) -> int:
    """Post every row as an update, all in one transaction: all land or none. Returns the count."""
    last_row = {row.external_ref: index for index, row in enumerate(rows)}
    async with transaction():
        # Lock the projects, then check again what may have changed since the file was checked (the
        # same file uploaded twice at once, say); status moves are checked again by post_update.
        await for_update(Delivery.select(Delivery.id).where(Delivery.external_ref.is_in(sorted(last_row) or [""])))
        known = await known_deliveries(set(last_row))
        problems = _changed_since_checked(rows, known)
        if problems:
            raise ImportFailed(problems)
        for index, row in enumerate(rows):
            values = {
                "status": row.status,
                "progress": row.progress,
                "body_en": row.update_en,
                "body_cy": row.update_cy,
                "at": _posted_at(row.on, index),
                "notify": notify and last_row[row.external_ref] == index,
            }
            if row.spent_pence is not None:
                values["spent_pence"] = row.spent_pence
            if row.status == "delivered":
                values["delivered_on"] = row.on
            if row.status == "cancelled":
                values["cancel_reason_en"], values["cancel_reason_cy"] = row.update_en, row.update_cy
            try:
                await actions.post_update(actor_id, known[row.external_ref].delivery_id, values)
            except actions.TrackerError as refused:
                raise ImportFailed([Problem(row.line, "status", str(refused))]) from None
        await record(actor_id, "delivery.imported", "delivery", rows=len(rows), deliveries=len(last_row), notified=notify)
    return len(rows)
