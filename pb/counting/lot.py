"""The lot order: the last tie-break, drawn when voting opens and published before any count.

Counting breaks ties by lower cost, then more votes, then this order. Drawing it at the opening (not
at the count) means nobody, the council included, can choose it knowing the votes."""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable


def draw_lot(project_ids: Iterable[int], rng: random.Random | None = None) -> list[int]:
    """A uniformly random order of the projects on the ballot (from the system's secure source)."""
    order = sorted(set(project_ids))
    (rng or secrets.SystemRandom()).shuffle(order)
    return order


def format_lot(order: Iterable[int]) -> str:
    return " ".join(str(project_id) for project_id in order)


def parse_lot(text: str | None) -> tuple[str, ...]:
    """Project ids as counting names them (strings), in lot order; anything malformed is ignored."""
    return tuple(part for part in (text or "").split() if part.isdigit())
