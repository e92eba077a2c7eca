"""Reading and writing Pabulib files, and `pb tally`."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from pb.cli import main
from pb.counting.engine import Project, count
from pb.counting.pabulib import (
    PabulibError,
    election_from_pabulib,
    format_number,
    format_pabulib,
    parse_number,
    parse_pabulib,
    read_pabulib,
)
from tests.pabulib_data import all_files, pabulib_path

pytestmark = pytest.mark.pure

FILES = all_files()

SAMPLE = (
    "\ufeffMETA\r\n"
    "key;value\r\n"
    "description;A test; with a semicolon\r\n"
    "country;Wales\r\n"
    "budget;1 000,50\r\n"
    "vote_type;approval\r\n"
    "rule;greedy\r\n"
    "\r\n"
    "PROJECTS\r\n"
    "project_id;cost;name;selected\r\n"
    '1;400;"Benches; and bins";1\r\n'
    "2;700,25;None;0\r\n"
    '10;300;"A ""quoted"" name";1\r\n'
    "VOTES\r\n"
    "voter_id;vote;age\r\n"
    "a;1,10;34\r\n"
    "b; 2 , 1 ;\r\n"
    "c;;None\r\n"
)


def test_a_file_with_a_bom_crlf_quotes_and_missing_values():
    pf = parse_pabulib(SAMPLE)
    assert pf.meta["budget"] == "1 000,50"
    assert pf.meta["description"] == "A test"  # an unquoted ; ends the value, as in every Pabulib reader
    assert [p["name"] for p in pf.projects] == ["Benches; and bins", "None", 'A "quoted" name']
    assert pf.vote_columns == ["voter_id", "vote", "age"]
    election = election_from_pabulib(pf)
    assert election.budget == Fraction(2001, 2)
    assert election.projects == [Project("1", 400), Project("2", Fraction(2801, 4)), Project("10", 300)]
    assert election.ballots == [frozenset({"1", "10"}), frozenset({"1", "2"}), frozenset()]
    assert election.rule == "greedy"
    assert election.official_selected == frozenset({"1", "10"})
    assert election.min_project_score_threshold is None


def test_cumulative_votes_keep_their_points():
    text = (
        "META\nkey;value\nbudget;100\nvote_type;cumulative\nmin_project_score_threshold;2\n"
        "PROJECTS\nproject_id;cost\nx;60\ny;50\n"
        "VOTES\nvoter_id;vote;points\n1;x,y;2,1\n2;y;3\n3;;\n"
    )
    election = election_from_pabulib(parse_pabulib(text))
    assert election.ballots == [{"x": 2, "y": 1}, {"y": 3}, {}]
    assert election.min_project_score_threshold == 2
    assert election.official_selected is None
    result = count(election.projects, election.ballots, election.budget, "greedy")
    assert result.points == {"x": 2, "y": 4}
    assert result.selected == ("y",)


def test_ordinal_votes_are_refused_unless_read_as_approval():
    text = "META\nkey;value\nbudget;10\nvote_type;ordinal\nPROJECTS\nproject_id;cost\na;5\nb;5\nVOTES\nvoter_id;vote\n1;b,a\n"
    with pytest.raises(PabulibError, match="ordinal"):
        election_from_pabulib(parse_pabulib(text))
    assert election_from_pabulib(parse_pabulib(text), ordinal_as_approval=True).ballots == [frozenset({"a", "b"})]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("PROJECTS\nproject_id;cost\n", "no META"),
        ("META\nkey;value\nvote_type;approval\nPROJECTS\nproject_id;cost\n", "no budget"),
        ("META\nkey;value\nbudget;10\n", "no PROJECTS"),
        ("hello\nMETA\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n", "before the first section"),
        ("META\nkey;value\nbudget;10\nMETA\nkey;value\nPROJECTS\nproject_id;cost\n", "appears twice"),
        ("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;name\n", "project_id and cost"),
    ],
)
def test_malformed_files_are_refused(text, message):
    with pytest.raises(PabulibError, match=message):
        parse_pabulib(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\na;5\nVOTES\nvoter_id;vote\n1;a,z\n", "unknown project"),
        ("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\na;five\n", "not a number"),
        ("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\na;5\na;6\n", "twice"),
        ("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\na;-5\n", "negative"),
        (
            "META\nkey;value\nbudget;10\nvote_type;cumulative\nPROJECTS\nproject_id;cost\na;5\n"
            "VOTES\nvoter_id;vote;points\n1;a;1,2\n",
            "points",
        ),
        ("META\nkey;value\nbudget;10\nvote_type;borda\nPROJECTS\nproject_id;cost\na;5\n", "vote_type"),
    ],
)
def test_malformed_elections_are_refused(text, message):
    with pytest.raises(PabulibError, match=message):
        election_from_pabulib(parse_pabulib(text))


def test_numbers_are_exact():
    assert parse_number("100000") == 100000
    assert parse_number("2,5") == Fraction(5, 2)
    assert parse_number("1 234.75") == Fraction(4939, 4)
    with pytest.raises(PabulibError):
        parse_number("nan")
    assert format_number(Fraction(5, 2)) == "2.5"
    assert format_number(7) == "7"
    with pytest.raises(ValueError):
        format_number(Fraction(1, 3))
    with pytest.raises(TypeError):
        format_number(0.5)


def test_what_is_written_reads_back_the_same():
    meta = {
        "description": "Cronfa; Glan yr Afon",
        "country": "Wales",
        "unit": "Riverside",
        "instance": "2027",
        "budget": 50_000,
        "vote_type": "cumulative",
        "rule": "equalshares/add1",
    }
    projects = [
        {"project_id": "p1", "cost": 12_000, "name": 'Play "area"; swings', "selected": 1},
        {"project_id": "p2", "cost": Fraction(30001, 2), "name": "Ardal chwarae", "selected": 0},
    ]
    votes = [
        {"voter_id": "v1", "vote": ["p1", "p2"], "points": [2, 1], "age": 34},
        {"voter_id": "v2", "vote": ["p2"], "points": [3], "age": None},
        {"voter_id": "v3", "vote": [], "points": []},
    ]
    text = format_pabulib(meta, projects, votes)
    pf = parse_pabulib(text)
    assert pf.meta["description"] == "Cronfa; Glan yr Afon"
    assert pf.meta["num_projects"] == "2" and pf.meta["num_votes"] == "3"
    assert pf.project_columns == ["project_id", "cost", "name", "selected"]
    assert pf.projects[0]["name"] == 'Play "area"; swings'
    assert pf.vote_columns == ["voter_id", "vote", "points", "age"]
    election = election_from_pabulib(pf)
    assert election.projects == [Project("p1", 12000), Project("p2", Fraction(30001, 2))]
    assert election.ballots == [{"p1": 2, "p2": 1}, {"p2": 3}, {}]
    assert election.official_selected == frozenset({"p1"})
    assert format_pabulib(pf.meta, pf.projects, list(pf.vote_dicts())).count("\n") == text.count("\n")
    with pytest.raises(ValueError, match="project_id and cost"):
        format_pabulib(meta, [{"project_id": "x"}], [])
    with pytest.raises(ValueError, match="differ in length"):
        format_pabulib(meta, projects, [{"voter_id": "v", "vote": ["p1"], "points": [1, 2]}])


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_the_real_files_agree_with_their_own_meta_and_counts(path):
    pf = read_pabulib(path)
    election = election_from_pabulib(pf, ordinal_as_approval=True)
    assert len(election.ballots) == int(pf.meta["num_votes"])
    assert len(election.projects) == int(pf.meta["num_projects"])
    cumulative = pf.vote_type == "cumulative"
    votes = {p.id: 0 for p in election.projects}
    points = {p.id: 0 for p in election.projects}
    for ballot in election.ballots:
        for project_id in ballot:
            votes[project_id] += 1
            points[project_id] += ballot[project_id] if cumulative else 1
    for row in pf.projects:
        if row.get("votes"):
            assert votes[row["project_id"]] == int(row["votes"]), row["project_id"]
        if cumulative and row.get("score"):
            assert points[row["project_id"]] == int(row["score"]), row["project_id"]


# ---- pb tally


def tally(*args: str):
    return CliRunner().invoke(main, ["tally", *args])


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "election.pb"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_tally_counts_by_the_files_rule_and_prints_json(tmp_path):
    path = write(tmp_path, SAMPLE)
    result = tally(path)
    assert result.exit_code == 0, result.output
    assert "election.pb: greedy" in result.output
    assert "Selected 2 projects costing 700" in result.output
    data = json.loads(tally(path, "--json").output)
    assert data["selected"] == ["1", "10"]
    assert data["total_cost"] == 700
    assert data["rule"] == "greedy"


def test_tally_with_another_rule_and_pabutools_conventions(tmp_path):
    path = write(tmp_path, SAMPLE)
    data = json.loads(tally(path, "--json", "--rule", "equalshares", "--compat", "pabutools").output)
    assert data["compat"] == "pabutools"
    assert data["rule"] == "equalshares"
    assert data["tie_break"]["criteria"] == ["id"]


def test_tally_refuses_ordinal_votes_unless_asked_to_read_them_as_pabutools_does(tmp_path):
    path = write(
        tmp_path,
        "META\nkey;value\nbudget;10\nvote_type;ordinal\nrule;greedy\n"
        "PROJECTS\nproject_id;cost\na;5\nb;6\nVOTES\nvoter_id;vote\n1;b,a\n2;b\n",
    )
    refused = tally(path)
    assert refused.exit_code != 0
    assert "ordinal (ranked) votes, which pb does not count" in refused.output
    data = json.loads(tally(path, "--json", "--compat", "pabutools").output)
    assert data["selected"] == ["b"]


def test_tally_asks_for_a_rule_or_threshold_it_cannot_find(tmp_path):
    path = write(
        tmp_path, "META\nkey;value\nbudget;10\nrule;unknown\nPROJECTS\nproject_id;cost\na;5\nVOTES\nvoter_id;vote\n1;a\n"
    )
    result = tally(path)
    assert result.exit_code != 0 and "--rule" in result.output
    result = tally(path, "--rule", "greedy-threshold")
    assert result.exit_code != 0 and "--threshold" in result.output
    data = json.loads(tally(path, "--json", "--rule", "greedy-threshold", "--threshold", "1").output)
    assert data["selected"] == ["a"]
    broken = write(tmp_path, "not a pabulib file")
    assert "not a Pabulib file" in tally(broken).output


def test_tally_on_a_real_file():
    result = tally(str(pabulib_path("Poland_Wieliczka_2023_Green_Budget.pb")))
    assert result.exit_code == 0, result.output
    assert "equalshares/add1-comparison" in result.output
    assert "equalshares chosen" in result.output
    assert "Selected 30 projects" in result.output
