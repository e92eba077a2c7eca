"""Validation of a round's set-up (officers): pure functions of the submitted form."""

from __future__ import annotations

from datetime import date

from pb.fields import bilingual_text, form_text, is_digits, parse_pounds
from pb.i18n import N_
from pb.rounds.phases import PHASE_DATE_FIELDS

BALLOT_METHODS = {
    "approval_budget": N_("Approval within a budget: choose projects whose total cost fits the area's budget"),
    "k_approval": N_("Choose up to a number of projects"),
    "cumulative": N_("Spread points across projects"),
}
COUNTING_RULES = {
    "greedy": N_("Greedy: most votes first, while the money lasts"),
    "greedy-no-skip": N_("Greedy, stopping at the first project that does not fit"),
    "greedy-threshold": N_("Greedy, excluding projects below a minimum score"),
    "equalshares": N_("Method of Equal Shares"),
    "equalshares/add1": N_("Method of Equal Shares, completed by raising each voter's share"),
    "equalshares/add1-comparison": N_("Method of Equal Shares with completion, compared with greedy"),
}
MAX_AREAS = 12
TITLE_MAX, DESCRIPTION_MAX = 200, 5_000

Errors = dict[str, str]


def _int(form: dict, name: str) -> int | None:
    text = form_text(form, name)
    return int(text) if is_digits(text) and len(text) < 7 else None


def validate_round(form: dict, locked_area_ids: frozenset[int] | set[int] = frozenset()) -> tuple[dict, list[dict], Errors]:
    """Check the round form. Returns (round values, areas, errors).

    Areas come as rows area-N-id / -name_en / -name_cy / -budget; blank new rows are ignored.
    `locked_area_ids` are areas with proposals, which cannot be removed.
    """
    errors: Errors = {}
    values: dict = {}
    for field, limit, missing, too_long in (
        ("title", TITLE_MAX, N_("Enter the round's title"), N_("Title must be 200 characters or fewer")),
        ("description", DESCRIPTION_MAX, N_("Describe the round"), N_("Description must be 5,000 characters or fewer")),
    ):
        texts, problems = bilingual_text(form, field, limit, too_long, missing)
        values |= texts
        errors |= problems

    method = form_text(form, "ballot_method")
    values["ballot_method"] = method
    if method not in BALLOT_METHODS:
        errors["ballot_method"] = N_("Choose how people vote")
    for name in ("ballot_max_choices", "ballot_min_choices", "ballot_points", "ballot_max_points_per_project"):
        values[name] = None
    if method == "k_approval":
        k, m = _int(form, "ballot_max_choices"), form_text(form, "ballot_min_choices")
        if not k or k < 1:
            errors["ballot_max_choices"] = N_("Enter how many projects each person may choose, as a whole number")
        values["ballot_max_choices"] = k
        if m:
            minimum = _int(form, "ballot_min_choices")
            if minimum is None or (k and minimum > k):
                errors["ballot_min_choices"] = N_("The least number of choices must be a whole number no bigger than the most")
            values["ballot_min_choices"] = minimum
    elif method == "cumulative":
        points, per = _int(form, "ballot_points"), _int(form, "ballot_max_points_per_project")
        if not points:
            errors["ballot_points"] = N_("Enter how many points each person has, as a whole number")
        if not per or (points and per > points):
            errors["ballot_max_points_per_project"] = N_("Enter the most points for one project, no more than the total")
        values["ballot_points"], values["ballot_max_points_per_project"] = points, per

    rule = form_text(form, "counting_rule")
    values["counting_rule"] = rule
    if rule not in COUNTING_RULES:
        errors["counting_rule"] = N_("Choose how votes are counted")

    # Re-voting is off unless an officer chooses it; it only ever applies to votes cast with an
    # account (a voting code, a paper sheet or an assisted vote is final: pb.voting.ballots.may_replace).
    revote = form_text(form, "allow_revote")
    values["allow_revote"] = revote == "yes"
    if revote not in ("yes", "no"):
        errors["allow_revote"] = N_("Choose whether people can change their vote")

    age = _int(form, "min_age")
    values["min_age"] = age
    if age is None or age > 120:
        errors["min_age"] = N_("Enter the minimum age as a whole number, like 16")

    previous: date | None = None
    for field in PHASE_DATE_FIELDS.values():
        text = form_text(form, field)
        try:
            day = date.fromisoformat(text)
        except ValueError:
            errors[field] = N_("Enter a real date, like 2027-03-31")
            continue
        values[field] = day
        if previous and day < previous:
            errors[field] = N_("Each phase must start on or after the one before it")
        previous = day

    areas: list[dict] = []
    seen_ids: set[int] = set()
    for index in range(MAX_AREAS):
        prefix = f"area-{index}-"
        row = {key: form_text(form, prefix + key) for key in ("id", "name_en", "name_cy", "budget")}
        area_id = int(row["id"]) if is_digits(row["id"]) else None
        if not any((row["name_en"], row["name_cy"], row["budget"])):
            continue
        budget = parse_pounds(row["budget"]) if row["budget"] else None
        if not row["name_en"] or not row["name_cy"]:
            errors[prefix + ("name_en" if not row["name_en"] else "name_cy")] = N_("Enter the area's name in Welsh and English")
        elif len(row["name_en"]) > 120 or len(row["name_cy"]) > 120:
            errors[prefix + "name_en"] = N_("Area names must be 120 characters or fewer")
        if budget is None or budget <= 0:
            errors[prefix + "budget"] = N_("Enter the area's budget in pounds, like 50000")
        if area_id is not None:
            seen_ids.add(area_id)
        areas.append(
            {
                "id": area_id,
                "name_en": row["name_en"],
                "name_cy": row["name_cy"],
                "budget_pence": budget or 0,
                "index": index,
                "budget_text": row["budget"],
            }
        )
    if not areas:
        errors["area-0-name_en"] = N_("Add at least one area with a budget")
    if locked_area_ids - seen_ids:
        errors["areas"] = N_("An area that already has proposals cannot be removed")
    return values, areas, errors
