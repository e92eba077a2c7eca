"""`pb export-pabulib`, the public Pabulib download and `pb import-pabulib`: nothing before the close,
files that pb's parser and pabutools' read and that count to the frozen result, and imports of real
files that show the official outcome, once."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from pb.cli import main
from pb.counting.pabulib import parse_pabulib, read_pabulib
from pb.i18n import LOCAL_TIME
from pb.proposals.tables import Proposal
from pb.rounds.actions import change_phase
from pb.rounds.tables import Round
from pb.voting import actions
from pb.voting import pabulib_io as io_
from pb.voting.tables import Ballot, BallotChoice, PabulibImport, ResultLine
from tests.conftest import make_proposal, make_round, make_user
from tests.pabulib_data import IN_REPOSITORY

WIELICZKA = IN_REPOSITORY / "Poland_Wieliczka_2023_Green_Budget.pb"

SMALL = """META
key;value
description;A small test vote
country;Testland
unit;Testville
subunit;North
instance;2024
num_projects;3
num_votes;5
budget;1000
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;votes;name;selected
a;600;4;Playground;1
b;500;3;Benches;0
c;400;2;Bins;1
VOTES
voter_id;vote;voting_method
1;a,b;internet
2;a,c;paper
3;a,b;internet
4;a;internet
5;b,c;internet
"""


# ---- pure rules


@pytest.mark.pure
def test_vote_type_by_ballot_method():
    assert io_.vote_type_meta("approval_budget", 10_000_00) == {"vote_type": "approval", "max_sum_cost": 10_000}
    assert io_.vote_type_meta("approval_budget", 10_000_50, whole_pounds=False) == {
        "vote_type": "approval",
        "max_sum_cost": Decimal("10000.50"),
    }
    assert io_.vote_type_meta("k_approval", 0, max_choices=3, min_choices=1) == {
        "vote_type": "approval",
        "max_length": 3,
        "min_length": 1,
    }
    assert io_.vote_type_meta("k_approval", 0, max_choices=3) == {"vote_type": "approval", "max_length": 3}
    assert io_.vote_type_meta("cumulative", 0, points=10, max_points=4) == {
        "vote_type": "cumulative",
        "max_sum_points": 10,
        "max_points": 4,
    }


@pytest.mark.pure
def test_ballot_method_from_meta():
    assert io_.ballot_method_from_meta({}, "choose-1")["ballot_method"] == "k_approval"
    assert io_.ballot_method_from_meta({"max_length": "5", "min_length": "1"}, "approval") == {
        "ballot_method": "k_approval",
        "ballot_max_choices": 5,
        "ballot_min_choices": 1,
    }
    assert io_.ballot_method_from_meta({"max_sum_cost": "100", "max_length": "5"}, "approval") == {
        "ballot_method": "approval_budget"
    }
    assert io_.ballot_method_from_meta({"max_sum_points": "10", "max_points": "x"}, "cumulative") == {
        "ballot_method": "cumulative",
        "ballot_points": 10,
        "ballot_max_points_per_project": None,
    }


@pytest.mark.pure
def test_money_dates_and_the_identity_of_a_file():
    assert io_.to_pence(12, "cost") == 1200 and io_.to_pence(parse_number("12.5"), "cost") == 1250
    with pytest.raises(io_.PabulibImportError):
        io_.to_pence(parse_number("0.001"), "cost")
    assert io_.parse_date("03.04.2023") == date(2023, 4, 3) and io_.parse_date("2023-04-03") == date(2023, 4, 3)
    assert io_.parse_date("soon") is None
    meta = {"country": "Poland", "unit": "Wieliczka", "instance": "2023", "description": "Green"}
    assert io_.source_key(meta) == io_.source_key({**meta, "unit": " wieliczka ", "budget": "5"})
    assert io_.source_key(meta) != io_.source_key({**meta, "instance": "2024"})
    assert io_.pabulib_rule("equalshares/add1") == "equalshares/add1"


def parse_number(text):
    from pb.counting.pabulib import parse_number as parse

    return parse(text)


# ---- helpers


async def closed_round(method="approval_budget", rule="greedy", **fields):
    """A round with two areas, ballots on every channel, closed by an officer (results frozen)."""
    round_id, areas = await make_round(
        phase="voting",
        areas=(("Riverside", "Glan yr Afon", 10_000_00), ("Hillside", "Ochr y Bryn", 5_000_50)),
        ballot_method=method,
        counting_rule=rule,
        **fields,
    )
    officer = await make_user(email="officer@example.org", roles={"officer"})
    author = await make_user(email="author@example.org")
    projects = {}
    for area, specs in zip(
        areas,
        (
            (("Play area", "Ardal chwarae", 6_000_00), ("Benches", "Meinciau", 3_000_00), ("Bins", "Biniau", 2_000_00)),
            (("Trees", "Coed", 2_500_25), ("Lights", "Goleuadau", 3_000_00)),
        ),
        strict=True,
    ):
        projects[area] = [
            await make_proposal(round_id, area, author, status="on_ballot", title_en=en, title_cy=cy, cost_pence=cost)
            for en, cy, cost in specs
        ]
    ballots = {areas[0]: [(0, 1), (0, 2), (0,), (1, 2), (0, 1), (2,)], areas[1]: [(0,), (1,), (0, 1), (1,)]}
    channels = ["online", "paper", "code", "assisted"]
    voter = 0
    for area, choices in ballots.items():
        for picks in choices:
            voter += 1
            chosen = {projects[area][i]: (2 if method == "cumulative" else 1) for i in picks}
            await actions.cast_ballot(round_id, area, f"voter-{voter}", chosen, channels[voter % 4], False)
    return round_id, areas, projects, officer


async def frozen_funded(round_id: int, area_id: int) -> list[str]:
    rows = (
        await ResultLine.select(ResultLine.proposal)
        .where((ResultLine.round == round_id) & (ResultLine.area == area_id) & (ResultLine.funded == True))
        .order_by(ResultLine.proposal)
    )  # noqa: E712
    return [str(row["proposal"]) for row in rows]


def tally_selected(path: Path, rule: str) -> list[str]:
    result = CliRunner().invoke(main, ["tally", str(path), "--rule", rule, "--json"])
    assert result.exit_code == 0, result.output
    return sorted(json.loads(result.output)["selected"], key=int)


async def run_cli(*args: str) -> subprocess.CompletedProcess:
    """The real `pb` command, in its own process (it runs its own event loop against the test database)."""
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", "from pb.cli import main; main()", *args],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=300,
    )


# ---- export and download


async def test_nothing_is_exported_or_served_before_the_close(client):
    round_id, areas = await make_round(phase="voting")
    author = await make_user(email="author@example.org")
    project = await make_proposal(round_id, areas[0], author, status="on_ballot")
    await actions.cast_ballot(round_id, areas[0], "voter-1", {project: 1}, "online", False)

    with pytest.raises(io_.PabulibExportError, match="voting closes"):
        await io_.export_area(round_id, areas[0])
    api = await client.get(f"/api/rounds/{round_id}/areas/{areas[0]}/votes.pb")
    assert api.status_code == 404
    assert "text/plain" not in api.headers["content-type"]
    results = await client.get(f"/en/rounds/{round_id}/results")
    assert results.status_code == 200 and "votes.pb" not in results.text and "Pabulib" not in results.text
    cy = await client.get(f"/cy/rounds/{round_id}/results")
    assert "votes.pb" not in cy.text
    open_data = await client.get("/en/open-data")
    assert "votes.pb" not in open_data.text
    cli = await run_cli("export-pabulib", str(round_id), "--area", str(areas[0]))
    assert cli.returncode == 1 and "Nothing exported" in cli.stderr and "voting closes" in cli.stderr
    assert cli.stdout == ""
    missing = await client.get(f"/api/rounds/{round_id + 99}/areas/{areas[0]}/votes.pb")
    assert missing.status_code == 404


@pytest.mark.parametrize(
    "method,rule,fields",
    [
        ("approval_budget", "greedy", {}),
        ("approval_budget", "equalshares", {}),
        ("k_approval", "greedy-threshold", {"ballot_max_choices": 2, "ballot_min_choices": 1}),
        ("cumulative", "greedy", {"ballot_points": 6, "ballot_max_points_per_project": 3}),
    ],
)
async def test_after_the_close_the_download_parses_and_counts_to_the_frozen_result(client, tmp_path, method, rule, fields):
    round_id, areas, projects, officer = await closed_round(method, rule, **fields)
    await change_phase(officer, round_id, "results")

    for area in areas:
        response = await client.get(f"/api/rounds/{round_id}/areas/{area}/votes.pb")
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.headers["content-disposition"] == f'attachment; filename="pb-round-{round_id}-area-{area}.pb"'
        path = tmp_path / f"area-{area}.pb"
        path.write_bytes(response.content)

        parsed = parse_pabulib(response.text)
        meta = parsed.meta
        assert meta["country"] == "Wales" and meta["unit"] == "Test County Council"
        assert meta["rule"] == rule and meta["currency"] == "GBP" and meta["language"] == "en"
        assert int(meta["num_votes"]) == len(parsed.votes) and int(meta["num_projects"]) == len(parsed.projects)
        if method == "cumulative":
            assert meta["vote_type"] == "cumulative" and meta["max_sum_points"] == "6" and meta["max_points"] == "3"
            assert "points" in parsed.vote_columns and "score" in parsed.project_columns
        elif method == "k_approval":
            assert meta["max_length"] == "2" and meta["min_length"] == "1" and meta["min_project_score_threshold"] == "1"
        else:
            assert meta["max_sum_cost"] == meta["budget"]
        # No personal data: a sequence number and the way of voting, nothing else about a voter.
        assert parsed.vote_columns[:2] == ["voter_id", "vote"]
        assert set(parsed.vote_columns) <= {"voter_id", "vote", "points", "voting_method"}
        assert [row[0] for row in parsed.votes] == [str(n) for n in range(1, len(parsed.votes) + 1)]
        assert {dict(zip(parsed.vote_columns, row, strict=True))["voting_method"] for row in parsed.votes} <= {
            "internet",
            "paper",
        }
        receipts = {b["receipt"] for b in await Ballot.select(Ballot.receipt)}
        assert not any(receipt in response.text for receipt in receipts)
        names = {row["name"]: row for row in parsed.projects}
        assert "name_cy" in parsed.project_columns and "category" in parsed.project_columns
        if area == areas[1]:  # £5,000.50 and £2,500.25: pounds and pence
            assert meta["budget"] == "5000.50" and names["Trees"]["cost"] == "2500.25"
            assert names["Trees"]["name_cy"] == "Coed" and names["Trees"]["category"] == "young_people"
        else:
            assert meta["budget"] == "10000" and names["Play area"]["cost"] == "6000"

        funded = await frozen_funded(round_id, area)
        assert sorted((row["project_id"] for row in parsed.projects if row["selected"] == "1"), key=int) == funded
        assert tally_selected(path, rule) == funded  # the round trip: the file counts to the frozen result

        pabutools = pytest.importorskip("pabutools.election")
        instance, profile = pabutools.parse_pabulib(str(path))
        assert len(instance) == len(parsed.projects) and len(profile) == len(parsed.votes)
        assert Fraction(str(instance.budget_limit)) == Fraction(meta["budget"])

    page = await client.get(f"/en/rounds/{round_id}/results")
    links = [a["href"] for a in BeautifulSoup(page.text, "html.parser").select("a[href$='votes.pb']")]
    assert links == [f"/api/rounds/{round_id}/areas/{area}/votes.pb" for area in areas]
    assert "Download the votes in Pabulib format (.pb)" in page.text
    open_data = await client.get("/cy/open-data")
    assert f"/api/rounds/{round_id}/areas/{areas[1]}/votes.pb" in open_data.text
    schema = (await client.get("/api/schema/openapi.json")).json()
    assert "/api/rounds/{round_id}/areas/{area_id}/votes.pb" in schema["paths"]


async def test_the_export_command_writes_one_file_per_area(tmp_path):
    round_id, areas, projects, officer = await closed_round()
    await change_phase(officer, round_id, "results")
    folder = tmp_path / "out"
    result = await run_cli("export-pabulib", str(round_id), "-o", str(folder))
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in folder.iterdir())
    assert written == sorted(f"pb-round-{round_id}-area-{area}.pb" for area in areas)
    for area in areas:
        assert tally_selected(folder / f"pb-round-{round_id}-area-{area}.pb", "greedy") == await frozen_funded(round_id, area)
    one = await run_cli("export-pabulib", str(round_id), "--area", str(areas[1]))
    assert one.returncode == 0 and one.stdout == (folder / f"pb-round-{round_id}-area-{areas[1]}.pb").read_text()
    wrong = await run_cli("export-pabulib", str(round_id), "--area", str(areas[1] + 100))
    assert wrong.returncode == 1 and "has no area" in wrong.stderr


# ---- import


async def test_import_a_small_file_counts_explains_and_exports_it_back(client, tmp_path):
    imported = await io_.import_pabulib(parse_pabulib(SMALL))
    round_row = await Round.select().where(Round.id == imported.round_id).first()
    assert round_row["phase"] == "results" and round_row["counting_rule"] == "greedy"
    assert round_row["ballot_method"] == "approval_budget"
    assert imported.ballots == 5 and imported.projects == 3
    proposals = await Proposal.select().where(Proposal.round == imported.round_id).order_by(Proposal.id)
    assert [(p["title_en"], p["status"], p["estimated_cost_pence"]) for p in proposals] == [
        ("Playground", "funded", 600_00),
        ("Benches", "not_funded", 500_00),
        ("Bins", "funded", 400_00),
    ]
    channels = sorted(b["channel"] for b in await Ballot.select(Ballot.channel).where(Ballot.round == imported.round_id))
    assert channels == ["imported"] * 4 + ["paper"]
    choices = await BallotChoice.select().where(BallotChoice.ballot.round == imported.round_id)
    assert len(choices) == 9

    page = await client.get(f"/en/rounds/{imported.round_id}/results")
    assert page.status_code == 200
    assert "after the projects above it were funded, £400 was left and it costs £500" in page.text
    assert "Imported from a Pabulib file" in page.text
    assert (await client.get(f"/cy/rounds/{imported.round_id}/results")).status_code == 200
    assert (await client.get(f"/en/rounds/{imported.round_id}")).status_code == 200
    assert (await client.get(f"/en/proposals/{proposals[0]['id']}")).status_code == 200

    text = (await client.get(f"/api/rounds/{imported.round_id}/areas/{imported.area_id}/votes.pb")).text
    parsed = parse_pabulib(text)
    assert parsed.meta["country"] == "Testland" and parsed.meta["subunit"] == "North" and parsed.meta["budget"] == "1000"
    assert parsed.meta["vote_type"] == "approval" and "max_sum_cost" not in parsed.meta
    path = tmp_path / "back.pb"
    path.write_text(text)
    assert tally_selected(path, "greedy") == [str(proposals[0]["id"]), str(proposals[2]["id"])]


async def test_a_second_import_is_refused_even_when_many_run_at_once():
    results = await asyncio.gather(*[io_.import_pabulib(parse_pabulib(SMALL)) for _ in range(8)], return_exceptions=True)
    done = [r for r in results if isinstance(r, io_.Imported)]
    refused = [r for r in results if isinstance(r, io_.PabulibImportError)]
    assert len(done) == 1 and len(refused) == 7, results
    assert "already been imported" in str(refused[0])
    assert await PabulibImport.count() == 1 and await Round.count() == 1
    assert await Ballot.count() == 5
    with pytest.raises(io_.PabulibImportError, match=f"round {done[0].round_id}"):
        await io_.import_pabulib(parse_pabulib(SMALL))
    other = await io_.import_pabulib(parse_pabulib(SMALL.replace("instance;2024", "instance;2025")))
    assert other.round_id != done[0].round_id


async def test_ordinal_and_uncountable_files_are_refused(tmp_path):
    ordinal = SMALL.replace("vote_type;approval", "vote_type;ordinal")
    with pytest.raises(io_.PabulibImportError, match="ordinal"):
        await io_.import_pabulib(parse_pabulib(ordinal))
    with pytest.raises(io_.PabulibImportError, match="does not count"):
        await io_.import_pabulib(parse_pabulib(SMALL.replace("rule;greedy", "rule;borda")))
    assert await Round.count() == 0
    path = tmp_path / "ordinal.pb"
    path.write_text(ordinal)
    result = await run_cli("import-pabulib", str(path))
    tally = CliRunner().invoke(main, ["tally", str(path)])
    assert result.returncode == 1 and tally.exit_code == 1
    assert "has ordinal (ranked) votes, which pb does not count" in result.stderr
    assert result.stderr.strip().removeprefix("Error: ") == tally.output.strip().removeprefix("Error: ")
    # With another rule named, the same file (approval) imports.
    path.write_text(SMALL.replace("rule;greedy", "rule;borda"))
    result = await run_cli(
        "import-pabulib", str(path), "--rule", "equalshares", "--title-en", "Test vote", "--title-cy", "Pleidlais prawf"
    )
    assert result.returncode == 0, result.stderr
    assert "Imported ordinal.pb as round" in result.stdout and "5 ballots" in result.stdout
    row = await Round.select().first()
    assert (row["title_en"], row["title_cy"], row["counting_rule"]) == ("Test vote", "Pleidlais prawf", "equalshares")
    again = await run_cli("import-pabulib", str(path), "--rule", "equalshares")
    assert again.returncode == 1 and "already been imported" in again.stderr


async def test_wieliczka_round_trip_shows_the_official_result(client, tmp_path):
    source = read_pabulib(WIELICZKA)
    imported = await io_.import_pabulib(source, title_en="Wieliczka Green Budget 2023")
    official = [row["project_id"] for row in source.projects if row["selected"] == "1"]
    proposals = (
        await Proposal.select(Proposal.id, Proposal.status).where(Proposal.round == imported.round_id).order_by(Proposal.id)
    )
    by_file_id = {row["project_id"]: p["id"] for row, p in zip(source.projects, proposals, strict=True)}
    assert sorted(imported.funded) == sorted(by_file_id[pid] for pid in official) and len(official) == 30
    assert {p["id"] for p in proposals if p["status"] == "funded"} == set(imported.funded)
    # pb's count by the file's rule reproduces the city's: no line needs the official override.
    assert not [
        line
        for line in await ResultLine.select(ResultLine.explanation).where(ResultLine.round == imported.round_id)
        if "official" in line["explanation"]
    ]

    page = await client.get(f"/en/rounds/{imported.round_id}/results")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    projects_in_table = [row for row in soup.select("tbody tr") if row.select_one("th a")]
    assert len(soup.select("figure.pb-chart .pb-chart__row")) == len(projects_in_table)  # the chart beside the table
    funded_links = {
        int(row.select_one("th a")["href"].rsplit("/", 1)[1])
        for row in soup.select("tbody tr")
        if "Funded" in row.get_text() and row.select_one("th a")
    }
    assert funded_links == set(imported.funded)
    # Pages follow the receipts from the last one shown (keyset): forwards, and back from the end.
    first = BeautifulSoup((await client.get(f"/en/rounds/{imported.round_id}/ballots")).text, "html.parser")
    second = await client.get(first.select_one("a[rel=next]")["href"])
    assert second.status_code == 200
    receipts = [cell.get_text() for cell in first.select("tbody th code")]
    later = [cell.get_text() for cell in BeautifulSoup(second.text, "html.parser").select("tbody th code")]
    assert len(receipts) == len(later) == 50 and receipts[-1] < later[0] and receipts == sorted(receipts)
    # Past every receipt (the longest possible sorts after "ZZZZ-ZZZZ-ZZZZ"; "ZZZZ" alone did not
    # when one of the file's thousands of random receipts began with it).
    after_all = "ZZZZ-ZZZZ-ZZZZ-Z"
    last = BeautifulSoup((await client.get(f"/en/rounds/{imported.round_id}/ballots?before={after_all}")).text, "html.parser")
    assert len(last.select("tbody tr")) == 50 and last.select_one("a[rel=next]") is None
    assert last.select_one("a[rel=prev]") is not None and first.select_one("a[rel=prev]") is None

    text = (await client.get(f"/api/rounds/{imported.round_id}/areas/{imported.area_id}/votes.pb")).text
    path = tmp_path / "wieliczka.pb"
    path.write_text(text)
    exported = read_pabulib(path)
    assert exported.meta["rule"] == "equalshares/add1-comparison" and exported.meta["unit"] == "Wieliczka"
    assert len(exported.votes) == 6586
    assert tally_selected(path, "equalshares/add1-comparison") == sorted((str(i) for i in imported.funded), key=int)


async def test_the_export_lists_projects_in_lot_order_so_ties_count_the_same(tmp_path):
    round_id, areas = await make_round(phase="voting", areas=(("Riverside", "Glan yr Afon", 5_000_00),))
    officer = await make_user(email="officer@example.org", roles={"officer"})
    author = await make_user(email="author@example.org")
    first, second = [
        await make_proposal(round_id, areas[0], author, status="on_ballot", title_en=title, cost_pence=4_000_00)
        for title in ("Play area", "Benches")
    ]
    for voter, project in enumerate((first, second)):  # a tie: same cost, same votes, only one fits
        await actions.cast_ballot(round_id, areas[0], f"voter-{voter}", {project: 1}, "online", False)
    await Round.update({Round.lot_order: f"{second} {first}"}).where(Round.id == round_id)
    await change_phase(officer, round_id, "results")
    assert await frozen_funded(round_id, areas[0]) == [str(second)]  # the lot broke the tie
    text = await io_.export_area(round_id, areas[0])
    assert [row["project_id"] for row in parse_pabulib(text).projects] == [str(second), str(first)]
    path = tmp_path / "tie.pb"
    path.write_text(text)
    assert tally_selected(path, "greedy") == [str(second)]


async def test_a_files_threshold_is_kept_on_export_whatever_the_rule(tmp_path):
    """Pabulib's threshold applies to every rule: an imported greedy round with one is counted with it,
    and its export keeps it, so `pb tally` on the export gives the frozen result."""
    text = SMALL.replace("rule;greedy", "rule;greedy\nmin_project_score_threshold;3").replace(
        "project_id;cost;votes;name;selected", "project_id;cost;votes;name"
    )
    for cells in ("a;600;4;Playground", "b;500;3;Benches", "c;400;2;Bins"):
        text = text.replace(cells + (";1" if cells[0] in "ac" else ";0"), cells)
    imported = await io_.import_pabulib(parse_pabulib(text))
    exported = await io_.export_area(imported.round_id, imported.area_id)
    assert "min_project_score_threshold;3" in exported
    path = tmp_path / "threshold.pb"
    path.write_text(exported)
    # c (2 votes) is below the threshold: only a is funded, though c would fit.
    assert tally_selected(path, "greedy") == sorted(str(i) for i in imported.funded) and len(imported.funded) == 1


async def closed_area_with_ballots(size: int) -> tuple[int, list[int]]:
    """A round in its results phase with one area, three funded projects and `size` ballots,
    inserted directly a thousand at a time (fast enough for thousands)."""
    round_id, areas = await make_round(phase="results", areas=(("Riverside", "Glan yr Afon", 5_000_00),), title_en=f"Size {size}")
    author = await make_user(email=f"author{size}@example.org")
    projects = [await make_proposal(round_id, areas[0], author, status="funded", cost_pence=1_000_00) for _ in range(3)]
    await ResultLine.insert(
        *[ResultLine(round=round_id, area=areas[0], proposal=p, votes=0, cost_pence=1_000_00, funded=True) for p in projects]
    )
    for start in range(0, size, 1000):
        rows = [
            Ballot(round=round_id, area=areas[0], receipt=f"R{size}-{n:06d}", channel="online")
            for n in range(start, min(size, start + 1000))
        ]
        await Ballot.insert(*rows)
        await BallotChoice.insert(
            *[BallotChoice(ballot=row.id, proposal=projects[n % 3], points=1) for n, row in enumerate(rows)]
        )
    return round_id, areas


async def test_the_export_is_written_a_chunk_at_a_time_in_flat_memory(monkeypatch, tmp_path):
    """Constant memory in the number of ballots: 10 times the ballots, not 10 times the memory. The
    file is written once, then served from disk."""
    import tracemalloc

    monkeypatch.setattr(io_, "EXPORT_CHUNK", 200)
    monkeypatch.setattr(io_, "EXPORT_DIR", tmp_path)
    peaks = {}
    for size in (400, 4000):
        round_id, areas = await closed_area_with_ballots(size)
        tracemalloc.start()
        path = await io_.export_file(round_id, areas[0])
        peaks[size] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        exported = read_pabulib(path)
        assert len(exported.votes) == size and exported.meta["num_votes"] == str(size)
        assert [row[0] for row in exported.votes[:3]] == ["1", "2", "3"]
        assert await io_.export_file(round_id, areas[0]) == path  # kept: not written again
    assert peaks[4000] < 2 * peaks[400], peaks


async def test_an_imported_file_leaves_out_a_withdrawn_project_as_pb_tally_does(tmp_path):
    text = SMALL.replace("rule;greedy", "rule;greedy-no-skip").replace("num_projects;3", "num_projects;4")
    text = text.replace("c;400;2;Bins;1", "c;400;2;Bins;1\nw;999999999;5;Withdrawn;0").replace(
        "project_id;cost;votes;name;selected", "project_id;cost;votes;name"
    )
    for cells in ("a;600;4;Playground", "b;500;3;Benches", "c;400;2;Bins", "w;999999999;5;Withdrawn"):
        text = text.replace(cells + (";1" if cells[0] in "ac" else ";0"), cells)
    head, votes = text.split("VOTES\n")
    rows = votes.strip().split("\n")
    text = (
        head
        + "VOTES\n"
        + "\n".join([rows[0], *(row.replace(";internet", ",w;internet").replace(";paper", ",w;paper") for row in rows[1:])])
        + "\n"
    )
    path = tmp_path / "withdrawn.pb"
    path.write_text(text)
    imported = await io_.import_pabulib(parse_pabulib(text))
    titles = {row["title_en"] for row in await Proposal.select(Proposal.title_en).where(Proposal.round == imported.round_id)}
    assert titles == {"Playground", "Benches", "Bins"}
    # Counted, the withdrawn project (on every ballot, too dear) would stop greedy-no-skip at once.
    tallied = CliRunner().invoke(main, ["tally", str(path), "--json"])
    assert json.loads(tallied.output)["selected"] == ["a"] and len(imported.funded) == 1
    assert io_.count_file(parse_pabulib(text))[1].selected == ("a",)


def test_a_files_voting_dates_never_end_before_they_begin():
    planned_from, planned_results = date(2026, 6, 1), date(2026, 6, 30)
    # as planned
    assert io_.voting_dates(planned_from, planned_results, None, None) == (planned_from, planned_results)
    # opened and closed on recorded days
    assert io_.voting_dates(planned_from, planned_results, date(2026, 5, 20), date(2026, 6, 10)) == (
        date(2026, 5, 20),
        date(2026, 6, 10),
    )
    # closed before the planned opening, with no record of the opening: it began no later than it ended
    assert io_.voting_dates(planned_from, planned_results, None, date(2026, 5, 2)) == (date(2026, 5, 2), date(2026, 5, 2))


async def test_a_round_closed_before_its_planned_opening_exports_dates_in_order(tmp_path):
    round_id, areas, projects, officer = await closed_round()
    # The council opened voting early: the plan still says it opens in three weeks.
    await Round.update({Round.voting_from: date.today() + timedelta(days=21)}).where(Round.id == round_id)
    await change_phase(officer, round_id, "results")
    text = (await io_.export_file(round_id, areas[0])).read_text()
    meta = dict(line.split(";", 1) for line in text.split("PROJECTS")[0].splitlines()[1:])
    began = datetime.strptime(meta["date_begin"], "%d.%m.%Y").date()
    ended = datetime.strptime(meta["date_end"], "%d.%m.%Y").date()
    assert began <= ended == datetime.now(LOCAL_TIME).date()
