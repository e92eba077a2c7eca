"""Rounds: a participatory budgeting process, its areas and budgets, and its phases."""

from pb.registry import Capability
from pb.rounds import home, manage, phases, picture_routes, postcode_routes, queries, routes
from pb.rounds.demo import seed as demo_seed
from pb.rounds.rules import BALLOT_METHODS, COUNTING_RULES

capability = Capability(
    name="rounds",
    demo=demo_seed,
    extensions={"web.home_sections": home.open_rounds, "media.in_use": queries.picture_files},
    routes=[*routes.route_handlers, *manage.route_handlers, *postcode_routes.route_handlers, *picture_routes.route_handlers],
    template_globals=dict(
        phase_names=phases.PHASE_NAMES,
        phase_explanations=phases.PHASE_EXPLANATIONS,
        ballot_methods=BALLOT_METHODS,
        counting_rules=COUNTING_RULES,
    ),
)
