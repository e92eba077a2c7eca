"""`pb tally FILE.pb`: count a Pabulib file with pb's counting rules."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pb.counting.engine import (
    COMPAT_PABUTOOLS,
    COMPAT_PB,
    GREEDY_THRESHOLD,
    RULES,
    CountingError,
    TieBreak,
    count,
    json_number,
)
from pb.counting.pabulib import PabulibError, election_from_pabulib, parse_number, read_pabulib


def _money(value) -> str:
    number = json_number(value)
    return f"{number:,}" if isinstance(number, int) else str(number)


@click.command(
    "tally",
    help=(
        "Count a Pabulib file (approval, choose-1 or cumulative votes) and print the projects selected. "
        "The rule defaults to the file's META rule."
    ),
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--rule", type=click.Choice(RULES), default=None, help="Counting rule (default: META rule).")
@click.option(
    "--compat",
    type=click.Choice([COMPAT_PB, COMPAT_PABUTOOLS]),
    default=COMPAT_PB,
    show_default=True,
    help="pabutools: reproduce the reference implementation's conventions (ties by project id as text, "
    "its add-one completion, every listed project counted once, ordinal votes read as approval).",
)
@click.option(
    "--completion",
    type=click.Choice(["utilitarian"]),
    default=None,
    help="After Equal Shares, fund what is left by votes while it fits.",
)
@click.option(
    "--threshold",
    default=None,
    help="min_project_score_threshold: projects with fewer votes (points) are not funded, whatever the rule (default: META).",
)
@click.option(
    "--ties",
    type=click.Choice(["rule", "file"]),
    default="rule",
    show_default=True,
    help="file: break ties by the order of the file's project rows, the official order when reproducing a city's "
    "result; rule: pb's published tie-break (cheaper, then more votes), or pabutools' with --compat pabutools.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON: selected project ids in order, total cost...")
def tally(
    file: Path, rule: str | None, compat: str, completion: str | None, threshold: str | None, ties: str, as_json: bool
) -> None:
    try:
        parsed = read_pabulib(file)
    except (PabulibError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{file.name} is not a Pabulib file pb can read: {exc}") from exc
    if parsed.vote_type == "ordinal" and compat != COMPAT_PABUTOOLS:
        raise click.ClickException(
            f"{file.name} has ordinal (ranked) votes, which pb does not count: pb counts approval, choose-1 and "
            "cumulative votes. (--compat pabutools reads each ranking as approval of the projects it lists, "
            "as pabutools does.)"
        )
    if parsed.vote_type == "scoring" and compat != COMPAT_PABUTOOLS:
        raise click.ClickException(
            f"{file.name} has scoring votes, which pb does not count: pb counts approval, choose-1 and cumulative "
            "votes. (--compat pabutools reads them as approval, as pabutools does.)"
        )
    try:
        election = election_from_pabulib(parsed, ordinal_as_approval=compat == COMPAT_PABUTOOLS)
    except PabulibError as exc:
        raise click.ClickException(f"{file.name}: {exc}") from exc
    chosen_rule = rule or election.rule
    if chosen_rule not in RULES:
        raise click.ClickException(
            f"{file.name}'s META rule is {election.rule!r}, which pb does not count; choose one with --rule ({', '.join(RULES)})."
        )
    limit = election.min_project_score_threshold
    if threshold is not None:
        try:
            limit = parse_number(threshold, "--threshold")
        except PabulibError as exc:
            raise click.BadParameter(str(exc), param_hint="--threshold") from exc
    if chosen_rule == GREEDY_THRESHOLD and limit is None:
        raise click.ClickException(f"{file.name} has no min_project_score_threshold in META: give --threshold.")
    projects, ballots = (election.projects, election.ballots) if compat == COMPAT_PABUTOOLS else election.without_withdrawn()
    try:
        result = count(
            projects,
            ballots,
            election.budget,
            chosen_rule,
            compat=compat,
            completion=completion,
            min_project_score_threshold=limit,
            tie_break=TieBreak(criteria=()) if ties == "file" else None,
        )
    except CountingError as exc:
        raise click.ClickException(str(exc)) from exc

    if as_json:
        data = {"file": file.name, **result.to_dict()}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{file.name}: {chosen_rule}"
        + (f" + {completion} completion" if completion else "")
        + (f" (compat {compat})" if compat != COMPAT_PB else "")
    )
    click.echo(f"Budget {_money(result.budget)}; {result.voters:,} voters; {len(result.outcomes)} projects.")
    if result.comparison is not None:
        c = result.comparison
        click.echo(
            f"Comparison with greedy: {c.prefer_equal_shares:,} voters prefer Equal Shares, "
            f"{c.prefer_greedy:,} prefer greedy: {c.chose} chosen."
        )
    score = "points" if parsed.vote_type == "cumulative" and compat == COMPAT_PB else "votes"
    click.echo(f"{'#':>3}  {'project':<16} {'cost':>14} {score:>9}")
    for project_id in result.selected:
        outcome = result.outcomes[project_id]
        value = outcome.points if score == "points" else outcome.votes
        click.echo(f"{outcome.position:>3}  {project_id:<16} {_money(outcome.cost):>14} {_money(value):>9}")
    click.echo(
        f"Selected {len(result.selected)} projects costing {_money(result.total_cost)} "
        f"of {_money(result.budget)} (left: {_money(result.budget - result.total_cost)})."
    )
