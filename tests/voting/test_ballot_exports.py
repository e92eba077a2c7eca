"""The ballots of an area as CSV and JSON: nothing before the close; afterwards exactly the ballots of
its Pabulib file (same numbers, projects, points and way of voting; no receipts), written once a line
at a time and served from disk, in memory that does not grow with the number of ballots."""

from __future__ import annotations

import csv
import io
import json

import pytest
from bs4 import BeautifulSoup

from pb.counting.pabulib import parse_pabulib
from pb.rounds.actions import change_phase
from pb.voting import actions, ballot_exports
from pb.voting import pabulib_io as io_
from pb.voting.tables import Ballot
from tests.conftest import make_proposal, make_round, make_user
from tests.voting.test_pabulib_import_export import closed_area_with_ballots, closed_round


async def test_nothing_before_the_close(client):
    round_id, areas = await make_round(phase="voting")
    author = await make_user(email="author@example.org")
    project = await make_proposal(round_id, areas[0], author, status="on_ballot")
    await actions.cast_ballot(round_id, areas[0], "voter-1", {project: 1}, "online", False)
    for kind in ("csv", "json"):
        response = await client.get(f"/api/rounds/{round_id}/areas/{areas[0]}/ballots.{kind}")
        assert response.status_code == 404
        assert (await client.get(f"/api/rounds/{round_id + 9}/areas/{areas[0]}/ballots.{kind}")).status_code == 404
    assert "ballots.csv" not in (await client.get(f"/en/rounds/{round_id}/results")).text


@pytest.mark.parametrize(
    "method,rule,fields",
    [("approval_budget", "greedy", {}), ("cumulative", "greedy", {"ballot_points": 6, "ballot_max_points_per_project": 3})],
)
async def test_after_the_close_csv_and_json_say_what_the_pabulib_file_says(client, method, rule, fields):
    round_id, areas, _, officer = await closed_round(method, rule, **fields)
    await change_phase(officer, round_id, "results")
    receipts = {row["receipt"] for row in await Ballot.select(Ballot.receipt)}
    for area in areas:
        parsed = parse_pabulib((await client.get(f"/api/rounds/{round_id}/areas/{area}/votes.pb")).text)
        expected = []
        for row in parsed.votes:
            cells = dict(zip(parsed.vote_columns, row, strict=True))
            ballot = {"ballot": int(cells["voter_id"]), "projects": [int(p) for p in cells["vote"].split(",") if p]}
            if method == "cumulative":
                ballot["points"] = [int(p) for p in cells["points"].split(",") if p]
            ballot["voting_method"] = cells["voting_method"]
            expected.append(ballot)
        assert expected

        as_json = await client.get(f"/api/rounds/{round_id}/areas/{area}/ballots.json")
        assert as_json.status_code == 200 and as_json.headers["content-type"] == "application/json"
        assert as_json.headers["content-disposition"] == f'attachment; filename="pb-round-{round_id}-area-{area}-ballots.json"'
        assert as_json.json() == {"round": round_id, "area": area, "ballots": expected}

        as_csv = await client.get(f"/api/rounds/{round_id}/areas/{area}/ballots.csv")
        assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(as_csv.text)))
        columns = ["ballot", "projects", *(["points"] if method == "cumulative" else []), "voting_method"]
        assert list(rows[0]) == columns
        assert [
            {
                "ballot": int(r["ballot"]),
                "projects": [int(p) for p in r["projects"].split()],
                **({"points": [int(p) for p in r["points"].split()]} if method == "cumulative" else {}),
                "voting_method": r["voting_method"],
            }
            for r in rows
        ] == expected
        assert not any(receipt in as_csv.text or receipt in as_json.text for receipt in receipts)

    page = BeautifulSoup((await client.get(f"/cy/rounds/{round_id}/results")).text, "html.parser")
    assert [a["href"] for a in page.select("a[href$='ballots.json']")] == [
        f"/api/rounds/{round_id}/areas/{area}/ballots.json" for area in areas
    ]
    assert f"/api/rounds/{round_id}/areas/{areas[0]}/ballots.csv" in (await client.get("/en/open-data")).text
    paths = (await client.get("/api/schema/openapi.json")).json()["paths"]
    assert {"/api/rounds/{round_id}/areas/{area_id}/ballots.csv", "/api/rounds/{round_id}/areas/{area_id}/ballots.json"} <= set(
        paths
    )


async def test_written_once_a_line_at_a_time_in_flat_memory(monkeypatch, tmp_path):
    import tracemalloc

    monkeypatch.setattr(io_, "EXPORT_CHUNK", 200)
    monkeypatch.setattr(io_, "EXPORT_DIR", tmp_path)
    peaks: dict[tuple[int, str], int] = {}
    for size in (400, 4000):
        round_id, areas = await closed_area_with_ballots(size)
        await io_.export_file(round_id, areas[0])  # the Pabulib file first: what is measured is the conversion
        for kind in ("csv", "json"):
            tracemalloc.start()
            path = await ballot_exports.ballots_file(round_id, areas[0], kind)
            peaks[(size, kind)] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            assert await ballot_exports.ballots_file(round_id, areas[0], kind) == path  # kept: not written again
            if kind == "json":
                assert len(json.loads(path.read_text())["ballots"]) == size
            else:
                assert path.read_text().count("\n") == size + 1
    for kind in ("csv", "json"):
        assert peaks[(4000, kind)] < 2 * peaks[(400, kind)], peaks
