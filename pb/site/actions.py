"""Reading and saving the site settings; each process keeps them in memory (pb.web.site)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from pb.audit.actions import record
from pb.config import Settings
from pb.db import transaction
from pb.registry import every
from pb.site.tables import SiteSettings
from pb.web import site

log = logging.getLogger("pb.site")
REFRESH = timedelta(seconds=30)  # how soon another process shows what an admin saved


async def saved() -> dict | None:
    return await SiteSettings.select().where(SiteSettings.singleton == 1).first()


async def refresh() -> None:
    site.remember(await saved())


async def save(actor_id: int, values: dict) -> None:
    """Write the settings (validated by rules.validate), audited; this process shows them at once."""
    async with transaction():
        row = await SiteSettings.select(SiteSettings.id).where(SiteSettings.singleton == 1).first()
        columns = {getattr(SiteSettings, name): value for name, value in values.items()}
        columns[SiteSettings.updated_at] = datetime.now(UTC)
        columns[SiteSettings.updated_by] = actor_id
        if row is None:
            # Two admins saving the first time at once: the unique singleton lets one insert win;
            # the other's transaction fails with Conflict and the page asks them to try again.
            await SiteSettings.insert(SiteSettings(**{column._meta.name: value for column, value in columns.items()}))
        else:
            await SiteSettings.update(columns).where(SiteSettings.id == row["id"])
        await record(actor_id, "site.settings_saved", "site:1", fields=sorted(values))
    await refresh()


async def keep_fresh(settings: Settings, stop: asyncio.Event) -> None:
    """Each process loads the settings at start-up and again every REFRESH."""
    await every(REFRESH.total_seconds(), refresh, stop, log, "loading the site settings")
