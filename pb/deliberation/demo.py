"""Demo sessions: two past sessions whose outcomes are published and linked to the round's
proposals (so proposal pages and the tracker have community input from sessions), a stand-alone
past session, and upcoming sessions open for registration (one of them full, with a waiting list).
Safe to run again: a session whose English title exists already is left alone."""

from __future__ import annotations

import io
import math
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from PIL import Image, ImageDraw

from pb import images
from pb.accounts.demo import demo_account
from pb.accounts.tables import User, UserRole
from pb.db import transaction
from pb.deliberation import rules
from pb.deliberation.tables import AgendaItem, DeliberationSession, OutcomeLink, Registration, SessionOutcome
from pb.proposals.tables import Proposal
from pb.rounds.demo import NEIGHBOURHOOD, demo_round
from pb.rounds.tables import Area
from pb.web import pictures

S = DeliberationSession


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return rules.to_utc(day, time(hour, minute))


async def _residents(facilitator_id: int) -> list[int]:
    """Demo people to register: accounts that are residents only (never staff accounts)."""
    staff = {row["user"] for row in await UserRole.select(UserRole.user).where(UserRole.role != "resident")}
    rows = await User.select(User.id).where(User.id != facilitator_id).order_by(User.id)
    return [row["id"] for row in rows if row["id"] not in staff][:12]


async def _insert(facilitator_id: int, spec: dict, people: list[int], now: datetime) -> int | None:
    if await S.exists().where(S.title_en == spec["title_en"]):
        return None
    past = spec["ends_at"] < now
    features: dict[str, Any] = {feature: feature in spec.get("features", ()) for feature in rules.FEATURES}
    row = S(
        facilitator=facilitator_id,
        round=spec.get("round"),
        area=spec.get("area"),
        title_en=spec["title_en"],
        title_cy=spec["title_cy"],
        description_en=spec["description_en"],
        description_cy=spec["description_cy"],
        format=spec["format"],
        venue=spec.get("venue", ""),
        online_url=spec.get("online_url", ""),
        starts_at=spec["starts_at"],
        ends_at=spec["ends_at"],
        capacity=spec["capacity"],
        language_mode=spec["language_mode"],
        access_notes_en=spec.get("access_notes_en", ""),
        access_notes_cy=spec.get("access_notes_cy", ""),
        attendance_count=spec.get("attendance"),
        outcomes_published_at=spec["ends_at"] + timedelta(days=2) if spec.get("outcomes") else None,
        created_at=spec["starts_at"] - timedelta(days=21),
        **features,
    )
    await S.insert(row)
    for position, proposal_id in enumerate(spec.get("agenda", [])):
        await AgendaItem.insert(AgendaItem(session=row.id, proposal=proposal_id, position=position))
    registered_at = spec["starts_at"] - timedelta(days=10)
    for index, user_id in enumerate(people[: spec.get("registrations", 0)]):
        status = "registered" if index < spec["capacity"] else "waiting"
        needs = ["step_free"] if index % 4 == 0 else (["hearing_loop", "large_print"] if index % 5 == 1 else [])
        await Registration.insert(
            Registration(
                session=row.id,
                user=user_id,
                status=status,
                queued_at=registered_at + timedelta(hours=index),
                placed_at=registered_at + timedelta(hours=index) if status == "registered" else None,
                access_needs=",".join(needs),
                share_needs=index % 2 == 0,
                attended=past and status == "registered" and index % 3 != 2,
                reminder_sent_at=spec["starts_at"] - timedelta(days=1) if past and status == "registered" else None,
            )
        )
    for position, outcome in enumerate(spec.get("outcomes", [])):
        kind, body_en, body_cy, links = outcome[:4]
        record = SessionOutcome(
            session=row.id,
            kind=kind,
            body_en=body_en,
            body_cy=body_cy,
            position=-1 if kind == "summary" else position,
            method=outcome[4] if len(outcome) > 4 else "",
            participants=outcome[5] if len(outcome) > 5 else None,
            created_by=facilitator_id,
            created_at=spec["ends_at"],
            updated_at=spec["ends_at"],
        )
        await SessionOutcome.insert(record)
        for proposal_id, tally in links.items():
            await OutcomeLink.insert(OutcomeLink(outcome=record.id, proposal=proposal_id, tally=tally))
    return row.id


