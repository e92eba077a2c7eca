"""Postcodes and areas: reading a council's list and a voter's postcode. Pure: no I/O.

The list is a CSV file with a header row `postcode,area`, one postcode per line; the area is named as
on the round (in English or Welsh, any case). The whole file is checked before anything is kept: one
bad line and nothing changes, and every problem is reported with its line number.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from pb.i18n import N_

# The shape of a UK postcode (BS 7666), without the space: outward code, then inward code.
SHAPE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")
MAX_LINES = 500_000  # more than any Welsh council's postcodes (Cardiff has about 12,000)


def normalise(text: object) -> str | None:
    """A postcode as written on letters ("cf101aa" -> "CF10 1AA"), or None if it is not one. ASCII
    only: a look-alike digit or letter from another script is not a postcode."""
    if not isinstance(text, str):
        return None
    squeezed = "".join(text.split()).upper()
    if not squeezed.isascii() or not SHAPE.match(squeezed):
        return None
    return f"{squeezed[:-3]} {squeezed[-3:]}"


@dataclass
class Reading:
    rows: list[tuple[str, int]] = field(default_factory=list)  # (postcode, area id)
    problems: list[tuple[int, str, dict]] = field(default_factory=list)  # (line, message id, values)


def read_list(text: str, areas: list[dict]) -> Reading:
    """Read a postcode list for these areas (each with id, name_en, name_cy)."""
    found = Reading()
    names: dict[str, int] = {}
    for area in areas:
        for name in (area["name_en"], area["name_cy"]):
            if name:
                names[name.strip().casefold()] = area["id"]
    lines = list(csv.reader(io.StringIO(text)))
    if not lines or [cell.strip().casefold() for cell in lines[0]][:2] != ["postcode", "area"]:
        found.problems.append((1, N_("The first line must be the headings: postcode,area"), {}))
        return found
    if len(lines) > MAX_LINES:
        found.problems.append((MAX_LINES + 1, N_("The file has too many lines"), {}))
        return found
    seen: dict[str, int] = {}
    for number, cells in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        if len(cells) < 2:
            found.problems.append((number, N_("Give a postcode and an area, separated by a comma"), {}))
            continue
        postcode = normalise(cells[0])
        area_id = names.get(cells[1].strip().casefold())
        if postcode is None:
            found.problems.append((number, N_("“%(value)s” is not a postcode"), {"value": cells[0].strip()[:20]}))
        if area_id is None:
            found.problems.append((number, N_("“%(value)s” is not one of this round's areas"), {"value": cells[1].strip()[:60]}))
        if postcode is None or area_id is None:
            continue
        if postcode in seen:
            found.problems.append(
                (number, N_("%(postcode)s is already on line %(line)s"), {"postcode": postcode, "line": seen[postcode]})
            )
            continue
        seen[postcode] = number
        found.rows.append((postcode, area_id))
    if not found.rows and not found.problems:
        found.problems.append((2, N_("The file has no postcodes"), {}))
    return found
