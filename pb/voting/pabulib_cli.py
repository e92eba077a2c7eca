"""`pb import-pabulib FILE` and `pb export-pabulib ROUND_ID`: Pabulib files in and out of pb.

See pb.voting.pabulib_io for what each does and why."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import click

from pb.counting.engine import RULES


def _check() -> None:
    from pb.config import ConfigError, get_settings

    try:
        get_settings().check()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


def _with_database(work):
    """Run `work()` (a coroutine function) against the configured database, then close it."""
    from pb import db

    async def run():
        await db.start(pool_size=2)
        try:
            return await work()
        finally:
            await db.stop()

    return asyncio.run(run())


@click.command(
    "import-pabulib",
    help=(
        "Load a Pabulib file as a closed round (results phase, one area) so its votes can be browsed in pb. "
        "The outcome is the file's `selected` column where it has one, else the count by its META rule. "
        "The same election (same country, unit, subunit, district, instance and description) is imported once: "
        "a second import is refused."
    ),
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title-en", default=None, help="The round's English title (default: unit, instance and subunit).")
@click.option("--title-cy", default=None, help="The round's Welsh title (default: the English title).")
@click.option(
    "--rule", type=click.Choice(RULES), default=None, help="Counting rule for the explanations (default: the file's META rule)."
)
def import_pabulib(file: Path, title_en: str | None, title_cy: str | None, rule: str | None) -> None:
    from pb.counting.pabulib import PabulibError, read_pabulib
    from pb.voting.pabulib_io import ORDINAL_REFUSAL, PabulibImportError, count_file
    from pb.voting.pabulib_io import import_pabulib as load

    _check()
    started = time.perf_counter()
    try:
        parsed = read_pabulib(file)
    except (PabulibError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{file.name} is not a Pabulib file pb can read: {exc}") from exc
    if parsed.vote_type == "ordinal":  # the same words as `pb tally`
        raise click.ClickException(ORDINAL_REFUSAL.format(name=file.name))
    try:
        count_file(parsed, rule)  # refuse what cannot be counted before touching the database
        imported = _with_database(lambda: load(parsed, title_en=title_en, title_cy=title_cy, rule=rule))
    except PabulibImportError as exc:
        raise click.ClickException(f"{file.name}: {exc}") from exc
    click.echo(
        f"Imported {file.name} as round {imported.round_id} (area {imported.area_id}): "
        f"{imported.projects} projects, {imported.ballots:,} ballots, {len(imported.funded)} funded, "
        f"in {time.perf_counter() - started:.1f} s."
    )


@click.command(
    "export-pabulib",
    help=(
        "Write the votes of a closed round (results or delivery phase) in the Pabulib format: one file per area. "
        "With --area, one file (to -o FILE, or to standard output); without, one file per area, named "
        "pb-round-R-area-A.pb, in the directory -o DIRECTORY (default: the current directory)."
    ),
)
@click.argument("round_id", type=click.IntRange(1, 2**31 - 1))
@click.option("--area", "area_id", type=click.IntRange(1, 2**31 - 1), default=None, help="Only this area.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="A file (with --area; '-' or none: standard output) or a directory (without --area).",
)
def export_pabulib(round_id: int, area_id: int | None, output: Path | None) -> None:
    import shutil

    from pb.rounds.tables import Area
    from pb.voting.pabulib_io import PabulibExportError, export_file, file_name

    _check()

    async def work() -> list[tuple[int, Path]]:
        if area_id is not None:
            return [(area_id, await export_file(round_id, area_id))]
        areas = await Area.select(Area.id).where(Area.round == round_id).order_by(Area.position, Area.id)
        if not areas:
            raise PabulibExportError(f"there is no round {round_id} with areas")
        return [(area["id"], await export_file(round_id, area["id"])) for area in areas]

    try:
        files = _with_database(work)
    except PabulibExportError as exc:
        raise click.ClickException(f"Nothing exported: {exc}.") from exc
    # Copied from the file written a chunk at a time: memory stays flat however many ballots.
    if area_id is not None and (output is None or str(output) == "-"):
        with files[0][1].open(encoding="utf-8") as source:
            shutil.copyfileobj(source, sys.stdout)
        return
    if area_id is not None and output is not None:
        shutil.copyfile(files[0][1], output)
        click.echo(f"Wrote {output}.")
        return
    folder = output or Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    for area, made in files:
        path = folder / file_name(round_id, area)
        shutil.copyfile(made, path)
        click.echo(f"Wrote {path}.")
