"""Administration: users and roles, the audit log, the outbox."""

from pb.admin import routes
from pb.registry import Capability

capability = Capability(name="admin", routes=routes.route_handlers)
