"""Accounts: registration, email confirmation, signing in and out, passwords, roles."""

from pb.accounts import routes
from pb.registry import Capability

capability = Capability(name="accounts", routes=routes.route_handlers)
