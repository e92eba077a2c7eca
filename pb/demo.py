"""Demo data for a fresh install: one account of each role, and a demo council's rounds with
realistic proposals in every state. Safe to run again: nothing is duplicated."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pb.accounts.actions import create_user
from pb.accounts.tables import User
from pb.db import transaction
from pb.proposals import actions as proposal_actions
from pb.proposals.rules import search_text
from pb.proposals.tables import Comment, Proposal, ProposalEvent, ProposalTheme, Support
from pb.rounds.tables import Area, Round

# Fixed so the README can list them; `pb demo` refuses to run in production.
DEMO_ACCOUNTS = [
    ("Rhian Resident", "resident@demo.pb.cymru", "resident-demo-2026", "cy", {"resident"}),
    ("Ffion Facilitator", "facilitator@demo.pb.cymru", "facilitator-demo-2026", "cy", {"facilitator"}),
    ("Morgan Moderator", "moderator@demo.pb.cymru", "moderator-demo-2026", "en", {"moderator"}),
    ("Owen Officer", "officer@demo.pb.cymru", "officer-demo-2026", "en", {"officer"}),
    ("Alys Admin", "admin@demo.pb.cymru", "admin-demo-2026", "en", {"admin"}),
]

# Residents who propose, support and comment in the demo (they cannot sign in: random passwords).
DEMO_RESIDENTS = [
    ("Gareth Hughes", "cy"),
    ("Sioned Roberts", "cy"),
    ("Tom Price", "en"),
    ("Aisha Khan", "en"),
    ("Dafydd Morgan", "cy"),
    ("Emma Clarke", "en"),
    ("Nia Jenkins", "cy"),
    ("Kwame Mensah", "en"),
    ("Lowri Evans", "cy"),
    ("Jack Davies", "en"),
]

AREAS = [("Aberafon", "Aberafon", 60_000_00), ("Bryncoed", "Bryncoed", 45_000_00), ("Glanymor", "Glan-y-môr", 35_000_00)]

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


async def _demo_people() -> list[int]:
    ids = []
    for index, (name, language) in enumerate(DEMO_RESIDENTS):
        email = f"resident{index + 1}@demo.pb.cymru"
        existing = await User.select(User.id).where(User.email == email).first()
        if existing:
            ids.append(existing["id"])
        else:
            import secrets

            ids.append(await create_user(name, email, secrets.token_urlsafe(24), language, {"resident"}))
    return ids


async def _make_round(
    title_en: str, title_cy: str, phase: str, start: date, description: tuple[str, str]
) -> tuple[int, list[int]] | None:
    if await Round.exists().where(Round.title_en == title_en):
        return None
    days = [start + timedelta(weeks=w) for w in (0, 6, 10, 14, 17, 20)]
    row = Round(
        title_en=title_en,
        title_cy=title_cy,
        description_en=description[0],
        description_cy=description[1],
        phase=phase,
        ballot_method="approval_budget",
        counting_rule="equalshares/add1",
        min_age=16,
        proposals_from=days[0],
        review_from=days[1],
        shortlist_from=days[2],
        voting_from=days[3],
        results_from=days[4],
        delivery_from=days[5],
    )
    await Round.insert(row)
    areas = []
    for position, (name_en, name_cy, budget) in enumerate(AREAS):
        area = Area(round=row.id, name_en=name_en, name_cy=name_cy, budget_pence=budget, position=position)
        await Area.insert(area)
        areas.append(area.id)
    return row.id, areas


async def load_demo_round(officer_id: int) -> None:
    created = await _make_round(
        "Neighbourhood Fund 2027",
        "Cronfa'r Gymdogaeth 2027",
        "shortlist",
        date(2026, 9, 7),
        (
            "£140,000 for projects chosen by the people of Aberafon, Bryncoed and Glan-y-môr. Residents proposed projects; "
            "council officers checked them; now community sessions are agreeing the shortlist for the vote.",
            "£140,000 ar gyfer prosiectau a ddewisir gan bobl Aberafon, Bryncoed a Glan-y-môr. Cynigiodd trigolion brosiectau; "
            "gwiriodd swyddogion y cyngor nhw; nawr mae sesiynau cymunedol yn cytuno ar y rhestr fer ar gyfer y bleidlais.",
        ),
    )
    if created is None:
        return
    round_id, areas = created
    people = await _demo_people()
    now = datetime.now(UTC)
    ids: dict[str, int] = {}
    async with transaction():
        for index, (area, status, pounds, themes, title_en, title_cy, summary_en, summary_cy) in enumerate(PROPOSALS):
            values = {
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
                status=status,
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
            if status != "draft":
                path = ["submitted"] + {
                    "under_review": ["under_review"],
                    "eligible": ["under_review", "eligible"],
                    "not_eligible": ["under_review", "not_eligible"],
                    "shortlisted": ["under_review", "eligible", "shortlisted"],
                    "withdrawn": ["withdrawn"],
                    "merged": ["under_review"],
                }.get(status, [])
                previous = "draft"
                for step, target in enumerate(path):
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
    # Supports (a few per proposal), then a merge and a cost revision through the real actions.
    async with transaction():
        for index, title in enumerate(ids):
            supporters = people[: (index * 7) % len(people) + 1]
            await Support.insert(*[Support(proposal=ids[title], user=person) for person in supporters])
            await Proposal.update({Proposal.support_count: len(supporters)}).where(Proposal.id == ids[title])
    # The merge and revision happen in review, as they would have; the round then returns to its phase.
    await Round.update({Round.phase: "review"}).where(Round.id == round_id)
    await Proposal.update({Proposal.status: "under_review"}).where(Proposal.id == ids["Benches by the river path"])
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
    await Round.update({Round.phase: "shortlist"}).where(Round.id == round_id)
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

    youth = await _make_round(
        "Youth Fund 2027",
        "Cronfa Ieuenctid 2027",
        "proposals",
        date(2026, 11, 2),
        (
            "£140,000 for projects proposed and chosen by young people aged 11 to 25.",
            "£140,000 ar gyfer prosiectau a gynigir ac a ddewisir gan bobl ifanc 11 i 25 oed.",
        ),
    )
    if youth:
        youth_id, youth_areas = youth
        await Round.update({Round.min_age: 11}).where(Round.id == youth_id)
        for index, (title_en, title_cy, pounds) in enumerate(
            [
                ("Gaming club at the youth centre", "Clwb gemau yn y ganolfan ieuenctid", 3000),
                ("Music studio in a shipping container", "Stiwdio gerddoriaeth mewn cynhwysydd", 16000),
            ]
        ):
            row = Proposal(
                round=youth_id,
                area=youth_areas[index],
                author=people[index],
                title_en=title_en,
                title_cy=title_cy,
                summary_en="Somewhere to meet after school.",
                summary_cy="Rhywle i gwrdd ar ôl ysgol.",
                description_en="Run by young volunteers.",
                description_cy="Yn cael ei redeg gan wirfoddolwyr ifanc.",
                estimated_cost_pence=pounds * 100,
                status="submitted",
                submitted_at=now - timedelta(days=3 - index),
                search_text=f"{title_en} {title_cy}".lower(),
            )
            await Proposal.insert(row)
            await ProposalTheme.insert(ProposalTheme(proposal=row.id, theme="young_people"))


async def load_demo() -> list[tuple[str, str, str]]:
    created = []
    officer_id = facilitator_id = None
    for name, email, password, language, roles in DEMO_ACCOUNTS:
        user_id = await create_user(name, email, password, language, roles)
        if "officer" in roles:
            officer_id = user_id
        if "facilitator" in roles:
            facilitator_id = user_id
        created.append((sorted(roles)[0], email, password))
    await load_demo_round(officer_id)
    from pb.deliberation.demo import load_demo_sessions

    neighbourhood = await Round.select(Round.id).where(Round.title_en == "Neighbourhood Fund 2027").first()
    await load_demo_sessions(facilitator_id, neighbourhood["id"] if neighbourhood else None)
    await load_demo_tracker(officer_id)
    await load_demo_voting(officer_id)
    from pb.voting.demo import load_demo_codes

    await load_demo_codes(officer_id)
    from pb.voting.paper_demo import load_demo_paper

    await load_demo_paper()
    return created


async def load_demo_tracker(officer_id: int) -> None:
    """Published decisions answering demo inputs (adopted, adapted, not taken forward) and delivery
    with dated updates, so the tracker shows a whole loop."""
    from pb.tracker import actions as tracker
    from pb.tracker.tables import Decision

    if await Decision.exists().where(Decision.title_en == "Open a warm space in Glan-y-môr this winter"):
        return
    round_row = await Round.select(Round.id).where(Round.title_en == "Neighbourhood Fund 2027").first()
    if round_row is None:
        return

    async def proposal(title: str) -> int:
        row = await Proposal.select(Proposal.id).where((Proposal.title_en == title) | (Proposal.title_cy == title)).first()
        return row["id"]

    warm, street, clean = (
        await proposal("Warm space in the community centre"),
        await proposal("Resurface the whole of Stryd Fawr"),
        await proposal("Beach clean-up kit and bins"),
    )
    noise = await Comment.select(Comment.id).where(Comment.body.like("I worry about noise%")).first()
    from pb.deliberation.tables import SessionOutcome

    recost = (
        await SessionOutcome.select(SessionOutcome.id)
        .where(SessionOutcome.body_en.like("Cost proposal % again, including safety surfacing."))
        .first()
    )
    decisions = [
        (
            {
                "title_en": "Open a warm space in Glan-y-môr this winter",
                "title_cy": "Agor gofod cynnes yng Nglan-y-môr y gaeaf hwn",
                "body_en": "The council will fund the warm space from its winter hardship budget now, rather than wait for the vote.",
                "body_cy": "Bydd y cyngor yn ariannu'r gofod cynnes o'i gyllideb caledi'r gaeaf nawr, yn hytrach nag aros am y bleidlais.",
                "why_en": "Residents asked for it, it had wide support, and people need it before the vote would finish.",
                "why_cy": "Gofynnodd trigolion amdano, roedd cefnogaeth eang iddo, ac mae ei angen ar bobl cyn y byddai'r bleidlais yn gorffen.",
                "decided_by_en": "Cabinet",
                "decided_by_cy": "Y Cabinet",
                "decided_on": date(2026, 11, 10),
                "minutes_url": "https://democracy.example.gov.wales/cabinet/2026-11-10",
            },
            [{"input_kind": "proposal", "input_id": warm, "effect": "adopted", "explanation_en": "", "explanation_cy": ""}],
        ),
        (
            {
                "title_en": "Add Stryd Fawr to the highways programme",
                "title_cy": "Ychwanegu Stryd Fawr at y rhaglen priffyrdd",
                "body_en": "The worst section of Stryd Fawr will be resurfaced in the 2027 highways programme.",
                "body_cy": "Bydd y rhan waethaf o Stryd Fawr yn cael ei hail-wynebu yn rhaglen priffyrdd 2027.",
                "why_en": "Too costly for this fund, but the road survey agreed the section by the school is in poor condition.",
                "why_cy": "Yn rhy gostus i'r gronfa hon, ond cytunodd arolwg y ffordd fod y rhan ger yr ysgol mewn cyflwr gwael.",
                "decided_by_en": "Cabinet Member for Highways",
                "decided_by_cy": "Aelod Cabinet dros Briffyrdd",
                "decided_on": date(2026, 11, 18),
                "minutes_url": "",
            },
            [
                {
                    "input_kind": "proposal",
                    "input_id": street,
                    "effect": "adapted",
                    "explanation_en": "Only the 400 metres by the school, paid from the highways budget.",
                    "explanation_cy": "Dim ond y 400 metr ger yr ysgol, o'r gyllideb priffyrdd.",
                }
            ]
            + (
                [
                    {
                        "input_kind": "comment",
                        "input_id": noise["id"],
                        "effect": "not_taken_forward",
                        "explanation_en": "The play area is 60 metres from the nearest house, within the council's guidance.",
                        "explanation_cy": "Mae'r ardal chwarae 60 metr o'r tŷ agosaf, o fewn canllawiau'r cyngor.",
                    }
                ]
                if noise
                else []
            ),
        ),
        (
            {
                "title_en": "Beach clean-up kit for volunteers",
                "title_cy": "Offer glanhau traeth i wirfoddolwyr",
                "body_en": "Waste services will supply kit and bins from their own budget.",
                "body_cy": "Bydd y gwasanaethau gwastraff yn darparu offer a biniau o'u cyllideb eu hunain.",
                "why_en": "A small cost the service can meet straight away.",
                "why_cy": "Cost fach y gall y gwasanaeth ei thalu ar unwaith.",
                "decided_by_en": "Head of Waste Services",
                "decided_by_cy": "Pennaeth y Gwasanaethau Gwastraff",
                "decided_on": date(2026, 10, 20),
                "minutes_url": "",
            },
            [{"input_kind": "proposal", "input_id": clean, "effect": "adopted", "explanation_en": "", "explanation_cy": ""}],
        ),
    ]
    if recost:  # a community session's recommendation, answered like any other input
        decisions[0][1].append(
            {
                "input_kind": "session_outcome",
                "input_id": recost["id"],
                "effect": "adopted",
                "explanation_en": "",
                "explanation_cy": "",
            }
        )
    for values, links in decisions:
        decision_id = await tracker.save_decision(officer_id, None, round_row["id"], values)
        for link in links:
            await tracker.link_input(officer_id, decision_id, link)
        await tracker.publish_decision(officer_id, decision_id)

    now = datetime.now(UTC)
    for proposal_id, title_en, title_cy, pounds, steps in (
        (
            warm,
            "Warm space in the community centre",
            "Gofod cynnes yn y ganolfan gymunedol",
            5000,
            [
                (
                    "in_progress",
                    30,
                    0,
                    "The centre's heating has been serviced and volunteers are trained.",
                    "Mae gwres y ganolfan wedi'i wasanaethu ac mae gwirfoddolwyr wedi'u hyfforddi.",
                    12,
                ),
                (
                    "in_progress",
                    60,
                    2800,
                    "Open Tuesdays and Thursdays from 1pm to 5pm. 34 people came in the first week.",
                    "Ar agor dydd Mawrth a dydd Iau o 1pm tan 5pm. Daeth 34 o bobl yn yr wythnos gyntaf.",
                    3,
                ),
            ],
        ),
        (
            clean,
            "Beach clean-up kit and bins",
            "Offer glanhau traeth a biniau",
            6500,
            [
                (
                    "in_progress",
                    50,
                    3000,
                    "Litter pickers and gloves delivered to the volunteers' store.",
                    "Codwyr sbwriel a menig wedi'u danfon i storfa'r gwirfoddolwyr.",
                    25,
                ),
                (
                    "delivered",
                    100,
                    6100,
                    "Three new bins installed on the promenade. Delivered under budget.",
                    "Tri bin newydd wedi'u gosod ar y promenâd. Wedi'i gyflawni o dan y gyllideb.",
                    6,
                ),
            ],
        ),
    ):
        delivery_id = await tracker.save_delivery(
            officer_id,
            None,
            {
                "proposal": proposal_id,
                "title_en": title_en,
                "title_cy": title_cy,
                "allocated_pence": pounds * 100,
                "external_ref": f"DEMO-{proposal_id}",
                "expected_on": date(2027, 3, 31),
            },
        )
        for status, progress, spent, body_en, body_cy, days_ago in steps:
            await tracker.post_update(
                officer_id,
                delivery_id,
                {
                    "status": status,
                    "progress": progress,
                    "spent_pence": spent * 100,
                    "body_en": body_en,
                    "body_cy": body_cy,
                    "at": now - timedelta(days=days_ago),
                    "notify": False,
                    "delivered_on": (now - timedelta(days=days_ago)).date() if status == "delivered" else None,
                },
            )


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


async def _ballot_round(
    title_en: str, title_cy: str, phase: str, start: date, officer_id: int, ballots_per_area: int
) -> int | None:
    """A round with projects on the ballot in each area and, optionally, demo ballots cast."""
    import random

    from pb.voting.actions import cast_ballot, voter_key_for_code

    created = await _make_round(
        title_en,
        title_cy,
        "voting",
        start,
        (
            f"{title_en}: residents proposed projects, community sessions agreed the shortlist, and everyone aged 16 or over "
            "who lives in the three areas can vote.",
            f"{title_cy}: cynigiodd trigolion brosiectau, cytunodd sesiynau cymunedol ar y rhestr fer, a gall pawb 16 oed neu'n hŷn "
            "sy'n byw yn y tair ardal bleidleisio.",
        ),
    )
    if created is None:
        return None
    round_id, areas = created
    people = await _demo_people()
    projects: dict[int, list[tuple[int, int]]] = {}
    now = datetime.now(UTC)
    for index, (area, pounds, title_en_p, title_cy_p) in enumerate(VOTING_PROJECTS):
        row = Proposal(
            round=round_id,
            area=areas[area],
            author=people[index % len(people)],
            title_en=title_en_p,
            title_cy=title_cy_p,
            summary_en=f"{title_en_p}, costed by the council.",
            summary_cy=f"{title_cy_p}, wedi'i gostio gan y cyngor.",
            description_en="Shortlisted at the community sessions in the autumn.",
            description_cy="Ar y rhestr fer yn y sesiynau cymunedol yn yr hydref.",
            estimated_cost_pence=pounds * 100,
            status="on_ballot",
            submitted_at=now - timedelta(days=120),
            search_text=f"{title_en_p} {title_cy_p}".lower(),
        )
        await Proposal.insert(row)
        await ProposalTheme.insert(ProposalTheme(proposal=row.id, theme="prosperous"))
        projects.setdefault(areas[area], []).append((row.id, pounds * 100))
    from pb.counting.lot import draw_lot, format_lot  # drawn as the vote opened, as change_phase does

    await Round.update({Round.lot_order: format_lot(draw_lot(p for options in projects.values() for p, _ in options))}).where(
        Round.id == round_id
    )
    chance = random.Random(2026)  # the same demo votes every time
    for area_id, options in projects.items():
        area_budget = (await Area.select(Area.budget_pence).where(Area.id == area_id).first())["budget_pence"]
        for voter in range(ballots_per_area):
            chosen, total = {}, 0
            for project_id, cost in sorted(options, key=lambda o: chance.random() * (1.5 if o[1] < 10_000_00 else 1)):
                if total + cost <= area_budget and chance.random() < 0.7:
                    chosen[project_id] = 1
                    total += cost
            if chosen:
                await cast_ballot(
                    round_id,
                    area_id,
                    voter_key_for_code(round_id, f"demo-{area_id}-{voter}"),
                    chosen,
                    "paper" if voter % 5 == 0 else "online",
                    True,
                )
    if phase == "results":
        from pb.rounds.actions import change_phase

        await change_phase(officer_id, round_id, "results")
    return round_id


async def load_demo_voting(officer_id: int) -> None:
    """An open vote to take part in, and a closed one with published, explained results."""
    await _ballot_round("Town Centre Fund 2026", "Cronfa Canol y Dref 2026", "voting", date(2026, 5, 4), officer_id, 12)
    await _ballot_round("Green Spaces Fund 2025", "Cronfa Mannau Gwyrdd 2025", "results", date(2025, 5, 5), officer_id, 60)
