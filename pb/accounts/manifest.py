"""Accounts: registration, email confirmation, signing in and out, passwords, roles."""

from pb.accounts import routes
from pb.accounts.demo import seed as demo_seed
from pb.registry import Capability

capability = Capability(name="accounts", demo=demo_seed, routes=routes.route_handlers)
