"""Ballot validity and eligibility: pure functions of plain values, tested directly.

A ballot is a mapping of project id -> points (1 for an approval). Errors are message ids with
values, so the page can say exactly what is wrong (for example how far over budget a ballot is)."""

from __future__ import annotations

from dataclasses import dataclass

from pb.fields import is_digits
from pb.i18n import N_


@dataclass(frozen=True)
class BallotRules:
    method: str  # approval_budget, k_approval, cumulative
    budget_pence: int
    max_choices: int | None = None
    min_choices: int | None = None
    points: int | None = None
    max_points_per_project: int | None = None


MONEY_VALUES = ("total", "over", "budget")  # the values of a Problem that are amounts in pence


@dataclass(frozen=True)
class Problem:
    message: str
    values: dict

    def __init__(self, message: str, **values) -> None:
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "values", values)


def read_choices(form_items: list[tuple[str, str]], method: str) -> tuple[dict[int, int], list[Problem]]:
    """Turn form fields into {project: points}: checkboxes named `choice` for approvals, inputs
    named `points-<id>` for cumulative ballots. Malformed values are problems, not crashes."""
    chosen: dict[int, int] = {}
    problems: list[Problem] = []
    for name, value in form_items:
        if method != "cumulative" and name == "choice":
            if is_digits(value) and len(value) < 10:
                chosen[int(value)] = 1
            else:
                problems.append(Problem(N_("One of the choices is not a project on this ballot")))
        elif method == "cumulative" and name.startswith("points-"):
            project = name.removeprefix("points-")
            text = value.strip()
            if not text or text == "0":
                continue
            if not (is_digits(project) and len(project) < 10 and is_digits(text) and len(text) < 6):
                problems.append(Problem(N_("Enter points as whole numbers")))
                continue
            chosen[int(project)] = int(text)
    return chosen, problems


def check_ballot(chosen: dict[int, int], costs: dict[int, int], rules: BallotRules) -> list[Problem]:
    """Why a ballot cannot be cast, or [] when it can. `costs` are the projects on this ballot."""
    problems: list[Problem] = []
    unknown = [project for project in chosen if project not in costs]
    if unknown:
        problems.append(Problem(N_("One of the choices is not a project on this ballot")))
    if not chosen:
        problems.append(Problem(N_("Choose at least one project")))
        return problems
    if rules.method == "approval_budget":
        total = sum(costs.get(project, 0) for project in chosen)
        if total > rules.budget_pence:
            problems.append(
                Problem(
                    N_(
                        "Your choices cost %(total)s, which is %(over)s more than the %(budget)s available. Remove a project or choose cheaper ones."
                    ),
                    total=total,
                    over=total - rules.budget_pence,
                    budget=rules.budget_pence,
                )
            )
    elif rules.method == "k_approval":
        if rules.max_choices is not None and len(chosen) > rules.max_choices:
            problems.append(
                Problem(
                    N_("Choose no more than %(most)s projects. You have chosen %(chosen)s."),
                    most=rules.max_choices,
                    chosen=len(chosen),
                )
            )
        if rules.min_choices and len(chosen) < rules.min_choices:
            problems.append(
                Problem(
                    N_("Choose at least %(least)s projects. You have chosen %(chosen)s."),
                    least=rules.min_choices,
                    chosen=len(chosen),
                )
            )
    elif rules.method == "cumulative":
        total = sum(chosen.values())
        if rules.points is not None and total > rules.points:
            problems.append(
                Problem(
                    N_("You have given %(given)s points, but you have %(points)s to spread."), given=total, points=rules.points
                )
            )
        if rules.max_points_per_project is not None and any(p > rules.max_points_per_project for p in chosen.values()):
            problems.append(Problem(N_("Give no more than %(most)s points to one project."), most=rules.max_points_per_project))
    return problems


def ballot_rules(round_row: dict, area_row: dict) -> BallotRules:
    return BallotRules(
        method=round_row["ballot_method"],
        budget_pence=area_row["budget_pence"],
        max_choices=round_row["ballot_max_choices"],
        min_choices=round_row["ballot_min_choices"],
        points=round_row["ballot_points"],
        max_points_per_project=round_row["ballot_max_points_per_project"],
    )


# Only a vote cast with an account can be replaced, and only where the round allows it: a voting
# code is one-time (whoever finds a used letter must not overwrite a neighbour's vote), and a paper
# sheet or an assisted vote cannot be taken back by the person who cast it.
REPLACEABLE_CHANNELS = frozenset({"online"})


def may_replace(round_allows_revote: bool, channel: str) -> bool:
    """Whether a second vote on this channel replaces the voter's first, rather than being refused."""
    return round_allows_revote and channel in REPLACEABLE_CHANNELS


def eligibility_problems(area_id: int | None, eligible_areas: set[int], age_confirmed: bool, min_age: int) -> dict[str, str]:
    """Declared eligibility: the person lives in one of the round's areas and is old enough."""
    problems: dict[str, str] = {}
    if area_id not in eligible_areas:
        problems["area"] = N_("Choose the area you live in")
    if min_age and not age_confirmed:
        problems["age"] = N_("Confirm you are old enough to vote in this round")
    return problems


def postcode_problem(typed: str, postcode: str | None, area_id: int | None, eligible_areas: set[int]) -> str | None:
    """Where a round has the council's postcode list, the area follows from the postcode: what is
    wrong with the one given (`postcode` is it normalised, None if it is not a postcode; `area_id`
    the area the list puts it in)."""
    if not typed.strip():
        return N_("Enter your postcode")
    if postcode is None:
        return N_("Enter a real postcode, like CF10 1AA")
    if area_id not in eligible_areas:
        return N_("That postcode is not in any of this round's areas. Check it, or contact the council")
    return None


RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I, so it can be read aloud and typed


def new_receipt(random_bytes: bytes) -> str:
    """A receipt like 'K7QF-9M2P-XW4T' from 12 random bytes (60 bits)."""
    value = int.from_bytes(random_bytes, "big")
    chars = []
    for _ in range(12):
        value, index = divmod(value, len(RECEIPT_ALPHABET))
        chars.append(RECEIPT_ALPHABET[index])
    code = "".join(chars)
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"
