"""Moderation: reports, decisions with stated reasons, and the public transparency log."""

from pb.moderation import appeal_routes, demo, note_routes, notes, routes, rules, transparency_routes, watch, watch_routes
from pb.registry import Capability

capability = Capability(
    name="moderation",
    routes=[
        *routes.route_handlers,
        *appeal_routes.route_handlers,
        *transparency_routes.route_handlers,
        *watch_routes.route_handlers,
        *note_routes.route_handlers,
    ],
    demo=demo.seed,
    # The audit log names a moderator's reason by its guideline; the guidelines say how long an appeal may wait.
    template_globals=dict(moderation_reasons=rules.REASONS, moderation_appeal_days=rules.APPEAL_DAYS),
    # New content containing a watch-list term is held for a moderator.
    extensions={
        "proposals.hold": watch.hold_reason,
        # A note from the moderators beside content they kept with a note, and information from the
        # council beside a proposal or comment (one section function per capability).
        "proposals.page_sections": notes.page_section,
    },
)