async def load_demo_sessions(facilitator_id: int, round_id: int | None) -> None:
    now = datetime.now(UTC)
    today = rules.local(now).date()
    people = await _residents(facilitator_id)
    by_area: dict[int, list[int]] = {}
    areas: list[int] = []
    if round_id is not None:
        areas = [
            row["id"]
            for row in await Area.select(Area.id).where(Area.round == round_id).order_by(Area.position).order_by(Area.id)
        ]
        for row in (
            await Proposal.select(Proposal.id, Proposal.area)
            .where(
                (Proposal.round == round_id)
                & Proposal.status.is_in(["submitted", "under_review", "eligible", "shortlisted"])
                & (Proposal.hidden == False)
            )
            .order_by(Proposal.id)
        ):  # noqa: E712
            by_area.setdefault(row["area"], []).append(row["id"])
    first = by_area.get(areas[0], []) if areas else []
    second = by_area.get(areas[1], []) if len(areas) > 1 else []
    third = by_area.get(areas[2], []) if len(areas) > 2 else []

    specs: list[dict] = []
    if len(first) >= 4:
        agenda = first[:5]
        specs.append(
            dict(
                round=round_id,
                area=areas[0],
                title_en="Aberafon proposals evening",
                title_cy="Noson gynigion Aberafon",
                description_en="An evening at the community hall to talk through the proposals for Aberafon, with tea and cake.",
                description_cy="Noson yn neuadd y gymuned i drafod y cynigion ar gyfer Aberafon, gyda the a chacen.",
                format="in_person",
                venue="Neuadd Gymunedol Aberafon / Aberafon Community Hall, Heol y Bont, Aberafon",
                starts_at=_at(today - timedelta(days=18), 18, 30),
                ends_at=_at(today - timedelta(days=18), 20, 30),
                capacity=30,
                language_mode="bilingual",
                features=("step_free", "hearing_loop", "childcare"),
                access_notes_en="Level access from the car park. Accessible toilet on the ground floor.",
                access_notes_cy="Mynediad gwastad o'r maes parcio. Toiled hygyrch ar y llawr gwaelod.",
                registrations=9,
                attendance=14,
                agenda=agenda,
                outcomes=[
                    (
                        "summary",
                        "Fourteen people talked through five proposals for Aberafon. Play and safer streets for children came up most; "
                        "people asked the council to look again at the cost of the play area and to combine the two riverside ideas.",
                        "Bu pedwar ar ddeg o bobl yn trafod pum cynnig ar gyfer Aberafon. Chwarae a strydoedd mwy diogel i blant a godwyd amlaf; "
                        "gofynnodd pobl i'r cyngor edrych eto ar gost yr ardal chwarae a chyfuno'r ddau syniad glan yr afon.",
                        {},
                    ),
                    (
                        "theme",
                        "Children need safe places to play within walking distance of home.",
                        "Mae angen lleoedd diogel i blant chwarae o fewn pellter cerdded i'w cartrefi.",
                        {agenda[0]: None},
                    ),
                    (
                        "theme",
                        "Older residents want somewhere to sit and rest on their walks.",
                        "Mae preswylwyr hŷn eisiau rhywle i eistedd a gorffwys ar eu teithiau cerdded.",
                        {agenda[1]: None, agenda[2]: None},
                    ),
                    (
                        "recommendation",
                        f"Cost proposal {agenda[0]} again, including safety surfacing.",
                        f"Costio cynnig {agenda[0]} eto, gan gynnwys wyneb diogelwch.",
                        {agenda[0]: None},
                    ),
                    (
                        "recommendation",
                        f"Consider merging proposals {agenda[1]} and {agenda[2]}: both are about the riverside.",
                        f"Ystyried cyfuno cynigion {agenda[1]} a {agenda[2]}: mae'r ddau am lan yr afon.",
                        {agenda[1]: None, agenda[2]: None},
                    ),
                    (
                        "prioritisation",
                        "Each person had three dots.",
                        "Roedd gan bob person dri dot.",
                        {proposal_id: tally for proposal_id, tally in zip(agenda, (17, 9, 11, 4, 1), strict=False)},
                        "dots",
                        14,
                    ),
                ],
            )
        )
    if len(second) >= 3:
        agenda = second[:4]
        specs.append(
            dict(
                round=round_id,
                area=areas[1],
                title_en="Bryncoed online discussion",
                title_cy="Trafodaeth ar-lein Bryncoed",
                description_en="An hour online to discuss the Bryncoed proposals. Join from a computer or a phone.",
                description_cy="Awr ar-lein i drafod cynigion Bryncoed. Ymunwch o gyfrifiadur neu ffôn.",
                format="online",
                online_url="https://meet.example.org/bryncoed-pb",
                starts_at=_at(today - timedelta(days=9), 19),
                ends_at=_at(today - timedelta(days=9), 20),
                capacity=40,
                language_mode="cy",
                features=("bsl",),
                registrations=6,
                attendance=8,
                agenda=agenda,
                outcomes=[
                    (
                        "summary",
                        "Eight people met online, in Welsh with BSL interpretation. They ranked the Bryncoed proposals; "
                        "the community pitch lights came first.",
                        "Daeth wyth o bobl at ei gilydd ar-lein, yn Gymraeg gyda dehongli BSL. Bu iddynt restru cynigion Bryncoed; "
                        "llifoleuadau'r cae cymunedol ddaeth gyntaf.",
                        {},
                    ),
                    ("theme", "", "Mae pobl ifanc angen rhywle i fynd gyda'r nos yn y gaeaf.", {agenda[0]: None}),
                    (
                        "prioritisation",
                        "Points from rankings: 3 for a first choice, 2 for a second, 1 for a third.",
                        "Pwyntiau o restru: 3 am y dewis cyntaf, 2 am yr ail, 1 am y trydydd.",
                        {proposal_id: tally for proposal_id, tally in zip(agenda, (19, 12, 8, 5), strict=False)},
                        "ranking",
                        8,
                    ),
                ],
            )
        )
    specs.append(
        dict(
            title_en="Your council, your say: how should we run community sessions?",
            title_cy="Eich cyngor, eich llais: sut ddylem ni gynnal sesiynau cymunedol?",
            description_en="A stand-alone session about how the council listens: times, places and formats that work for you.",
            description_cy="Sesiwn ar ei phen ei hun am sut mae'r cyngor yn gwrando: amseroedd, lleoedd a fformatau sy'n gweithio i chi.",
            format="hybrid",
            venue="Llyfrgell Glan-y-môr / Glanymor Library",
            online_url="https://meet.example.org/your-say",
            starts_at=_at(today - timedelta(days=30), 14),
            ends_at=_at(today - timedelta(days=30), 15, 30),
            capacity=20,
            language_mode="bilingual",
            features=("step_free", "quiet_space"),
            registrations=5,
            attendance=7,
            outcomes=[
                (
                    "summary",
                    "Seven people, three of them online, said daytime sessions suit carers and evening ones suit workers: hold both.",
                    "Dywedodd saith o bobl, tri ohonynt ar-lein, fod sesiynau yn ystod y dydd yn addas i ofalwyr a rhai gyda'r nos i weithwyr: cynhaliwch y ddau.",
                    {},
                ),
                (
                    "recommendation",
                    "Hold every round's sessions at two times of day, and always offer a way to join online.",
                    "Cynnal sesiynau pob rownd ar ddwy adeg o'r dydd, a chynnig ffordd i ymuno ar-lein bob amser.",
                    {},
                ),
            ],
        )
    )
    if third:
        specs.append(
            dict(
                round=round_id,
                area=areas[2],
                title_en="Glanymor proposals afternoon",
                title_cy="Prynhawn cynigion Glan-y-môr",
                description_en="Talk through the proposals for Glanymor over a cup of tea. Children welcome: there is a play corner.",
                description_cy="Trafodwch y cynigion ar gyfer Glan-y-môr dros baned. Croeso i blant: mae cornel chwarae.",
                format="in_person",
                venue="Canolfan Gymunedol Glan-y-môr / Glanymor Community Centre",
                starts_at=_at(today + timedelta(days=6), 14),
                ends_at=_at(today + timedelta(days=6), 16),
                capacity=25,
                language_mode="bilingual",
                features=("step_free", "hearing_loop", "childcare", "quiet_space"),
                access_notes_en="Ramp at the side entrance. Quiet room upstairs (there is a lift).",
                access_notes_cy="Ramp wrth y fynedfa ochr. Ystafell dawel i fyny'r grisiau (mae lifft).",
                registrations=3,
                agenda=third[:5],
            )
        )
    if round_id is not None and first:
        specs.append(
            dict(
                round=round_id,
                area=areas[0],
                title_en="Aberafon: second look at the shortlist",
                title_cy="Aberafon: ail olwg ar y rhestr fer",
                description_en="A small group to look again at the shortlist for Aberafon. Places are limited.",
                description_cy="Grŵp bach i edrych eto ar y rhestr fer ar gyfer Aberafon. Mae nifer y lleoedd yn gyfyngedig.",
                format="in_person",
                venue="Caffi'r Bont, Stryd Fawr, Aberafon",
                starts_at=_at(today + timedelta(days=3), 10, 30),
                ends_at=_at(today + timedelta(days=3), 12),
                capacity=4,
                language_mode="cy",
                features=("step_free",),
                registrations=6,
                agenda=first[:3],
            )
        )
    specs.append(
        dict(
            round=round_id,
            title_en="Online drop-in: ask about the proposals",
            title_cy="Galw heibio ar-lein: holwch am y cynigion",
            description_en="Join online for half an hour to ask a facilitator anything about the proposals and how to vote.",
            description_cy="Ymunwch ar-lein am hanner awr i holi hwylusydd am unrhyw beth am y cynigion a sut i bleidleisio.",
            format="online",
            online_url="https://meet.example.org/drop-in",
            starts_at=_at(today + timedelta(days=13), 12, 30),
            ends_at=_at(today + timedelta(days=13), 13),
            capacity=50,
            language_mode="bilingual",
            features=("bsl",),
            registrations=2,
        )
    )
    async with transaction():
        for spec in specs:
            await _insert(facilitator_id, spec, people, now)


