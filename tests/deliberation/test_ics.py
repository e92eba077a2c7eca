"""The session's calendar file, parsed back by a small RFC 5545 reader."""

import re
from datetime import UTC, datetime, timedelta

from pb.deliberation.tables import DeliberationSession
from tests.conftest import make_user
from tests.deliberation.conftest import make_session


def unfold(text: str) -> list[str]:
    assert "\n" not in text.replace("\r\n", ""), "every line ends with CRLF"
    assert text.endswith("\r\n")
    raw = text.split("\r\n")[:-1]
    for line in raw:
        assert len(line.encode("utf-8")) <= 75, line
    lines: list[str] = []
    for line in raw:
        if line.startswith((" ", "\t")):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse(text: str) -> list[dict]:
    """Components as dicts of property name -> value (properties without parameters here)."""
    stack, found = [], []
    for line in unfold(text):
        name, _, value = line.partition(":")
        if name == "BEGIN":
            stack.append({"_": value})
        elif name == "END":
            component = stack.pop()
            assert component["_"] == value
            found.append(component)
        else:
            stack[-1][name.split(";")[0]] = value
    assert not stack
    return found


async def test_the_calendar_file_parses_back(client):
    facilitator = await make_user(email="facilitator@example.org", roles={"facilitator"})
    starts = datetime(2027, 7, 1, 17, 30, tzinfo=UTC)  # 18:30 in Wales
    session_id = await make_session(
        facilitator,
        title_en="Riverside, benches; and more \\ a long title that will certainly need folding across lines",
        title_cy="Meinciau, glan yr afon; ŵyl â chân ŷd – teitl hir iawn sydd angen ei blygu dros sawl llinell",
        format="hybrid",
        venue="Neuadd y Dref\nTown Hall, Stryd Fawr",
        online_url="https://meet.example.org/secret-room",
    )
    await DeliberationSession.update(
        {
            DeliberationSession.starts_at: starts,
            DeliberationSession.ends_at: starts + timedelta(hours=2),
            DeliberationSession.sequence: 2,
        }
    ).where(DeliberationSession.id == session_id)

    response = await client.get(f"/cy/sessions/{session_id}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "attachment" in response.headers["content-disposition"]
    components = parse(response.text)
    calendar = components[-1]
    [event] = [c for c in components if c["_"] == "VEVENT"]
    assert calendar["_"] == "VCALENDAR" and calendar["VERSION"] == "2.0" and calendar["PRODID"]
    assert event["UID"] == f"session-{session_id}@testserver"
    assert event["DTSTART"] == "20270701T173000Z" and event["DTEND"] == "20270701T193000Z"
    assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"])
    assert event["SEQUENCE"] == "2" and event["STATUS"] == "CONFIRMED"
    assert (
        unescape(event["SUMMARY"])
        == "Meinciau, glan yr afon; ŵyl â chân ŷd – teitl hir iawn sydd angen ei blygu dros sawl llinell"
    )
    assert unescape(event["LOCATION"]).startswith("Neuadd y Dref\nTown Hall, Stryd Fawr")
    assert event["URL"] == f"http://testserver/cy/sessions/{session_id}"
    assert "secret-room" not in response.text  # the joining link is only for people with a place

    english = parse((await client.get(f"/en/sessions/{session_id}/calendar.ics")).text)
    [event] = [c for c in english if c["_"] == "VEVENT"]
    assert unescape(event["SUMMARY"]).startswith("Riverside, benches; and more \\ a long")


async def test_a_cancelled_session_says_so_in_the_calendar(client):
    facilitator = await make_user(email="facilitator@example.org", roles={"facilitator"})
    session_id = await make_session(facilitator, status="cancelled", sequence=1)
    [event] = [c for c in parse((await client.get(f"/en/sessions/{session_id}/calendar.ics")).text) if c["_"] == "VEVENT"]
    assert event["STATUS"] == "CANCELLED"
    assert (await client.get("/en/sessions/999999/calendar.ics")).status_code == 404
