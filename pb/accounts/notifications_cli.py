"""`pb send-digests`: the daily digests, for a council that wants them from cron as well as from the
app's own hourly look (pb.accounts.notifications). Safe to run often: one digest a person a day."""

from __future__ import annotations

import asyncio

import click


@click.command(
    "send-digests",
    help="Queue each person's daily digest of held emails (at most one a person a day; the app also does it hourly).",
)
def send_digests() -> None:
    from pb import db
    from pb.accounts import notifications
    from pb.config import ConfigError, get_settings

    try:
        get_settings().check()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc

    async def run() -> int:
        await db.start(pool_size=2)
        try:
            return await notifications.send_digests()
        finally:
            await db.stop()

    click.echo(f"Digests queued: {asyncio.run(run())}.")
