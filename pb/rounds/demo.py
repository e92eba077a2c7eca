"""Demo rounds of a demo council with three areas: the Neighbourhood Fund 2027 (in review: the
proposals demo reviews it and moves it on to its shortlist), the Youth Fund 2027 (open for
proposals), and the Town Centre Fund 2026 and Green Spaces Fund 2025 (at their shortlists: the
voting demo opens their votes, and counts the older one)."""

from __future__ import annotations

import io
from datetime import date, timedelta

from PIL import Image, ImageDraw

from pb import images
from pb.rounds.actions import replace_postcodes
from pb.rounds.tables import Area, AreaPostcode, Round
from pb.web import pictures

AREAS = [("Aberafon", "Aberafon", 60_000_00), ("Bryncoed", "Bryncoed", 45_000_00), ("Glanymor", "Glan-y-môr", 35_000_00)]

NEIGHBOURHOOD = ("Neighbourhood Fund 2027", "Cronfa'r Gymdogaeth 2027")
YOUTH = ("Youth Fund 2027", "Cronfa Ieuenctid 2027")
TOWN_CENTRE = ("Town Centre Fund 2026", "Cronfa Canol y Dref 2026")
GREEN_SPACES = ("Green Spaces Fund 2025", "Cronfa Mannau Gwyrdd 2025")


def _voting_description(title_en: str, title_cy: str) -> tuple[str, str]:
    return (
        f"{title_en}: residents proposed projects, community sessions agreed the shortlist, and everyone aged 16 or over "
        "who lives in the three areas can vote.",
        f"{title_cy}: cynigiodd trigolion brosiectau, cytunodd sesiynau cymunedol ar y rhestr fer, a gall pawb 16 oed neu'n hŷn "
        "sy'n byw yn y tair ardal bleidleisio.",
    )


ROUNDS = [
    # (titles, phase, first day, description, minimum age)
    (
        NEIGHBOURHOOD,
        "review",
        date(2026, 9, 7),
        (
            "£140,000 for projects chosen by the people of Aberafon, Bryncoed and Glan-y-môr. Residents proposed projects; "
            "council officers checked them; now community sessions are agreeing the shortlist for the vote.",
            "£140,000 ar gyfer prosiectau a ddewisir gan bobl Aberafon, Bryncoed a Glan-y-môr. Cynigiodd trigolion brosiectau; "
            "gwiriodd swyddogion y cyngor nhw; nawr mae sesiynau cymunedol yn cytuno ar y rhestr fer ar gyfer y bleidlais.",
        ),
        16,
    ),
    (
        YOUTH,
        "proposals",
        date(2026, 11, 2),
        (
            "£140,000 for projects proposed and chosen by young people aged 11 to 25.",
            "£140,000 ar gyfer prosiectau a gynigir ac a ddewisir gan bobl ifanc 11 i 25 oed.",
        ),
        11,
    ),
    (TOWN_CENTRE, "shortlist", date(2026, 5, 4), _voting_description(*TOWN_CENTRE), 16),
    (GREEN_SPACES, "shortlist", date(2025, 5, 5), _voting_description(*GREEN_SPACES), 16),
]


async def seed() -> None:
    for (title_en, title_cy), phase, start, (description_en, description_cy), min_age in ROUNDS:
        if await Round.exists().where(Round.title_en == title_en):
            continue
        days = [start + timedelta(weeks=w) for w in (0, 6, 10, 14, 17, 20)]
        row = Round(
            title_en=title_en,
            title_cy=title_cy,
            description_en=description_en,
            description_cy=description_cy,
            phase=phase,
            ballot_method="approval_budget",
            counting_rule="equalshares/add1",
            min_age=min_age,
            proposals_from=days[0],
            review_from=days[1],
            shortlist_from=days[2],
            voting_from=days[3],
            results_from=days[4],
            delivery_from=days[5],
        )
        await Round.insert(row)
        await Area.insert(
            *[
                Area(round=row.id, name_en=name_en, name_cy=name_cy, budget_pence=budget, position=position)
                for position, (name_en, name_cy, budget) in enumerate(AREAS)
            ]
        )
    await _postcodes()
    await _picture()


async def _picture() -> None:
    """The Neighbourhood Fund's picture (drawn here: no files from outside), as an officer's upload is."""
    files = pictures.store_processed(images.process(_terrace()))
    columns = images.picture_columns(
        files,
        "A drawn street of terraced houses in many colours, with hills behind",
        "Stryd o dai teras mewn llawer o liwiau wedi'i thynnu, gyda bryniau y tu ôl",
    )
    await Round.update(columns).where((Round.title_en == NEIGHBOURHOOD[0]) & (Round.picture_full == ""))


def _terrace() -> bytes:
    picture = Image.new("RGB", (1200, 700), (160, 205, 235))
    draw = ImageDraw.Draw(picture)
    draw.polygon([(0, 420), (300, 230), (620, 400), (900, 250), (1200, 380), (1200, 700), (0, 700)], fill=(90, 150, 80))
    colours = [(200, 60, 60), (240, 200, 80), (90, 140, 200), (230, 140, 170), (120, 190, 150), (250, 240, 220)]
    for index in range(8):
        left = index * 150
        draw.rectangle((left, 380, left + 150, 640), fill=colours[index % len(colours)], outline=(60, 60, 60))
        draw.rectangle((left + 55, 540, left + 95, 640), fill=(70, 50, 40))
        draw.rectangle((left + 20, 420, left + 60, 470), fill=(230, 240, 250))
        draw.rectangle((left + 90, 420, left + 130, 470), fill=(230, 240, 250))
    draw.rectangle((0, 350, 1200, 380), fill=(80, 80, 90))
    draw.rectangle((0, 640, 1200, 700), fill=(110, 110, 110))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()


# The Youth Fund's postcode list (illustrative postcodes of the demo council): who votes in it will
# give a postcode, and the area follows from it.
DEMO_POSTCODES = {
    "Aberafon": ("SA12 7AA", "SA12 7AB"),
    "Bryncoed": ("SA12 8BA", "SA12 8BB"),
    "Glanymor": ("SA12 9CA", "SA12 9CB"),
}


async def _postcodes() -> None:
    found = await demo_round(YOUTH[0])
    if found is None or await AreaPostcode.exists().where(AreaPostcode.round == found[0]):
        return
    names = {row["id"]: row["name_en"] for row in await Area.select(Area.id, Area.name_en).where(Area.round == found[0])}
    rows = [(postcode, area_id) for area_id, name in names.items() for postcode in DEMO_POSTCODES.get(name, ())]
    await replace_postcodes(None, found[0], rows)


async def demo_round(title_en: str) -> tuple[int, str, list[int]] | None:
    """A demo round's id, phase and area ids (in order), if loaded."""
    row = await Round.select(Round.id, Round.phase).where(Round.title_en == title_en).first()
    if row is None:
        return None
    areas = await Area.select(Area.id).where(Area.round == row["id"]).order_by(Area.position)
    return row["id"], row["phase"], [area["id"] for area in areas]
