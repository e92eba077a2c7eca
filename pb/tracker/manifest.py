"""You said, we did: decisions answering community inputs, and delivery tracked over years."""

from pb.registry import Capability
from pb.tracker import actions, imports, manage, proposal_sections, routes
from pb.tracker.demo import seed as demo_seed
from pb.tracker.rules import ANSWERS, DELIVERY_STATUSES, DELIVERY_TAGS, EFFECT_TAGS, EFFECTS

capability = Capability(
    name="tracker",
    demo=demo_seed,
    routes=[*routes.route_handlers, *manage.route_handlers, *imports.route_handlers],
    template_globals=dict(
        feedback_answers=ANSWERS,
        effects=EFFECTS,
        effect_tags=EFFECT_TAGS,
        delivery_statuses=DELIVERY_STATUSES,
        delivery_tags=DELIVERY_TAGS,
    ),
    extensions={
        "proposals.page_sections": proposal_sections.what_happened,
        # Frozen results give every funded project its delivery record.
        "rounds.phase_changed": actions.results_frozen,
    },
)
