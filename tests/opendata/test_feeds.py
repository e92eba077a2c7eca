"""Atom feeds, parsed back with ElementTree: ids, times, links in both languages, escaping."""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest

from pb.opendata import feeds
from tests.opendata.data import FORMULA, SECRETS, make_world

A = "{http://www.w3.org/2005/Atom}"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TAG = re.compile(r"^tag:[a-z0-9.-]+,\d{4}(-\d{2}-\d{2})?:[\w/.-]+$")


def parse(response) -> ET.Element:
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{A}feed"
    return root


def check_feed(root: ET.Element) -> list[ET.Element]:
    """The parts RFC 4287 requires, on the feed and on each entry."""
    assert TAG.match(root.findtext(f"{A}id")), root.findtext(f"{A}id")
    assert root.findtext(f"{A}title") and root.find(f"{A}author/{A}name").text
    datetime.fromisoformat(root.findtext(f"{A}updated").replace("Z", "+00:00"))
    assert root.find(f"{A}link[@rel='self']") is not None
    entries = root.findall(f"{A}entry")
    ids = [entry.findtext(f"{A}id") for entry in entries]
    assert len(ids) == len(set(ids))
    for entry in entries:
        assert TAG.match(entry.findtext(f"{A}id")), entry.findtext(f"{A}id")
        assert entry.findtext(f"{A}updated").endswith("Z")
        alternates = {link.get("hreflang"): link.get("href") for link in entry.findall(f"{A}link[@rel='alternate']")}
        assert set(alternates) == {"en", "cy"}
        assert alternates["en"].replace("/en/", "/cy/", 1) == alternates["cy"]
    return entries


async def test_decisions_feed_has_one_entry_per_published_decision(client):
    world = await make_world()
    root = parse(await client.get("/api/feeds/decisions.atom"))
    entries = check_feed(root)
    assert root.get(LANG) == "en"
    assert len(entries) == 1
    entry = entries[0]
    assert entry.findtext(f"{A}title") == "Fund the play area"
    assert entry.findtext(f"{A}summary") == "Cabinet funded it, with changes."
    assert entry.findtext(f"{A}id").endswith(f":decision/{world.decision}")
    links = {link.get("hreflang"): link.get("href") for link in entry.findall(f"{A}link")}
    assert links == {
        "en": f"http://testserver/en/decisions/{world.decision}",
        "cy": f"http://testserver/cy/decisions/{world.decision}",
    }
    welsh = parse(await client.get("/api/feeds/decisions.atom?lang=cy"))
    assert welsh.get(LANG) == "cy"
    assert welsh.find(f"{A}entry").findtext(f"{A}title") == "Ariannu'r ardal chwarae"
    assert welsh.find(f"{A}entry").findtext(f"{A}id") == entry.findtext(f"{A}id")  # the same decision
    assert welsh.findtext(f"{A}id") != root.findtext(f"{A}id")  # a different document
    everything = (await client.get("/api/feeds/decisions.atom")).text
    for secret in SECRETS:
        assert secret not in everything
    # By area: decisions answering input from that area.
    assert len(parse(await client.get(f"/api/feeds/decisions.atom?area={world.areas[0]}")).findall(f"{A}entry")) == 1
    other_round = parse(await client.get(f"/api/feeds/decisions.atom?round={world.round_id}"))
    assert len(check_feed(other_round)) == 1


async def test_delivery_feed_has_one_entry_per_update_escaped(client):
    world = await make_world()
    response = await client.get(f"/api/feeds/delivery.atom?round={world.round_id}")
    assert b"Halfway &lt;there&gt; &amp; on budget" in response.content
    root = parse(response)
    entries = check_feed(root)
    assert len(entries) == 3
    assert [e.findtext(f"{A}summary") for e in entries] == [
        FORMULA,
        "Halfway <there> & on budget",
        "Work started",
    ]  # newest first
    assert entries[0].findtext(f"{A}title") == "Swings"
    assert entries[1].find(f"{A}category").get("term") == "in_progress"
    assert entries[1].findtext(f"{A}published") == "2027-07-01T09:00:00Z"
    assert entries[1].find(f"{A}link[@hreflang='cy']").get("href") == f"http://testserver/cy/delivery/{world.delivery}"
    self_link = root.find(f"{A}link[@rel='self']").get("href")
    assert self_link == f"http://testserver/api/feeds/delivery.atom?lang=en&round={world.round_id}"
    other = root.find(f"{A}link[@type='application/atom+xml'][@rel='alternate']")
    assert other.get("hreflang") == "cy" and "lang=cy" in other.get("href")
    area = parse(await client.get(f"/api/feeds/delivery.atom?area={world.areas[1]}"))
    assert check_feed(area) == []


@pytest.mark.pure
def test_feed_builder_escapes_and_drops_characters_xml_cannot_carry():
    when = datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC)
    body = feeds.atom_feed(
        feed_id="tag:example.org,2025:feeds/x/en",
        title="A & B <c>",
        lang="en",
        author="Cyngor",
        links=[],
        empty_updated=when,
        entries=[
            feeds.Entry(
                id=feeds.tag_uri("https://pb.example.gov.wales:8443", when, "thing/1"),
                title=feeds.Text("Teitl \x00\x1f</title>", "cy"),
                updated=when,
                published=when,
                summary=feeds.Text("]]> & <script>", "en"),
                links=[],
            )
        ],
    )
    root = ET.fromstring(body)
    entry = root.find(f"{A}entry")
    assert root.findtext(f"{A}title") == "A & B <c>"
    assert entry.findtext(f"{A}id") == "tag:pb.example.gov.wales,2027-01-02:thing/1"
    assert entry.findtext(f"{A}title") == "Teitl </title>" and entry.find(f"{A}title").get(LANG) == "cy"
    assert entry.findtext(f"{A}summary") == "]]> & <script>" and entry.find(f"{A}summary").get(LANG) is None
    assert root.findtext(f"{A}updated") == "2027-01-02T03:04:05Z"
