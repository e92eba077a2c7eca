"""Moderation: reports, decisions with stated reasons, and the public transparency log."""

from pb.moderation import appeal_routes, demo, public_notes, routes, rules, transparency_routes, watch, watch_routes
from pb.registry import Capability

capability = Capability(
    name="moderation",
    routes=[
        *routes.route_handlers,
        *appeal_routes.route_handlers,
        *transparency_routes.route_handlers,
        *watch_routes.route_handlers,
    ],
    demo=demo.seed,
    # The audit log names a moderator's reason by its guideline.
    template_globals=dict(moderation_reasons=rules.REASONS),
    # New content containing a watch-list term is held for a moderator.
    extensions={
        "proposals.hold": watch.hold_reason,
        # A note from the moderators beside content they kept with a note.
        "proposals.page_sections": public_notes.section,
    },
)
