"""Equality and participation insight: the optional questionnaire, its unlinkable storage, population
baselines and the participation report."""

from pb.equality import answers, baseline_routes, demo
from pb.registry import Capability

capability = Capability(
    name="equality",
    extensions={"rounds.phase_changed": answers.phase_changed},
    routes=baseline_routes.route_handlers,
    demo=demo.seed,
)
