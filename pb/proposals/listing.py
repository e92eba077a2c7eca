"""The proposal listing's filters, sorting and paging: pure functions of plain values.

The same filters arrive as query parameters from plain links, a plain GET form, or htmx; the URL
always carries them, so any listing can be shared or bookmarked."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from pb.fields import is_digits
from pb.i18n import N_
from pb.proposals import lifecycle
from pb.proposals.rules import THEMES

PAGE_SIZE = 12
SORTS = {
    "newest": N_("Newest first"),
    "supported": N_("Most supported"),
    "cost_low": N_("Lowest cost first"),
    "cost_high": N_("Highest cost first"),
}


@dataclass(frozen=True)
class Filters:
    q: str = ""
    area: int | None = None
    theme: str = ""
    status: str = ""  # "" means every proposal still in the running
    sort: str = "newest"
    page: int = 1

    def query(self, **changes) -> str:
        """The query string for these filters with some changed (page resets unless given)."""
        changed = replace(self, **({"page": 1} | changes))
        pairs = [
            (key, value)
            for key, value in (
                ("q", changed.q),
                ("area", changed.area or ""),
                ("theme", changed.theme),
                ("status", changed.status),
                ("sort", "" if changed.sort == "newest" else changed.sort),
                ("page", "" if changed.page == 1 else changed.page),
            )
            if value not in ("", None)
        ]
        return urlencode(pairs)


def parse_filters(params: dict, area_ids: set[int]) -> Filters:
    """Read filters from query parameters, ignoring anything unknown or malformed."""

    def text(name: str) -> str:
        value = params.get(name, "")
        return value.strip() if isinstance(value, str) else ""

    area_text, page_text = text("area"), text("page")
    area = int(area_text) if is_digits(area_text) and int(area_text) in area_ids else None
    theme = text("theme") if text("theme") in THEMES else ""
    status = text("status") if text("status") in lifecycle.PUBLIC_STATUSES or text("status") == "all" else ""
    sort = text("sort") if text("sort") in SORTS else "newest"
    page = int(page_text) if is_digits(page_text) and 0 < int(page_text) < 100_000 else 1
    return Filters(q=text("q")[:100], area=area, theme=theme, status=status, sort=sort, page=page)


def search_words(q: str) -> list[str]:
    return [word for word in q.lower().split() if word][:8]


def status_matches(status: str, wanted: str) -> bool:
    if wanted == "all":
        return lifecycle.is_public(status)
    if wanted:
        return status == wanted
    return lifecycle.counts_as_live(status)


def matching_statuses(wanted: str) -> list[str]:
    """The statuses a listing's status filter shows (for the database to narrow by)."""
    return [status for status in lifecycle.STATUSES if status_matches(status, wanted)]


def current_cost(row: dict) -> int:
    return row["revised_cost_pence"] if row.get("revised_cost_pence") is not None else row["estimated_cost_pence"]


def sort_rows(rows: list[dict], sort: str) -> list[dict]:
    keys = {
        "newest": lambda r: (-(r["submitted_at"].timestamp() if r["submitted_at"] else 0), r["id"]),
        "supported": lambda r: (-r["support_count"], r["id"]),
        "cost_low": lambda r: (current_cost(r), r["id"]),
        "cost_high": lambda r: (-current_cost(r), r["id"]),
    }
    return sorted(rows, key=keys[sort])
