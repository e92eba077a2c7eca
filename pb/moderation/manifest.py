"""Moderation: reports, decisions with stated reasons, and the public transparency log."""

from pb.moderation import routes
from pb.registry import Capability

capability = Capability(name="moderation", routes=routes.route_handlers)
