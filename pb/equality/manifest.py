"""Equality and participation insight: the optional questionnaire, its unlinkable storage, population
baselines and the participation report."""

from pb.equality import answers, baseline_routes, demo, question_routes, report_routes, routes, slip_routes
from pb.i18n import tc
from pb.registry import Capability

capability = Capability(
    name="equality",
    routes=[
        *routes.route_handlers,
        *slip_routes.route_handlers,
        *baseline_routes.route_handlers,
        *report_routes.route_handlers,
        *question_routes.route_handlers,
    ],
    template_filters={"answer": lambda label, lang: tc(lang, label)},
    extensions={"rounds.phase_changed": answers.phase_changed},
    demo=demo.seed,
)
