"""Moderation: reports, decisions with stated reasons, and the public transparency log."""

from pb.moderation import routes, rules
from pb.registry import Capability

capability = Capability(
    name="moderation",
    routes=routes.route_handlers,
    # The audit log names a moderator's reason by its guideline.
    template_globals=dict(moderation_reasons=rules.REASONS),
)
