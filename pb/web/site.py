"""The council's own details — its name, how to contact it, its accessibility and privacy contacts —
as pages, printed letters and emails show them, in each language.

An admin keeps them on the site settings page (pb.site); each app process holds the saved values in
memory, loaded at start-up, refreshed every 30 seconds and replaced the moment an admin saves, so
showing them costs no query. Until they are saved, the council's name comes from the configuration
(PB_COUNCIL_NAME, PB_COUNCIL_NAME_CY) and the rest is left out rather than invented."""

from __future__ import annotations

from datetime import date
from typing import Any

from pb import i18n
from pb.config import get_settings

BILINGUAL = ("council_name", "short_name", "address", "opening_hours", "controller", "retention")
SINGLE = ("contact_email", "phone", "accessibility_contact", "dpo_contact", "accessibility_reviewed")

_saved: dict[str, Any] | None = None


def remember(values: dict[str, Any] | None) -> None:
    global _saved
    _saved = dict(values) if values else None


def forget() -> None:
    remember(None)


def details(lang: str) -> dict[str, Any]:
    """The details in `lang`, a field written only in the other language falling back to it."""
    saved = _saved or {}
    other = i18n.other_language(lang)
    found: dict[str, Any] = {name: saved.get(f"{name}_{lang}") or saved.get(f"{name}_{other}") or "" for name in BILINGUAL}
    found.update({name: saved.get(name) or "" for name in SINGLE})
    found["council_name"] = found["council_name"] or get_settings().council_name(lang)
    found["short_name"] = found["short_name"] or found["council_name"]
    found["controller"] = found["controller"] or found["council_name"]
    found["accessibility_contact"] = found["accessibility_contact"] or found["contact_email"]
    reviewed = saved.get("accessibility_reviewed")
    found["accessibility_reviewed"] = reviewed if isinstance(reviewed, date) else None
    found["has_contact"] = bool(found["phone"] or found["contact_email"] or found["address"])
    return found
