"""`pb send-vote-reminders`: the closing reminders, for a council that wants them from cron as well as
from the app's own hourly look (pb.voting.reminders)."""

from __future__ import annotations

import click

from pb.voting.pabulib_cli import _check, _with_database


@click.command(
    "send-vote-reminders",
    help="Remind followers who have not voted that voting closes in two days (safe to run often; the app also does it hourly).",
)
def send_vote_reminders() -> None:
    _check()

    async def work() -> int:
        from pb.rounds.queries import today
        from pb.voting.reminders import send_closing_reminders

        return await send_closing_reminders(today())

    written = _with_database(work)
    click.echo(f"Reminders queued: {written}.")
