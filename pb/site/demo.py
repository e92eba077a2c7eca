"""Demo site settings, clearly a demonstration council's."""

from __future__ import annotations

from datetime import date

from pb.accounts.demo import demo_account
from pb.site import actions


async def seed() -> None:
    if await actions.saved() is not None:
        await actions.refresh()
        return
    admin_id = await demo_account("admin")
    if admin_id is None:
        return
    await actions.save(
        admin_id,
        {
            "council_name_en": "Demo County Council",
            "council_name_cy": "Cyngor Sir Demo",
            "short_name_en": "Demo Council",
            "short_name_cy": "Cyngor Demo",
            "contact_email": "cyfranogi@demo.pb.cymru",
            "phone": "01234 567890",
            "address_en": "Demo County Council\nCounty Hall\nDemo Town\nDM1 1AA",
            "address_cy": "Cyngor Sir Demo\nNeuadd y Sir\nTref Demo\nDM1 1AA",
            "opening_hours_en": "Monday to Friday, 9am to 5pm",
            "opening_hours_cy": "Dydd Llun i ddydd Gwener, 9am i 5pm",
            "accessibility_contact": "hygyrchedd@demo.pb.cymru",
            "accessibility_reviewed": date(2026, 11, 30),
            "controller_en": "Demo County Council, County Hall, Demo Town DM1 1AA",
            "controller_cy": "Cyngor Sir Demo, Neuadd y Sir, Tref Demo DM1 1AA",
            "dpo_contact": "dpo@demo.pb.cymru",
            "retention_en": "Demonstration text: a council states here how long it keeps each kind of record, and why.",
            "retention_cy": "Testun enghreifftiol: mae cyngor yn nodi yma am ba hyd y mae'n cadw pob math o gofnod, a pham.",
        },
    )
