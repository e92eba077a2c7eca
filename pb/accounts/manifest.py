"""Accounts: registration, email confirmation, signing in and out, passwords, roles, sessions."""

from pb.accounts import routes
from pb.accounts.cli import purge
from pb.accounts.demo import seed as demo_seed
from pb.accounts.sessions import run_purge
from pb.registry import Capability

capability = Capability(name="accounts", demo=demo_seed, routes=routes.route_handlers, commands=(purge,), background=(run_purge,))
