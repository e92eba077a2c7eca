"""The published ballots of an area as CSV and JSON, beside its Pabulib file.

Each is converted from the area's Pabulib file (pb.voting.pabulib_io.export_file, itself written a
chunk of ballots at a time) a line at a time, into a file kept beside it under the same fingerprint:
memory stays flat whatever the number of ballots, every format says exactly the same, and a file
is made once and then served (streamed) from disk until something it is made from changes. Like
the Pabulib file, it exists only once voting has closed; ballots are numbered in their random
receipt order, with the way of voting (internet or paper) and nothing else about the voter."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import anyio.to_thread

from pb.voting.pabulib_io import export_file

FORMATS = {"csv": "text/csv", "json": "application/json"}


def file_name(round_id: int, area_id: int, kind: str) -> str:
    return f"pb-round-{round_id}-area-{area_id}-ballots.{kind}"


async def ballots_file(round_id: int, area_id: int, kind: str) -> Path:
    """The area's ballots as `kind` ("csv" or "json"), written once. Raises what export_file raises
    (NotFound, PabulibExportError) for a round or area that has no published votes."""
    source = await export_file(round_id, area_id)
    target = source.with_name(f"{source.stem}.ballots.{kind}")
    if not target.exists():
        await anyio.to_thread.run_sync(_convert, source, target, kind, round_id, area_id)
        for old in source.parent.glob(f"pb-round-{round_id}-area-{area_id}-*.ballots.{kind}"):
            if old != target:
                old.unlink(missing_ok=True)  # made from what has since changed
    return target


def _votes(source: Path) -> Iterator[tuple[list[str], list[str]]]:
    """(header, row) for each line of the file's VOTES section, read a line at a time."""
    with source.open(encoding="utf-8", newline="") as handle:
        for line in handle:
            if line.strip() == "VOTES":
                break
        reader = csv.reader(handle, delimiter=";")
        header = next(reader, [])
        for row in reader:
            if row:
                yield header, row


def ballots(source: Path) -> Iterator[dict]:
    """Each ballot of a Pabulib file as {"ballot", "projects", ["points"], ["voting_method"]}."""
    for header, row in _votes(source):
        cells = dict(zip(header, row, strict=False))
        ballot: dict = {
            "ballot": int(cells["voter_id"]),
            "projects": [int(p) for p in cells.get("vote", "").split(",") if p],
        }
        if "points" in cells:
            ballot["points"] = [int(p) for p in cells["points"].split(",") if p]
        if "voting_method" in cells:
            ballot["voting_method"] = cells["voting_method"]
        yield ballot


def _convert(source: Path, target: Path, kind: str, round_id: int, area_id: int) -> None:
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=".writing-", suffix=f".{kind}")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            if kind == "csv":
                _write_csv(out, source)
            else:
                _write_json(out, source, round_id, area_id)
        os.replace(partial, target)  # whole or not at all, even with several workers writing it at once
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


def _write_csv(out: TextIO, source: Path) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    columns: list[str] | None = None
    for ballot in ballots(source):
        if columns is None:
            columns = [name for name in ("ballot", "projects", "points", "voting_method") if name in ballot]
            writer.writerow(columns)
        writer.writerow(
            [" ".join(map(str, value)) if isinstance(value, list) else value for value in (ballot[c] for c in columns)]
        )
    if columns is None:
        writer.writerow(["ballot", "projects"])


def _write_json(out: TextIO, source: Path, round_id: int, area_id: int) -> None:
    out.write(json.dumps({"round": round_id, "area": area_id})[:-1] + ', "ballots": [')
    for index, ballot in enumerate(ballots(source)):
        out.write(("," if index else "") + "\n" + json.dumps(ballot, separators=(",", ":")))
    out.write("\n]}\n")
