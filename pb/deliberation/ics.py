"""iCalendar (RFC 5545) files for sessions, written by hand: CRLF line endings, lines folded at 75
octets (never inside a UTF-8 character), text values escaped, times in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

CRLF = "\r\n"
LIMIT = 75  # octets per line, not counting the CRLF


def escape(text: str) -> str:
    """TEXT escaping: backslash, semicolon, comma and newlines."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets; each continuation starts with a space
    (which counts towards its 75)."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = LIMIT if not pieces else LIMIT - 1
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def calendar(events: list[dict], stamp: datetime, product: str = "-//pb//Deliberative sessions//EN") -> str:
    """A VCALENDAR with one VEVENT per event. Each event has uid, sequence, starts_at, ends_at,
    summary, description, location, url and cancelled."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{product}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event['uid']}",
            f"SEQUENCE:{event['sequence']}",
            f"DTSTAMP:{utc(stamp)}",
            f"DTSTART:{utc(event['starts_at'])}",
            f"DTEND:{utc(event['ends_at'])}",
            f"SUMMARY:{escape(event['summary'])}",
        ]
        if event.get("description"):
            lines.append(f"DESCRIPTION:{escape(event['description'])}")
        if event.get("location"):
            lines.append(f"LOCATION:{escape(event['location'])}")
        if event.get("url"):
            lines.append(f"URL:{event['url']}")
        lines.append(f"STATUS:{'CANCELLED' if event.get('cancelled') else 'CONFIRMED'}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
