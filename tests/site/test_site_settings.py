"""Site settings: an admin keeps the council's own details, and the accessibility statement, printed
papers and emails show them in each language; nobody else can change them."""

from datetime import date

import pytest
from bs4 import BeautifulSoup

from pb.outbox.actions import queue_email
from pb.site import rules
from pb.site.tables import SiteSettings
from tests.conftest import make_user, outbox_messages, sign_in, submit
from tests.voting.test_voting import voting_round

GOOD = {
    "council_name_en": "Gwynedd Council",
    "council_name_cy": "Cyngor Gwynedd",
    "contact_email": "Cyfranogi@Gwynedd.Example",
    "phone": "01766 771000",
    "address_en": "Council Offices\nCaernarfon",
    "address_cy": "Swyddfeydd y Cyngor\nCaernarfon",
    "opening_hours_en": "Monday to Friday, 9am to 5pm",
    "opening_hours_cy": "Dydd Llun i ddydd Gwener, 9am i 5pm",
    "accessibility_reviewed": "2026-11-30",
}


@pytest.mark.pure
def test_the_rules():
    values, errors = rules.validate(GOOD, date(2026, 12, 4))
    assert errors == {} and values["contact_email"] == "cyfranogi@gwynedd.example"
    assert values["accessibility_reviewed"] == date(2026, 11, 30)
    for field, bad in (
        ("council_name_cy", ""),
        ("contact_email", "not an address"),
        ("dpo_contact", "a@b"),
        ("phone", "call us"),
        ("phone", "０１７６６ ７７１０００"),
        ("accessibility_reviewed", "30/11/2026"),
        ("accessibility_reviewed", "２０２６-１１-３０"),
        ("accessibility_reviewed", "2027-01-01"),  # in the future
        ("short_name_en", "x" * 61),
    ):
        assert field in rules.validate({**GOOD, field: bad}, date(2026, 12, 4))[1], (field, bad)


@pytest.mark.pure
def test_invisible_characters_are_removed_from_what_is_shown_everywhere():
    values, errors = rules.validate({**GOOD, "council_name_en": "Gwynedd\u202e Council\u200b"}, date(2026, 12, 4))
    assert errors == {} and values["council_name_en"] == "Gwynedd Council"


async def test_an_admin_saves_them_and_the_statement_shows_them_in_each_language(client):
    before = BeautifulSoup((await client.get("/en/accessibility")).text, "html.parser")
    assert "Phone:" not in before.get_text() and "Contact" not in before.find("footer").get_text()  # nothing invented
    await make_user(email="admin@example.org", roles={"admin"})
    await sign_in(client, "admin@example.org")
    bad = await submit(client, "/en/admin/site", {**GOOD, "phone": "call us"})
    assert bad.status_code == 422
    soup = BeautifulSoup(bad.text, "html.parser")
    assert soup.select_one("#phone-error") and soup.select_one("#council_name_cy")["value"] == "Cyngor Gwynedd"
    saved = await submit(client, "/en/admin/site", GOOD)
    assert saved.status_code == 303 and await SiteSettings.count() == 1
    assert (await submit(client, "/en/admin/site", {**GOOD, "phone": "01766 000000"})).status_code == 303
    assert await SiteSettings.count() == 1  # one row, updated
    english = " ".join(BeautifulSoup((await client.get("/en/accessibility")).text, "html.parser").get_text(" ").split())
    assert "Gwynedd Council" in english and "01766 000000 (Monday to Friday, 9am to 5pm)" in english
    assert "Council Offices Caernarfon" in english and "last reviewed on 30 November 2026" in english
    welsh_page = await client.get("/cy/accessibility")
    welsh = " ".join(BeautifulSoup(welsh_page.text, "html.parser").get_text(" ").split())
    assert "Cyngor Gwynedd" in welsh and "Swyddfeydd y Cyngor Caernarfon" in welsh and "Ffôn:" in welsh
    assert "<title>Datganiad hygyrchedd – Cyngor Gwynedd</title>" in welsh_page.text.replace("\n", "")
    # Every page says how to reach the council, at its foot.
    for lang, heading in (("en", "Contact Gwynedd Council"), ("cy", "Cysylltu â Cyngor Gwynedd")):
        footer = " ".join(
            BeautifulSoup((await client.get(f"/{lang}/rounds")).text, "html.parser").find("footer").get_text(" ").split()
        )
        assert heading in footer and "01766 000000" in footer and "cyfranogi@gwynedd.example" in footer


async def test_only_admins(client):
    await make_user(email="officer@example.org", roles={"officer"})
    await sign_in(client, "officer@example.org")
    assert (await client.get("/en/admin/site")).status_code == 403
    assert (await submit(client, "/en/", GOOD, action="/en/admin/site")).status_code == 403
    assert await SiteSettings.count() == 0


async def test_emails_and_ballot_papers_say_how_to_reach_the_council(client):
    await queue_email(
        "a@example.org",
        "cy",
        "Voting closes soon",
        "emails/vote_closing.txt",
        name="A",
        title="T",
        closes="",
        url="u",
        unsubscribe="x",
    )
    await make_user(email="admin@example.org", roles={"admin", "officer"})
    await sign_in(client, "admin@example.org")
    assert (await submit(client, "/en/admin/site", GOOD)).status_code == 303
    await queue_email(
        "b@example.org",
        "cy",
        "Voting closes soon",
        "emails/vote_closing.txt",
        name="B",
        title="T",
        closes="",
        url="u",
        unsubscribe="x",
    )
    first, second = await outbox_messages()
    assert "01766" not in first["body"]  # before the council gave its details
    assert (
        second["body"]
        .rstrip()
        .endswith(
            "\n\n--\nCyngor Gwynedd\nFfôn: 01766 771000 (Dydd Llun i ddydd Gwener, 9am i 5pm)\nE-bost: cyfranogi@gwynedd.example"
        )
    )
    round_id, area, projects = await voting_round()
    paper = BeautifulSoup((await client.get(f"/en/manage/rounds/{round_id}/paper/ballot/{area}")).text, "html.parser")
    lines = [" ".join(p.get_text(" ", strip=True).split()) for p in paper.select(".pb-ballot-paper p.govuk-body-s")]
    assert lines == [
        "Cwestiynau? Ffoniwch 01766 771000 · E-bost cyfranogi@gwynedd.example",
        "Questions? Phone 01766 771000 · Email cyfranogi@gwynedd.example",
    ]
