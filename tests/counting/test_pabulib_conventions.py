"""Pabulib's conventions that decide official outcomes, which pb honours and pabutools does not.

A review ran `pb tally` over the public Pabulib corpus: the files that missed their official outcome
missed it because of these conventions. The small files here are built the way those files are
(sources: Gdynia 2020 Orłowo and Gdynia 2023 Kamienna Góra combine greedy-no-skip with a META
min_project_score_threshold; Wrocław 2017 area 11 marks a withdrawn project with the cost
999999999; four files differ from pb's result only by a tie, which the city broke by the order of
the project rows). Under `--compat pabutools` pb keeps pabutools' own conventions, checked against
pabutools itself.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pb.cli import main
from pb.counting.engine import Project, count
from pb.counting.pabulib import election_from_pabulib, format_pabulib, parse_pabulib

pytestmark = pytest.mark.pure


def pabulib_file(tmp_path, meta: dict, projects: list[tuple[str, int]], votes: list[list[str]]):
    text = format_pabulib(
        {"description": "test", "country": "Poland", "unit": "Test", "instance": "2026", "vote_type": "approval", **meta},
        [{"project_id": p, "cost": c} for p, c in projects],
        [{"voter_id": str(i), "vote": v} for i, v in enumerate(votes)],
    )
    path = tmp_path / "test.pb"
    path.write_text(text, encoding="utf-8")
    return path


def tally(path, *args) -> dict:
    result = CliRunner().invoke(main, ["tally", str(path), "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_meta_threshold_applies_to_every_rule_not_only_greedy_threshold(tmp_path):
    # "fringe" has 2 votes, under the threshold of 3: greedy-no-skip reaches it with money left and
    # would fund it; the city did not.
    votes = [["big", "fringe"], ["big", "fringe"], ["big", "small"], ["small"], ["small"]]
    projects = [("big", 60), ("fringe", 10), ("small", 30)]
    path = pabulib_file(tmp_path, {"budget": 100, "rule": "greedy-no-skip", "min_project_score_threshold": 3}, projects, votes)
    result = tally(path)
    assert result["selected"] == ["small", "big"]
    fringe = next(p for p in result["projects"] if p["project_id"] == "fringe")
    assert (fringe["reason"], fringe["threshold"]) == ("below-threshold", 3)
    assert tally(path, "--threshold", "0")["selected"] == ["small", "big", "fringe"]


@pytest.mark.parametrize("rule", ["equalshares", "equalshares/add1", "greedy"])
def test_below_the_threshold_nothing_is_funded_whatever_the_rule(rule):
    projects = [Project("popular", 40), Project("niche", 10)]
    ballots = [{"popular"}] * 5 + [{"niche"}] * 2
    assert "niche" in count(projects, ballots, 100, rule).selected
    result = count(projects, ballots, 100, rule, min_project_score_threshold=3)
    assert "niche" not in result.selected and "popular" in result.selected
    assert result.outcomes["niche"].reason == "below-threshold"
    # pabutools applies a threshold to greedy-threshold only: so does pb under its compat.
    assert "niche" in count(projects, ballots, 100, rule, compat="pabutools", min_project_score_threshold=3).selected


def test_a_withdrawn_project_costing_999999999_is_not_counted(tmp_path):
    projects = [("a", 40), ("withdrawn", 999_999_999), ("b", 30)]
    votes = [["withdrawn", "a"], ["withdrawn", "a"], ["withdrawn", "b"], ["b"]]
    path = pabulib_file(tmp_path, {"budget": 100, "rule": "greedy-no-skip"}, projects, votes)
    result = tally(path)
    assert sorted(result["selected"]) == ["a", "b"]  # a and b both have 2 votes: the cheaper, b, first
    assert "withdrawn" not in {p["project_id"] for p in result["projects"]}
    assert tally(path, "--compat", "pabutools")["selected"] == []  # pabutools counts it, and stops there
    election = election_from_pabulib(parse_pabulib(path.read_text(encoding="utf-8")))
    kept, ballots = election.without_withdrawn()
    assert [p.id for p in kept] == ["a", "b"] and ballots[0] == frozenset({"a"})


def test_ties_can_follow_the_order_of_the_files_project_rows(tmp_path):
    # Two projects tie on votes; only one fits. pb's rule funds the cheaper ("cheap", listed
    # second); the file's order funds "first".
    projects = [("first", 60), ("cheap", 50)]
    votes = [["first"], ["cheap"]]
    path = pabulib_file(tmp_path, {"budget": 70, "rule": "greedy"}, projects, votes)
    assert tally(path)["selected"] == ["cheap"]
    assert tally(path, "--ties", "file")["selected"] == ["first"]
    assert tally(path, "--ties", "file")["tie_break"] == {"criteria": [], "lot": []}


@pytest.mark.parametrize("rule", ["equalshares", "equalshares/add1"])
def test_under_pabutools_compat_equal_shares_never_buys_a_project_costing_nothing(rule):
    pabutools = pytest.importorskip("pabutools.rules")
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance
    from pabutools.election import Project as PabuProject

    projects = [Project("free", 0), Project("paid", 40), Project("other", 30)]
    ballots = [{"free", "paid"}] * 3 + [{"other", "free"}] * 2
    objects = {p.id: PabuProject(p.id, p.cost) for p in projects}
    instance = Instance(objects.values(), budget_limit=100)
    profile = ApprovalProfile([ApprovalBallot({objects[k] for k in b}) for b in ballots])
    increment = 1 if rule.endswith("add1") else None
    expected = [
        p.name for p in pabutools.method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=increment)
    ]
    result = count(projects, ballots, 100, rule, compat="pabutools")
    assert "free" not in expected
    assert sorted(result.selected) == sorted(expected)
    assert "free" in count(projects, ballots, 100, rule).selected  # pb's own rounds: supported and free, so bought


def test_pb_tally_starts_without_the_web_stack(tmp_path):
    # Start-up is most of a small file's count: `pb tally` loads counting only, never Litestar,
    # the database layer or the templates (the capability commands load when another is asked for).
    import subprocess
    import sys

    path = pabulib_file(tmp_path, {"budget": 100, "rule": "greedy"}, [("a", 40), ("b", 30)], [["a"], ["b"]])
    code = (
        "import sys\n"
        "from pb.cli import main\n"
        f"try:\n    main(['tally', {str(path)!r}, '--json'])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('litestar', 'piccolo', 'jinja2', 'numpy') if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(done.stdout)["selected"] == ["b", "a"]
    assert done.stderr.strip() == "[]"
