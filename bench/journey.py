"""The voting journey only (vote start, ballot, review, cast + receipt), signed in, in-process: CPU
per page and per ballot, optionally under cProfile (`--profile FILE`). Uses bench/pages.py's harness.

    PYTHONPATH=. .venv/bin/python bench/journey.py --engine postgres --requests 200 [--profile out.prof]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import functools
import os
import sys

from pages import CSRF, VOTER, cast_form, create_pg, measure, review_form_of, seed_voting_round, set_environment


async def run(args) -> dict:
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)
    url = set_environment(args.engine)
    if args.engine == "postgres":
        await create_pg(url)
    results: dict[str, dict] = {}
    profile = cProfile.Profile() if args.profile else None
    try:
        from pb import db
        from pb.app import create_app
        from pb.config import load_settings, set_settings
        from pb.demo import load_demo

        set_settings(load_settings())
        app = create_app(run_outbox=False)
        with contextlib.redirect_stdout(sys.stderr):
            await db.migrate()
        await db.start()
        await load_demo()
        round_id, area_id = await seed_voting_round()
        count = args.requests
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver") as client:
            form = await client.get("/en/sign-in")
            signed = await client.post(
                "/en/sign-in", data={"_csrf_token": CSRF.search(form.text)[1], "email": VOTER[1], "password": VOTER[2]}
            )
            assert signed.status_code == 303, signed.text[:300]
            ballot_path = f"/en/rounds/{round_id}/vote/ballot?area={area_id}&age=yes"
            review_form = review_form_of((await client.get(ballot_path)).text, area_id)
            reviewed = functools.partial(cast_form, client, round_id, review_form)

            if profile:
                profile.enable()
            results["vote start"] = await measure(client, "GET", f"/en/rounds/{round_id}/vote", count)
            results["ballot"] = await measure(client, "GET", ballot_path, count)
            results["review"] = await measure(client, "POST", f"/en/rounds/{round_id}/vote/review", count, form=review_form)
            if profile:
                profile.disable()  # the reviews done between casts are not part of the cast's figure
            results["cast + receipt"] = await measure(
                client, "POST", f"/en/rounds/{round_id}/vote/cast", max(3, count // 4), between=reviewed
            )
    finally:
        with contextlib.suppress(Exception):
            from pb import db

            await db.stop()
        if args.engine == "postgres":
            await create_pg(url, drop=True)
    if profile:
        profile.dump_stats(args.profile)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", default="")
    args = parser.parse_args()
    load = os.getloadavg()
    results = asyncio.run(run(args))
    print(f"engine {args.engine}, load average before {load}, after {os.getloadavg()}")
    for name, figures in results.items():
        print(f"{name:16} {figures['cpu_ms']:7.2f} ms CPU  {figures['per_second']:6.0f} req/s  {figures['bytes'] / 1024:5.1f} KB")
    print(f"{'per ballot':16} {sum(f['cpu_ms'] for f in results.values()):7.2f} ms CPU (the four figures added)")


if __name__ == "__main__":
    main()
