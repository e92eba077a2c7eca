"""Administration: users and roles, the audit log, the outbox, and staff dashboards."""

from pb.admin import participation_routes, routes
from pb.registry import Capability

capability = Capability(name="admin", routes=[*routes.route_handlers, *participation_routes.route_handlers])
