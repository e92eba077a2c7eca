"""Demo proposals: 30 in every state in the Neighbourhood Fund 2027 (supports, comments, a merged
pair, a revised cost, ones not eligible with their reasons), two in the Youth Fund 2027, and the
shortlisted projects of the two demo votes. Safe to run again: a round that has proposals is left alone."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

from PIL import Image, ImageDraw

from pb import images
from pb.accounts.demo import demo_account, demo_residents
from pb.db import transaction
from pb.proposals import actions as proposal_actions
from pb.proposals.rules import search_text
from pb.proposals.tables import Comment, Proposal, ProposalEvent, ProposalImage, ProposalTheme, Support
from pb.rounds.actions import change_phase
from pb.rounds.demo import GREEN_SPACES, NEIGHBOURHOOD, TOWN_CENTRE, YOUTH, demo_round
from pb.web import pictures

# (area index, status, cost £, themes, title_en, title_cy, summary_en, summary_cy)
PROPOSALS = [
    (
        0,
        "shortlisted",
        12000,
        ["young_people", "healthier"],
        "New play area at Parc y Dre",
        "Ardal chwarae newydd ym Mharc y Dre",
        "Swings, a slide and a climbing frame for children under twelve.",
        "Siglenni, llithren a ffrâm ddringo i blant dan ddeuddeg.",
    ),
    (
        0,
        "shortlisted",
        4500,
        ["green_spaces", "resilient"],
        "Wildflower verges along Heol y Bont",
        "",
        "Sow native wildflowers on the grass verges instead of mowing them.",
        "",
    ),
    (
        0,
        "eligible",
        8000,
        ["older_people", "cohesive_communities"],
        "",
        "Clwb cinio wythnosol i bobl hŷn",
        "",
        "Cinio poeth a chwmni bob dydd Mercher yn neuadd y capel.",
    ),
    (
        0,
        "not_eligible",
        55000,
        ["transport"],
        "Resurface the whole of Stryd Fawr",
        "Ail-wynebu Stryd Fawr i gyd",
        "New tarmac for the high street from end to end.",
        "Tarmac newydd i'r stryd fawr o un pen i'r llall.",
    ),
    (
        0,
        "merged",
        3000,
        ["green_spaces"],
        "Benches by the river path",
        "Meinciau ger llwybr yr afon",
        "Three benches so older walkers can rest.",
        "Tair mainc er mwyn i gerddwyr hŷn gael gorffwys.",
    ),
    (
        0,
        "shortlisted",
        5200,
        ["green_spaces", "older_people"],
        "Seating and shade on the riverside walk",
        "Seddi a chysgod ar daith glan yr afon",
        "Benches and two trees for shade along the riverside walk.",
        "Meinciau a dwy goeden i roi cysgod ar hyd taith glan yr afon.",
    ),
    (
        0,
        "submitted",
        2500,
        ["culture_welsh_language", "young_people"],
        "",
        "Gweithdai barddoniaeth i bobl ifanc",
        "",
        "Cyfres o weithdai gyda beirdd lleol yn yr ysgol uwchradd.",
    ),
    (
        0,
        "under_review",
        18000,
        ["safety", "transport"],
        "Safer crossing outside Ysgol Aberafon",
        "Croesfan fwy diogel y tu allan i Ysgol Aberafon",
        "A raised zebra crossing and flashing signs at school times.",
        "Croesfan sebra uwch ac arwyddion sy'n fflachio adeg amser ysgol.",
    ),
    (
        0,
        "withdrawn",
        1500,
        ["arts_heritage"],
        "Blue plaque for the old tinplate works",
        "",
        "Mark the site of the tinplate works that employed half the town.",
        "",
    ),
    (
        0,
        "eligible",
        9500,
        ["sport", "more_equal"],
        "Free swimming lessons for families on low incomes",
        "Gwersi nofio am ddim i deuluoedd ar incwm isel",
        "Ten weeks of lessons for 60 children and their parents.",
        "Deg wythnos o wersi i 60 o blant a'u rhieni.",
    ),
    (
        1,
        "shortlisted",
        15000,
        ["sport", "young_people"],
        "Floodlights for the community pitch",
        "Llifoleuadau i'r cae cymunedol",
        "So teams can train on winter evenings.",
        "Er mwyn i dimau hyfforddi ar nosweithiau'r gaeaf.",
    ),
    (
        1,
        "shortlisted",
        6000,
        ["prosperous", "cohesive_communities"],
        "",
        "Marchnad fwyd leol fisol",
        "",
        "Stondinau i gynhyrchwyr lleol ar y sgwâr unwaith y mis.",
    ),
    (
        1,
        "eligible",
        7000,
        ["healthier", "older_people"],
        "Walking group with a trained leader",
        "Grŵp cerdded gydag arweinydd hyfforddedig",
        "Weekly guided walks for people getting back to exercise.",
        "Teithiau cerdded wythnosol i bobl sy'n dechrau ymarfer eto.",
    ),
    (1, "not_eligible", 20000, ["arts_heritage"], "Statue of a local rugby hero", "", "A bronze statue in the square.", ""),
    (
        1,
        "shortlisted",
        3800,
        ["globally_responsible", "resilient"],
        "Repair café in the library",
        "Caffi trwsio yn y llyfrgell",
        "Volunteers fix toasters, bikes and clothes once a month.",
        "Gwirfoddolwyr yn trwsio tostwyr, beiciau a dillad unwaith y mis.",
    ),
    (
        1,
        "submitted",
        2200,
        ["culture_welsh_language"],
        "Welsh conversation café",
        "Caffi sgwrsio Cymraeg",
        "A relaxed place for learners to practise Welsh.",
        "Lle hamddenol i ddysgwyr ymarfer eu Cymraeg.",
    ),
    (1, "under_review", 11000, ["safety"], "CCTV at the bus station", "", "Two cameras to deter anti-social behaviour.", ""),
    (
        1,
        "eligible",
        4000,
        ["young_people", "more_equal"],
        "",
        "Clwb gwaith cartref ar ôl ysgol",
        "",
        "Lle tawel gyda gwirfoddolwyr i helpu plant gyda'u gwaith cartref.",
    ),
    (1, "draft", 0, [], "Community fridge", "", "", ""),
    (
        1,
        "shortlisted",
        9000,
        ["transport", "globally_responsible"],
        "Bike shelter and repair stand at the station",
        "Cysgodfa feiciau a stand trwsio yn yr orsaf",
        "Covered parking for 20 bikes and a free repair stand.",
        "Lle parcio dan do i 20 beic a stand trwsio am ddim.",
    ),
    (
        2,
        "shortlisted",
        14000,
        ["green_spaces", "healthier"],
        "Community garden on the old bowling green",
        "Gardd gymunedol ar yr hen lawnt fowlio",
        "Raised beds, a polytunnel and a shed for tools.",
        "Gwelyau uchel, twnnel plastig a sied i offer.",
    ),
    (
        2,
        "shortlisted",
        5000,
        ["cohesive_communities", "more_equal"],
        "Warm space in the community centre",
        "Gofod cynnes yn y ganolfan gymunedol",
        "Heating and hot drinks on winter afternoons.",
        "Gwres a diodydd poeth ar brynhawniau'r gaeaf.",
    ),
    (
        2,
        "eligible",
        3000,
        ["culture_welsh_language", "arts_heritage"],
        "",
        "Gŵyl werin ar y traeth",
        "",
        "Diwrnod o gerddoriaeth werin a dawnsio ar lan y môr.",
    ),
    (
        2,
        "not_eligible",
        8000,
        ["transport"],
        "Extra bus to Swansea on Sundays",
        "Bws ychwanegol i Abertawe ar ddydd Sul",
        "One more bus each Sunday afternoon.",
        "Un bws arall bob prynhawn Sul.",
    ),
    (
        2,
        "submitted",
        6500,
        ["resilient", "safety"],
        "Beach clean-up kit and bins",
        "",
        "Litter pickers, gloves and three new bins by the promenade.",
        "",
    ),
    (
        2,
        "shortlisted",
        12500,
        ["young_people", "sport"],
        "Skate park extension",
        "Estyniad i'r parc sglefrio",
        "A bowl and two new ramps.",
        "Powlen a dwy ramp newydd.",
    ),
    (
        2,
        "eligible",
        2000,
        ["older_people", "cohesive_communities"],
        "Intergenerational storytelling sessions",
        "Sesiynau adrodd straeon rhwng cenedlaethau",
        "Older residents share local stories with primary school children.",
        "Pobl hŷn yn rhannu straeon lleol â phlant ysgol gynradd.",
    ),
    (
        2,
        "under_review",
        25000,
        ["resilient", "green_spaces"],
        "Flood defence planting at Glan-y-môr",
        "",
        "Reed beds and trees to slow water reaching the houses.",
        "",
    ),
    (2, "withdrawn", 1000, ["arts_heritage"], "", "Murlun ar wal yr hen orsaf", "", "Murlun lliwgar gan artistiaid lleol."),
    (
        2,
        "submitted",
        3500,
        ["prosperous", "young_people"],
        "Youth enterprise market stall",
        "Stondin farchnad mentergarwch ieuenctid",
        "A free stall for young people to sell what they make.",
        "Stondin am ddim i bobl ifanc werthu'r hyn maen nhw'n ei wneud.",
    ),
]

NOT_ELIGIBLE_REASONS = {
    "Resurface the whole of Stryd Fawr": (
        "The high street is maintained from the highways budget, and the cost is more than this area's whole budget.",
        "Mae'r stryd fawr yn cael ei chynnal o'r gyllideb priffyrdd, ac mae'r gost yn fwy na chyllideb gyfan yr ardal hon.",
    ),
    "Statue of a local rugby hero": (
        "Permanent public art in the square needs planning consent and a public consultation that cannot finish in time.",
        "Mae angen caniatâd cynllunio ac ymgynghoriad cyhoeddus ar gelf gyhoeddus barhaol yn y sgwâr, ac ni ellir eu gorffen mewn pryd.",
    ),
    "Extra bus to Swansea on Sundays": (
        "Bus services are run by the regional transport authority, not by the council, so this fund cannot pay for them.",
        "Yr awdurdod trafnidiaeth rhanbarthol sy'n rhedeg gwasanaethau bws, nid y cyngor, felly ni all y gronfa hon dalu amdanynt.",
    ),
}

COMMENTS = [
    ("Great idea: the nearest playground is two miles away.", None),
    ("Syniad gwych. Byddai fy wyrion wrth eu bodd.", None),
    ("Could it include equipment for disabled children too?", 0),
    ("Yes, the plan includes a wheelchair-accessible roundabout.", 2),
    ("I worry about noise for the houses next to the park.", None),
]


VOTING_PROJECTS = [
    # (area index, cost £, title_en, title_cy)
    (0, 18000, "Shop-front improvement grants", "Grantiau i wella blaenau siopau"),
    (0, 9000, "Planters and benches on Stryd y Farchnad", "Planwyr a meinciau ar Stryd y Farchnad"),
    (0, 12000, "Free public toilets in the market hall", "Toiledau cyhoeddus am ddim yn neuadd y farchnad"),
    (0, 6000, "Christmas lights in Welsh and English", "Goleuadau Nadolig yn Gymraeg ac yn Saesneg"),
    (0, 25000, "Covered seating at the bus station", "Seddi dan do yn yr orsaf fysiau"),
    (1, 15000, "Pop-up youth café", "Caffi ieuenctid dros dro"),
    (1, 8000, "Cycle racks across the town centre", "Raciau beiciau ar draws canol y dref"),
    (1, 20000, "Accessible footpath to the station", "Llwybr hygyrch i'r orsaf"),
    (1, 5000, "Monthly craft market", "Marchnad grefftau fisol"),
    (2, 14000, "Seafront shelters repaired", "Trwsio'r cysgodfeydd ar lan y môr"),
    (2, 7000, "Outdoor gym by the promenade", "Campfa awyr agored ger y promenâd"),
    (2, 11000, "Beach wheelchair to borrow", "Cadair olwyn traeth i'w benthyg"),
    (2, 4000, "Heritage trail signs", "Arwyddion llwybr treftadaeth"),
]


YOUTH_PROPOSALS = [
    ("Gaming club at the youth centre", "Clwb gemau yn y ganolfan ieuenctid", 3000),
    ("Music studio in a shipping container", "Stiwdio gerddoriaeth mewn cynhwysydd", 16000),
]

# How each demo state was reached, as the status history shows it.
HISTORY = {
    "under_review": ["under_review"],
    "eligible": ["under_review", "eligible"],
    "not_eligible": ["under_review", "not_eligible"],
    "shortlisted": ["under_review", "eligible", "shortlisted"],
    "withdrawn": ["withdrawn"],
    "merged": ["under_review"],  # then merged by the real action
}


async def seed() -> None:
    officer = await demo_account("officer")
    people = await demo_residents()
    if officer is None or not people:
        return
    found = await demo_round(NEIGHBOURHOOD[0])
    if found and found[1] == "review" and not await Proposal.exists().where(Proposal.round == found[0]):
        await _neighbourhood(officer, people, found[0], found[2])
    found = await demo_round(YOUTH[0])
    if found and not await Proposal.exists().where(Proposal.round == found[0]):
        await _youth(people, found[0], found[2])
    for title_en, _ in (TOWN_CENTRE, GREEN_SPACES):
        found = await demo_round(title_en)
        if found and not await Proposal.exists().where(Proposal.round == found[0]):
            await _shortlist(people, found[0], found[2])


async def _neighbourhood(officer_id: int, people: list[int], round_id: int, areas: list[int]) -> None:
    now = datetime.now(UTC)
    ids: dict[str, int] = {}
    async with transaction():
        for index, (area, status, pounds, themes, title_en, title_cy, summary_en, summary_cy) in enumerate(PROPOSALS):
            values: dict[str, Any] = {
                "title_en": title_en,
                "title_cy": title_cy,
                "summary_en": summary_en,
                "summary_cy": summary_cy,
                "description_en": f"{summary_en} We have talked to neighbours and the local school about it."
                if summary_en
                else "",
                "description_cy": f"{summary_cy} Rydym wedi siarad â chymdogion a'r ysgol leol amdano." if summary_cy else "",
            }
            reason_en, reason_cy = NOT_ELIGIBLE_REASONS.get(title_en, ("", ""))
            submitted = now - timedelta(days=80 - index * 2)
            row = Proposal(
                round=round_id,
                area=areas[area],
                author=people[index % len(people)],
                estimated_cost_pence=pounds * 100,
                status="under_review" if status == "merged" else status,
                search_text=search_text(values),
                submitted_at=None if status == "draft" else submitted,
                status_reason_en=reason_en,
                status_reason_cy=reason_cy,
                partners="Aberafon Community Council" if index % 7 == 0 else "",
                **values,
            )
            await Proposal.insert(row)
            ids[title_en or title_cy] = row.id
            if themes:
                await ProposalTheme.insert(*[ProposalTheme(proposal=row.id, theme=theme) for theme in themes])
            if status == "draft":
                continue
            previous = "draft"
            for step, target in enumerate(["submitted", *HISTORY.get(status, [])]):
                await ProposalEvent.insert(
                    ProposalEvent(
                        proposal=row.id,
                        kind="status",
                        from_status=previous,
                        to_status=target,
                        at=submitted + timedelta(days=step * 9),
                        actor_id=None if target in ("submitted", "withdrawn") else officer_id,
                        reason_en=reason_en if target == "not_eligible" else "",
                        reason_cy=reason_cy if target == "not_eligible" else "",
                    )
                )
                previous = target
        for index, title in enumerate(ids):  # a few supports each
            supporters = people[: (index * 7) % len(people) + 1]
            await Support.insert(*[Support(proposal=ids[title], user=person) for person in supporters])
            await Proposal.update({Proposal.support_count: len(supporters)}).where(Proposal.id == ids[title])
    # The merge and the revised cost happen in review, through the real actions; then the shortlist opens.
    await proposal_actions.merge(
        officer_id,
        ids["Benches by the river path"],
        ids["Seating and shade on the riverside walk"],
        "Both proposals ask for seating on the same riverside path, so they were combined.",
        "Mae'r ddau gynnig yn gofyn am seddi ar yr un llwybr glan yr afon, felly cawsant eu cyfuno.",
    )
    await proposal_actions.revise_cost(
        officer_id,
        ids["New play area at Parc y Dre"],
        14_500_00,
        "Includes safety surfacing and fencing, which the estimate left out.",
        "Yn cynnwys wyneb diogelwch a ffens, nad oedd yn yr amcangyfrif.",
    )
    await change_phase(officer_id, round_id, "shortlist")
    comment_ids: list[int] = []
    for index, (body, parent) in enumerate(COMMENTS):
        comment = Comment(
            proposal=ids["New play area at Parc y Dre"],
            author=people[(index + 3) % len(people)],
            body=body,
            parent=comment_ids[parent] if parent is not None else None,
            created_at=now - timedelta(days=20 - index),
        )
        await Comment.insert(comment)
        comment_ids.append(comment.id)
    for title, (drawing, alt_en, alt_cy) in PICTURES.items():
        await _picture(ids[title], drawing(), alt_en, alt_cy)


def _play_area() -> bytes:
    """A drawn play area: sky, sun, grass, a red slide and a swing frame (no files from outside)."""
    picture = Image.new("RGB", (1200, 800), (135, 196, 235))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((960, 70, 1100, 210), fill=(255, 214, 10))
    draw.rectangle((0, 560, 1200, 800), fill=(82, 160, 70))
    draw.polygon([(220, 560), (520, 560), (300, 300), (260, 300)], fill=(210, 45, 45))
    draw.rectangle((250, 300, 270, 560), fill=(90, 90, 90))
    draw.line([(700, 560), (780, 260), (980, 260), (1060, 560)], fill=(60, 60, 60), width=14)
    for x in (830, 930):
        draw.line([(x, 260), (x, 470)], fill=(40, 40, 40), width=4)
        draw.rectangle((x - 30, 470, x + 30, 485), fill=(30, 80, 180))
    return _jpeg(picture)


def _garden() -> bytes:
    """A drawn community garden: raised beds with rows of plants, a path and a shed."""
    picture = Image.new("RGB", (1200, 800), (170, 210, 240))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 380, 1200, 800), fill=(96, 170, 80))
    draw.rectangle((560, 380, 640, 800), fill=(200, 180, 140))
    for left in (80, 320, 720, 960):
        draw.rectangle((left, 470, left + 180, 740), fill=(120, 80, 45))
        for row in range(4):
            for col in range(3):
                x, y = left + 30 + col * 60, 500 + row * 60
                draw.ellipse((x - 18, y - 18, x + 18, y + 18), fill=(40, 130 + row * 20, 50))
    draw.rectangle((900, 230, 1120, 380), fill=(150, 100, 60))
    draw.polygon([(880, 230), (1010, 150), (1140, 230)], fill=(110, 60, 40))
    return _jpeg(picture)


def _jpeg(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()


PICTURES = {
    "New play area at Parc y Dre": (
        _play_area,
        "A drawing of a play area on grass: a red slide and a swing frame with two swings, under a blue sky.",
        "Llun o ardal chwarae ar laswellt: llithren goch a ffrâm siglenni gyda dwy siglen, o dan awyr las.",
    ),
    "Community garden on the old bowling green": (
        _garden,
        "A drawing of a community garden: four raised beds of plants either side of a path, and a shed.",
        "Llun o ardd gymunedol: pedwar gwely uchel o blanhigion bob ochr i lwybr, a sied.",
    ),
}


async def _picture(proposal_id: int, data: bytes, alt_en: str, alt_cy: str) -> None:
    files = pictures.store_processed(images.process(data))
    await ProposalImage.insert(ProposalImage(proposal=proposal_id, alt_en=alt_en, alt_cy=alt_cy, **files))


async def _insert(round_id: int, area_id: int, author: int, title_en: str, title_cy: str, pounds: int, **fields) -> None:
    theme = fields.pop("theme")
    row = Proposal(
        round=round_id,
        area=area_id,
        author=author,
        title_en=title_en,
        title_cy=title_cy,
        estimated_cost_pence=pounds * 100,
        search_text=f"{title_en} {title_cy}".lower(),
        **fields,
    )
    await Proposal.insert(row)
    await ProposalTheme.insert(ProposalTheme(proposal=row.id, theme=theme))


async def _youth(people: list[int], round_id: int, areas: list[int]) -> None:
    now = datetime.now(UTC)
    for index, (title_en, title_cy, pounds) in enumerate(YOUTH_PROPOSALS):
        await _insert(
            round_id,
            areas[index],
            people[index],
            title_en,
            title_cy,
            pounds,
            theme="young_people",
            summary_en="Somewhere to meet after school.",
            summary_cy="Rhywle i gwrdd ar ôl ysgol.",
            description_en="Run by young volunteers.",
            description_cy="Yn cael ei redeg gan wirfoddolwyr ifanc.",
            status="submitted",
            submitted_at=now - timedelta(days=3 - index),
        )


async def _shortlist(people: list[int], round_id: int, areas: list[int]) -> None:
    """The projects a demo vote's community sessions shortlisted; opening the vote puts them on the ballot."""
    now = datetime.now(UTC)
    for index, (area, pounds, title_en, title_cy) in enumerate(VOTING_PROJECTS):
        await _insert(
            round_id,
            areas[area],
            people[index % len(people)],
            title_en,
            title_cy,
            pounds,
            theme="prosperous",
            summary_en=f"{title_en}, costed by the council.",
            summary_cy=f"{title_cy}, wedi'i gostio gan y cyngor.",
            description_en="Shortlisted at the community sessions in the autumn.",
            description_cy="Ar y rhestr fer yn y sesiynau cymunedol yn yr hydref.",
            status="shortlisted",
            submitted_at=now - timedelta(days=120),
        )
