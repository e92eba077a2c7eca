"""`pb send-reminders`: queue the day-before reminders for deliberative sessions.

Run it hourly (or at least daily, say at 09:00) from cron or a systemd timer. It is idempotent:
each person with a place is reminded once, on the day before the session (see
pb.deliberation.rules.reminder_due), however often it runs and from however many machines."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import click


@click.command("send-reminders", help="Queue reminders for people with a place at tomorrow's sessions (safe to run hourly).")
def send_reminders() -> None:
    from pb import db
    from pb.config import ConfigError, get_settings
    from pb.deliberation.actions import send_due_reminders

    try:
        get_settings().check()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc

    async def run() -> int:
        await db.start(pool_size=2)
        try:
            return await send_due_reminders(datetime.now(UTC))
        finally:
            await db.stop()

    sent = asyncio.run(run())
    click.echo(f"Reminders queued: {sent}.")
