"""`pb purge`: delete what pb no longer needs to keep (expired sessions, and emails whose one-time
link has expired).

The server does this itself every 15 minutes while it runs; this command is for a server that runs
with PB_OUTBOX_INTERVAL=0 (background work elsewhere), from cron or a systemd timer. Safe to run
at any time, from any number of machines."""

from __future__ import annotations

import asyncio

import click


@click.command("purge", help="Delete expired sessions and expired one-time links in emails (the server does this while it runs).")
def purge() -> None:
    from pb import db
    from pb.accounts.sessions import purge_expired
    from pb.config import ConfigError, get_settings
    from pb.outbox.actions import expire_secrets

    try:
        get_settings().check()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc

    async def run() -> tuple[int, int]:
        await db.start(pool_size=2)
        try:
            return await purge_expired(), await expire_secrets()
        finally:
            await db.stop()

    sessions, emails = asyncio.run(run())
    click.echo(f"Expired sessions deleted: {sessions}. Unsent emails whose link expired: {emails}.")
