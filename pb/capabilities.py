"""The capabilities installed in pb, in dependency order (each may use those above it).

Adding a capability is one line here plus its own folder (see CONTRIBUTING.md). Everything else —
routes, tables, template names, commands, demo data — is read from each one's manifest.
"""

from __future__ import annotations

import importlib
from functools import cache

from pb.registry import Capability

INSTALLED = (
    "audit",
    "outbox",
    "accounts",
    "site",
    "rounds",
    "equality",
    "proposals",
    "moderation",
    "voting",
    "deliberation",
    "tracker",
    "opendata",
    "admin",
)


@cache
def manifests() -> tuple[Capability, ...]:
    return tuple(importlib.import_module(f"pb.{name}.manifest").capability for name in INSTALLED)


def table_modules() -> list[str]:
    """The modules holding each installed capability's Piccolo tables (found by table_finder)."""
    modules = []
    for name in INSTALLED:
        try:
            importlib.import_module(f"pb.{name}.tables")
        except ModuleNotFoundError as exc:
            if exc.name != f"pb.{name}.tables":
                raise
            continue
        modules.append(f"pb.{name}.tables")
    return modules
