"""Atom feeds (RFC 4287), built with ElementTree so every text is XML-escaped. Pure.

Each entry has a tag: URI id (RFC 4151) that never changes, its updated and published times, and two
alternate links to its public page: one in English, one in Welsh, each with its hreflang."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from pb.opendata.serialise import utc

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
# Characters XML 1.0 cannot carry at all, even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

ET.register_namespace("", ATOM)


@dataclass(frozen=True)
class Text:
    text: str
    lang: str


@dataclass(frozen=True)
class Link:
    href: str
    rel: str = "alternate"
    hreflang: str | None = None
    type: str | None = "text/html"
    title: str | None = None


@dataclass(frozen=True)
class Entry:
    id: str
    title: Text
    updated: datetime
    published: datetime | None
    summary: Text
    links: list[Link]
    categories: list[tuple[str, str]] = field(default_factory=list)  # (term, label)


def tag_authority(base_url: str) -> str:
    """The host name of pb's public address (no port), for tag: URIs."""
    return (urlsplit(base_url).hostname or "localhost").lower()


def tag_uri(base_url: str, when: datetime | str, specific: str) -> str:
    """tag:host,date:specific. The date is when the thing was first published, so it never changes."""
    day = when if isinstance(when, str) else utc(when).date().isoformat()
    return f"tag:{tag_authority(base_url)},{day}:{specific}"


def clean(text: str) -> str:
    return NOT_XML.sub("", text or "")


def rfc3339(value: datetime) -> str:
    return utc(value).isoformat(timespec="seconds").replace("+00:00", "Z")


def _text(parent: ET.Element, name: str, value: Text | str, lang: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    if isinstance(value, Text):
        element.text = clean(value.text)
        if value.lang != lang:
            element.set(XML_LANG, value.lang)
    else:
        element.text = clean(value)
    if name in ("title", "summary", "subtitle"):
        element.set("type", "text")
    return element


def _link(parent: ET.Element, link: Link) -> None:
    attributes = {"rel": link.rel, "href": clean(link.href)}
    if link.type:
        attributes["type"] = link.type
    if link.hreflang:
        attributes["hreflang"] = link.hreflang
    if link.title:
        attributes["title"] = clean(link.title)
    ET.SubElement(parent, f"{{{ATOM}}}link", attributes)


def atom_feed(
    *, feed_id: str, title: str, lang: str, author: str, links: list[Link], entries: list[Entry], empty_updated: datetime
) -> bytes:
    """The feed document. `empty_updated` is the feed's updated time when it has no entries."""
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: lang})
    _text(feed, "id", feed_id, lang)
    _text(feed, "title", title, lang)
    newest = max((entry.updated for entry in entries), default=empty_updated)
    _text(feed, "updated", rfc3339(newest), lang)
    writer = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(writer, "name", author, lang)
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "pb"
    for link in links:
        _link(feed, link)
    for entry in entries:
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(item, "id", entry.id, lang)
        _text(item, "title", entry.title, lang)
        _text(item, "updated", rfc3339(entry.updated), lang)
        if entry.published:
            _text(item, "published", rfc3339(entry.published), lang)
        for link in entry.links:
            _link(item, link)
        for term, label in entry.categories:
            ET.SubElement(item, f"{{{ATOM}}}category", {"term": clean(term), "label": clean(label)})
        _text(item, "summary", entry.summary, lang)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
