"""Capabilities declare themselves once; the app, the Piccolo app, the CLI, the demo and the tests
read what they declared.

Each capability package `pb/<name>/` has a `manifest.py` whose `capability` is a `Capability`:
its routers, template globals, CLI commands, demo seed, open-data routers and the extensions it
offers to capabilities below it. Its tables are found in `pb/<name>/tables.py` (or a `tables`
package) by Piccolo's table_finder, so a table cannot be forgotten. The list of installed
capabilities is `pb.capabilities.INSTALLED`: adding a capability is one line there.

Extensions let a lower capability call into a higher one without importing it (layers point one
way): the lower one names an extension point ("rounds.phase_change"), a higher one's manifest
provides a function for it, and the lower one asks `extensions(point)` for them at run time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Capability:
    name: str
    # Route handlers and routers mounted under /{lang}/ (pages in both languages).
    routes: Sequence[Any] = ()
    # Route handlers and routers mounted at the root (the open-data API under /api).
    root_routes: Sequence[Any] = ()
    # Names every template can use (vocabularies: statuses, phases, themes), as message ids.
    template_globals: Mapping[str, Any] = field(default_factory=dict)
    # Jinja filters (formatting this capability's values), by name.
    template_filters: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    # click commands added to the `pb` command.
    commands: Sequence[Any] = ()
    # Demo data for this capability, run by `pb demo` in the order capabilities are installed.
    demo: Callable[[], Awaitable[None]] | None = None
    # Functions this capability offers at extension points of capabilities below it.
    extensions: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    # Background tasks run for the app's lifetime (each an async function of (settings, stop_event)).
    background: Sequence[Callable[..., Coroutine[Any, Any, None]]] = ()


_installed: tuple[Capability, ...] = ()


def install(capabilities: Sequence[Capability]) -> None:
    """Make these capabilities' extensions visible (done once by create_app, the CLI and the tests)."""
    global _installed
    _installed = tuple(capabilities)


def installed() -> tuple[Capability, ...]:
    return _installed


def extensions(point: str) -> list[Callable[..., Any]]:
    """Every installed capability's function for an extension point, in installation order."""
    return [cap.extensions[point] for cap in _installed if point in cap.extensions]


async def every(seconds: float, work: Callable[[], Awaitable[Any]], stop: Any, log: Any, what: str) -> None:
    """A background task's loop: do `work` at once, then every `seconds`, until `stop` (an
    asyncio.Event) is set; a failure is logged and tried again next time."""
    import asyncio

    while not stop.is_set():
        try:
            await work()
        except Exception:
            log.exception("%s failed; will try again", what)
        try:
            await asyncio.wait_for(stop.wait(), timeout=seconds)
        except TimeoutError:
            pass
