"""Accounts: registration, email confirmation, signing in and out, passwords, roles, sessions, and
notification preferences with daily digests."""

from pb.accounts import notifications, routes
from pb.accounts.cli import purge
from pb.accounts.demo import seed as demo_seed
from pb.accounts.notifications_cli import send_digests
from pb.accounts.sessions import run_purge
from pb.registry import Capability

capability = Capability(
    name="accounts",
    demo=demo_seed,
    routes=routes.route_handlers,
    commands=(purge, send_digests),
    background=(run_purge, notifications.run_digests),
    extensions={"outbox.notification": notifications.divert},
)