async def seed() -> None:
    facilitator_id = await demo_account("facilitator")
    if facilitator_id is None:
        return
    found = await demo_round(NEIGHBOURHOOD[0])
    await load_demo_sessions(facilitator_id, found[0] if found else None)
    await _picture()


async def _picture() -> None:
    """The Aberafon evening's picture (drawn here), as a facilitator's upload is."""
    files = pictures.store_processed(images.process(_hall()))
    columns = images.picture_columns(
        files,
        "A drawn meeting hall with a circle of chairs around a table of maps",
        "Neuadd gyfarfod wedi'i thynnu gyda chylch o gadeiriau o amgylch bwrdd o fapiau",
    )
    await DeliberationSession.update(columns).where(
        (DeliberationSession.title_en == "Aberafon proposals evening") & (DeliberationSession.picture_full == "")
    )


def _hall() -> bytes:
    picture = Image.new("RGB", (1200, 800), (235, 225, 205))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 520, 1200, 800), fill=(160, 120, 80))
    for x in (150, 500, 850):
        draw.rectangle((x, 120, x + 200, 330), fill=(190, 220, 240), outline=(120, 100, 80), width=8)
    draw.ellipse((430, 520, 770, 680), fill=(120, 80, 50))
    draw.rectangle((500, 560, 600, 620), fill=(240, 240, 220))
    draw.rectangle((620, 570, 700, 630), fill=(220, 240, 220))
    for angle in range(0, 360, 40):
        x = 600 + int(260 * math.cos(math.radians(angle)))
        y = 600 + int(130 * math.sin(math.radians(angle)))
        draw.rectangle((x - 25, y - 60, x + 25, y), fill=(40, 90, 160))
        draw.rectangle((x - 25, y, x + 25, y + 15), fill=(30, 60, 120))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()
