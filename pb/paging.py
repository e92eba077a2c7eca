"""The one pagination rule: which slice of a listing a page shows, and how many pages there are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Pager:
    number: int  # the page shown, 1-based, within 1 … pages
    pages: int  # at least 1, even for an empty listing
    total: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(total: int, requested: int, per_page: int) -> Pager:
    """The page to show for a request: a page past the end shows the last one, before 1 the first."""
    pages = max(1, -(-total // per_page))
    return Pager(number=min(max(1, requested), pages), pages=pages, total=total, per_page=per_page)


def page_of(rows: Sequence[T], requested: int, per_page: int) -> tuple[list[T], int, int]:
    """A listing already in memory: (the rows on the page shown, that page's number, number of pages)."""
    pager = paginate(len(rows), requested, per_page)
    return list(rows[pager.offset : pager.offset + per_page]), pager.number, pager.pages
