"""`pb demo`: every installed capability's demo data, in the order capabilities are installed (each
capability's seed is its own `demo.py`, named in its manifest). Safe to run again: nothing is duplicated."""

from __future__ import annotations

from pb.capabilities import manifests


async def load_demo() -> None:
    for capability in manifests():
        if capability.demo is not None:
            await capability.demo()
