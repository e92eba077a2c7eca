"""The `pb` command: run, migrate, demo, create-user."""

from __future__ import annotations

import getpass
import sys

import click

from pb.config import ConfigError, get_settings


def _run(coro):
    import asyncio

    return asyncio.run(coro)


def _check() -> None:
    """Settings are valid, and the database they name is the one pb uses."""
    try:
        get_settings().check()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


# Commands that never touch the database (so they start without loading every table).
NO_DATABASE = {"tally"}


class _Commands(click.Group):
    """The capabilities' commands are loaded when first needed, so `pb tally` (pure counting)
    starts without the web stack."""

    loaded = False

    def _load(self) -> None:
        if not self.loaded:
            self.loaded = True
            _add_capability_commands()

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name == "tally" and not self.loaded:
            from pb.counting.tally import tally

            return tally
        self._load()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load()
        return super().list_commands(ctx)


@click.group(
    cls=_Commands, help="pb: participatory budgeting and a 'you said, we did' tracker. Settings come from PB_* variables."
)
@click.pass_context
def main(ctx: click.Context) -> None:
    # Every command of every capability works on the database PB_DATABASE_URL names.
    if ctx.invoked_subcommand not in NO_DATABASE:
        from pb.piccolo_app import configure_database

        configure_database(get_settings().database_url)


@main.command("run", help="Serve pb (uvicorn). Several workers need PostgreSQL.")
@click.option("--host", default=None, help="Address to listen on (PB_HOST, default 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (PB_PORT, default 8000).")
@click.option("--workers", default=None, type=int, help="Worker processes (PB_WORKERS, default 1).")
def run(host: str | None, port: int | None, workers: int | None) -> None:
    import uvicorn

    _check()
    settings = get_settings()
    uvicorn.run(
        "pb.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        proxy_headers=settings.production,
        forwarded_allow_ips=settings.trusted_proxies,
        access_log=False,  # request lines can carry tokens in paths; pb logs what it needs itself
        log_level="info",
    )


main.add_command(run, "serve")


@main.command(help="Create or update the database tables (runs every migration not yet run).")
def migrate() -> None:
    from pb import db

    _check()
    _run(db.migrate())
    click.echo("Database is up to date.")


@main.command(help="Load demo data: one account of each role (safe to run again).")
def demo() -> None:
    from pb.demo import load_demo

    _check()
    if get_settings().production:
        raise click.ClickException("pb demo is for development only: its passwords are published.")
    from pb.accounts.demo import DEMO_ACCOUNTS

    _run(load_demo())
    click.echo("Demo accounts (email / password):")
    for _, email, password, _, roles in DEMO_ACCOUNTS:
        click.echo(f"  {sorted(roles)[0]:<12} {email} / {password}")


@main.command("create-user", help="Create a confirmed account (or update one with the same email).")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, type=click.Choice(["resident", "facilitator", "moderator", "officer", "admin"]))
@click.option("--language", default="en", type=click.Choice(["en", "cy"]))
@click.option("--password", default=None, help="Read from the terminal (or PB_NEW_PASSWORD) when left out.")
def create_user(email: str, name: str, roles: tuple[str, ...], language: str, password: str | None) -> None:
    import os

    from pb.accounts import rules
    from pb.accounts.actions import create_user as create

    _check()
    email = rules.normalise_email(email)
    if message := rules.check_email(email):
        raise click.BadParameter(message, param_hint="--email")
    password = password or os.environ.get("PB_NEW_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            raise click.ClickException("Give --password or PB_NEW_PASSWORD when not at a terminal.")
        password = getpass.getpass("Password: ")
    if errors := rules.check_new_password(password, password, email):
        raise click.BadParameter(next(iter(errors.values())), param_hint="--password")
    user_id = _run(create(name, email, password, language, set(roles)))
    click.echo(f"User {user_id} ({email}) has roles: {', '.join(sorted(set(roles) | {'resident'}))}.")


@main.command("clean-media", help="Delete picture files no proposal, round or session uses any more (the app does it daily).")
@click.option("--min-age-hours", default=24.0, show_default=True, help="Keep unused files younger than this.")
def clean_media(min_age_hours: float) -> None:
    from pb import db
    from pb.web import media

    _check()

    async def clean() -> int:
        await db.start(pool_size=2)
        try:
            return await media.remove_unused(min_age_hours * 3600)
        finally:
            await db.stop()

    click.echo(f"Unused picture files removed: {_run(clean())}.")


def _add_capability_commands() -> None:
    from pb import registry
    from pb.capabilities import manifests

    registry.install(manifests())
    for capability in manifests():
        for command in capability.commands:
            main.add_command(command)


if __name__ == "__main__":  # pragma: no cover
    main()
