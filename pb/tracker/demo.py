"""Demo decisions and delivery for the Neighbourhood Fund 2027: published decisions answering
proposals, a comment and a community session's recommendation (adopted, adapted, not taken
forward), and projects being delivered with dated updates. Safe to run again."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pb.accounts.demo import demo_account
from pb.deliberation.tables import SessionOutcome
from pb.proposals.tables import Comment, Proposal
from pb.rounds.demo import NEIGHBOURHOOD, demo_round
from pb.tracker import actions as tracker
from pb.tracker.tables import Decision, DecisionLink, Delivery


async def seed() -> None:
    """Published decisions answering demo inputs (adopted, adapted, not taken forward) and delivery
    with dated updates, so the tracker shows a whole loop."""
    officer_id = await demo_account("officer")
    if officer_id is None or await Decision.exists().where(Decision.title_en == "Open a warm space in Glan-y-môr this winter"):
        return
    found = await demo_round(NEIGHBOURHOOD[0])
    if found is None:
        return
    round_id = found[0]

    async def proposal(title: str) -> int:
        row = await Proposal.select(Proposal.id).where((Proposal.title_en == title) | (Proposal.title_cy == title)).first()
        assert row is not None, f"the proposals demo has no {title!r}"
        return row["id"]

    warm, street, clean = (
        await proposal("Warm space in the community centre"),
        await proposal("Resurface the whole of Stryd Fawr"),
        await proposal("Beach clean-up kit and bins"),
    )
    noise = await Comment.select(Comment.id).where(Comment.body.like("I worry about noise%")).first()
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
                # The summary of the integrated impact assessment, published with the decision.
                "impact_protected_en": (
                    "Positive for older people and disabled people, who are most at risk from a cold home. "
                    "The centre has step-free access and an accessible toilet; a quiet room will be kept for "
                    "people who find noise difficult."
                ),
                "impact_protected_cy": (
                    "Effaith gadarnhaol ar bobl hŷn a phobl anabl, sydd fwyaf mewn perygl o gartref oer. "
                    "Mae mynediad heb risiau i'r ganolfan a thoiled hygyrch; bydd ystafell dawel ar gael i "
                    "bobl sy'n cael sŵn yn anodd."
                ),
                "impact_welsh_en": (
                    "Signs, leaflets and the booking line will be bilingual, and Welsh-speaking volunteers will "
                    "wear the Iaith Gwaith badge, so people can use Welsh there as easily as English."
                ),
                "impact_welsh_cy": (
                    "Bydd arwyddion, taflenni a'r llinell archebu yn ddwyieithog, a bydd gwirfoddolwyr sy'n siarad "
                    "Cymraeg yn gwisgo bathodyn Iaith Gwaith, fel y gall pobl ddefnyddio'r Gymraeg yno mor hawdd "
                    "â'r Saesneg."
                ),
                "impact_socioeconomic_en": (
                    "Glan-y-môr has some of the highest fuel poverty in the county. The space is free, needs no "
                    "referral, and offers hot drinks and advice on energy bills and benefits."
                ),
                "impact_socioeconomic_cy": (
                    "Mae rhai o'r lefelau uchaf o dlodi tanwydd yn y sir yng Nglan-y-môr. Mae'r gofod am ddim, nid "
                    "oes angen atgyfeiriad, ac mae'n cynnig diodydd poeth a chyngor ar filiau ynni a budd-daliadau."
                ),
                "wellbeing_goals": "healthier,more_equal,cohesive_communities",
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
        decision_id = await tracker.save_decision(officer_id, None, round_id, values)
        for link in links:
            await tracker.link_input(officer_id, decision_id, link)
        await tracker.publish_decision(officer_id, decision_id)

    # Feedback on the feedback: the people who gave the inputs say whether the responses answered them.
    said = {
        ("proposal", warm): ("yes", ""),
        ("proposal", street): ("partly", "Good that the school end is done, but the rest of the street is just as bad."),
        ("proposal", clean): ("yes", ""),
        ("comment", noise["id"] if noise else 0): (
            "no",
            "Sixty metres is close when the play area is open until 9pm. Nobody asked us.",
        ),
    }
    for link in await DecisionLink.select().where(DecisionLink.decision.round == round_id):
        answer = said.get((link["input_kind"], link["input_id"]))
        gave, _ = await tracker.who_may_answer(link, round_id)
        if answer and gave:
            await tracker.give_feedback(gave, link["id"], *answer)

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
        # Frozen results may already have given the project its record: fill that one in.
        existing = await Delivery.select(Delivery.id).where(Delivery.proposal == proposal_id).first()
        delivery_id = await tracker.save_delivery(
            officer_id,
            existing["id"] if existing else None,
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
