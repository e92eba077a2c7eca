"""Participation over time during a round, for staff: pure functions of plain data.

Weeks are the council's weeks: ISO weeks (Monday to Sunday) in UK time, named by their Monday.
Everything here is a count: of proposals, supports, comments, places at sessions and voters. What
turnout may be shown depends on the phase (`turnout_shown`): while the vote is open the voter
register says only how many have voted by each channel (it has no time and no area, by design);
turnout by area exists only once the results are published. No function here sees a choice.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Generic, Literal, TypeVar
from zoneinfo import ZoneInfo

from pb.i18n import N_

Key = TypeVar("Key", bound=Hashable)

LOCAL_TIME = ZoneInfo("Europe/London")
# At most this many weeks are shown (about three years); anything earlier is counted in the first.
MAX_WEEKS = 156

MEASURES: dict[str, str] = {
    "proposals": N_("Proposals submitted"),
    "supports": N_("Supports given"),
    "comments": N_("Comments posted"),
    "registrations": N_("Session registrations"),
}
# The measures whose things have an area (a proposal's own; a support's or comment's through it).
BY_AREA = ("proposals", "supports", "comments")

# The ways of voting, in the order the results page gives them; "imported" only for a round loaded
# from a Pabulib file.
CHANNELS: dict[str, str] = {
    "online": N_("Online"),
    "code": N_("Voting code"),
    "paper": N_("Paper ballot"),
    "assisted": N_("Assisted"),
    "imported": N_("Imported from a Pabulib file"),
}
ALWAYS_SHOWN_CHANNELS = ("online", "code", "paper", "assisted")

TurnoutShown = Literal["none", "so_far", "by_area"]


def week_of(moment: datetime | date) -> date:
    """The Monday of the ISO week the moment falls in, in UK time (a naive datetime is taken as UTC)."""
    if isinstance(moment, datetime):
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
        day = aware.astimezone(LOCAL_TIME).date()
    else:
        day = moment
    return day - timedelta(days=day.weekday())


def local_day(moment: datetime) -> date:
    """The day a moment falls on in UK time (a naive datetime is taken as UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(LOCAL_TIME).date()


def weeks_between(first: date, last: date) -> list[date]:
    """The Mondays from the week of `first` to the week of `last`, oldest first: at least one week
    (the week of `first` when `last` is before it), and at most MAX_WEEKS (the latest ones)."""
    start, end = week_of(first), week_of(last)
    if end < start:
        return [start]
    count = min((end - start).days // 7 + 1, MAX_WEEKS)
    return [end - timedelta(weeks=back) for back in range(count - 1, -1, -1)]


def closed_on(phase: str, left_voting: date | None, results_from: date) -> date | None:
    """The day the vote closed: the day the round left voting, as its phase log says, or (for a
    round that has no such entry, such as one loaded whole) the planned start of the results. None
    while the vote has not closed."""
    if phase not in ("counting", "results", "delivery"):
        return None
    return left_voting or results_from


def period(opens: date, closed: date | None, today: date, moments: Iterable[datetime]) -> list[date]:
    """The weeks a round's dashboard shows: from the week proposals open (or of anything earlier) to
    the week the vote closed, or this week while it is open (or of anything later, such as comments
    on the results)."""
    days = [local_day(moment) for moment in moments]
    first = min([opens, *days])
    last = max([closed or today, *days])
    return weeks_between(first, last)


@dataclass(frozen=True)
class Grid(Generic[Key]):
    """Counts by week (rows, oldest first) and by column (a measure, an area or a channel), with totals."""

    weeks: list[date]
    columns: list[Key]
    counts: list[list[int]]  # counts[week][column]

    @property
    def week_totals(self) -> list[int]:
        return [sum(row) for row in self.counts]

    @property
    def column_totals(self) -> list[int]:
        return [sum(row[index] for row in self.counts) for index in range(len(self.columns))]

    @property
    def total(self) -> int:
        return sum(self.week_totals)

    def rows(self) -> list[tuple[date, list[int], int]]:
        """(Monday, counts by column, the week's total) for each week."""
        return [(monday, row, sum(row)) for monday, row in zip(self.weeks, self.counts, strict=True)]


def grid(events: Iterable[tuple[Key, datetime | date]], weeks: Sequence[date], columns: Sequence[Key]) -> Grid[Key]:
    """Events (column, moment) counted by the week of their moment. An event before the first week
    is counted in it and one after the last in the last (so the totals are every event); an event
    in a column not listed is an error, never silently dropped."""
    if not weeks:
        raise ValueError("a grid needs at least one week")
    position = {monday: index for index, monday in enumerate(weeks)}
    place = {column: index for index, column in enumerate(columns)}
    counts = [[0] * len(columns) for _ in weeks]
    for column, moment in events:
        if column not in place:
            raise ValueError(f"no column for {column!r}")
        monday = min(max(week_of(moment), weeks[0]), weeks[-1])
        counts[position[monday]][place[column]] += 1
    return Grid(list(weeks), list(columns), counts)


# Turnout


def turnout_shown(phase: str) -> TurnoutShown:
    """What turnout the dashboard may show in a phase. Before the vote: none. While it is open or
    being counted: how many have voted so far, by channel, from the register (which has no time and
    no area). Once the results are published: by area and channel, from the readable ballots."""
    if phase in ("voting", "counting"):
        return "so_far"
    if phase in ("results", "delivery"):
        return "by_area"
    return "none"


def channels_of(counts: dict[str, int]) -> list[str]:
    """The channels to show: the four ways of voting always, any other only where it has votes."""
    known = [*ALWAYS_SHOWN_CHANNELS, *(c for c in CHANNELS if c not in ALWAYS_SHOWN_CHANNELS and counts.get(c))]
    return known + sorted(c for c in counts if c not in CHANNELS and counts[c])


@dataclass(frozen=True)
class Turnout:
    """Voters by area (None where the area is not known: while the vote is open) and channel."""

    areas: list[int | None]
    channels: list[str]
    counts: list[list[int]]  # counts[area][channel]

    @property
    def area_totals(self) -> list[int]:
        return [sum(row) for row in self.counts]

    @property
    def channel_totals(self) -> list[int]:
        return [sum(row[index] for row in self.counts) for index in range(len(self.channels))]

    @property
    def total(self) -> int:
        return sum(self.area_totals)

    def rows(self) -> list[tuple[int | None, list[int], int]]:
        return [(area, row, sum(row)) for area, row in zip(self.areas, self.counts, strict=True)]


def turnout(rows: Iterable[tuple[int | None, str, int]], areas: Sequence[int | None]) -> Turnout:
    """Counts of voters (area, channel, count) as a table of the given areas by channel; counts for
    an area not listed are an error."""
    rows = list(rows)
    by_channel: dict[str, int] = {}
    for _, channel, count in rows:
        by_channel[channel] = by_channel.get(channel, 0) + count
    channels = channels_of(by_channel)
    place = {area: index for index, area in enumerate(areas)}
    column = {channel: index for index, channel in enumerate(channels)}
    counts = [[0] * len(channels) for _ in areas]
    for area, channel, count in rows:
        if area not in place:
            raise ValueError(f"no row for area {area!r}")
        if count:
            counts[place[area]][column[channel]] += count
    return Turnout(list(areas), channels, counts)
