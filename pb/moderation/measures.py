"""Figures for the public transparency log and for tension monitoring: pure functions of plain data.

Nothing here knows who anyone is: the functions see codes (visibility, ground, law, clause, status),
moments and counts, never names or content.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from typing import TypeVar
from zoneinfo import ZoneInfo

Key = TypeVar("Key", bound=Hashable)

# Weeks are the council's weeks: ISO weeks (Monday to Sunday) in UK time.
LOCAL_TIME = ZoneInfo("Europe/London")

# The spike rule. A week is a spike when it has at least SPIKE_MINIMUM events AND at least SPIKE_FACTOR
# times the average of the BASELINE_WEEKS weeks before it. The minimum keeps small numbers quiet (one
# report after a quiet month is not rising tension); doubling the recent average is a rise an officer
# should look at, whatever the usual level of an area. Weeks with no events count as 0 in the average.
SPIKE_MINIMUM = 5
SPIKE_FACTOR = 2
BASELINE_WEEKS = 4

HOUR = 3600
DAY = 24 * HOUR
# Up to this many hours a wait is said in hours, beyond it in days ("36 hours", then "3 days").
HOURS_UP_TO = 48


def median(values: Iterable[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None when there are none."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class Duration:
    """A length of time as people say it: `unit` is "under_an_hour", "hours" or "days"; `amount` the
    whole number of them (0 for under_an_hour). Templates turn it into words with the right plural."""

    unit: str
    amount: int


def _round_half_up(value: float) -> int:
    return int(Fraction(value) + Fraction(1, 2))


def duration(seconds: float | None) -> Duration | None:
    """Seconds in plain words: under an hour; whole hours up to 48 hours; whole days beyond.
    None (nothing measured) stays None. A negative wait (clocks out of step) counts as none."""
    if seconds is None:
        return None
    seconds = max(seconds, 0)
    if seconds < HOUR:
        return Duration("under_an_hour", 0)
    hours = _round_half_up(seconds / HOUR)
    if hours <= HOURS_UP_TO:
        return Duration("hours", hours)
    return Duration("days", _round_half_up(seconds / DAY))


def tally(rows: Iterable[Mapping], field: str, by: str = "action") -> dict[str, dict[str, int]]:
    """Rows counted by one field and then by another: {value of field: {value of by: count}}."""
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        inner = counts.setdefault(row[field], {})
        inner[row[by]] = inner.get(row[by], 0) + 1
    return counts


def count(values: Iterable[str]) -> dict[str, int]:
    """How often each value occurs."""
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def appeal_outcome(statuses: Iterable[str]) -> str | None:
    """What became of the appeals against one decision (one per person, so there may be several):
    overturned if any appeal succeeded, else open while any is waiting, else upheld; None if none."""
    found = set(statuses)
    for outcome in ("overturned", "open", "upheld"):
        if outcome in found:
            return outcome
    return None


def waits(pairs: Iterable[tuple[datetime, datetime | None]]) -> list[float]:
    """Seconds from each start to its end; pairs without an end (not decided yet) are left out."""
    return [(end - start).total_seconds() for start, end in pairs if end is not None]


def first_by(pairs: Iterable[tuple[Key, datetime]]) -> dict[Key, datetime]:
    """The earliest moment for each key (e.g. each decision's first report)."""
    earliest: dict[Key, datetime] = {}
    for key, moment in pairs:
        if key not in earliest or moment < earliest[key]:
            earliest[key] = moment
    return earliest


# Weeks and spikes


def week_of(moment: datetime | date) -> date:
    """The Monday of the ISO week the moment falls in, in UK time (a naive datetime is taken as UTC)."""
    if isinstance(moment, datetime):
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
        day = aware.astimezone(LOCAL_TIME).date()
    else:
        day = moment
    return day - timedelta(days=day.weekday())


def weeks_to(this_week: date, count: int) -> list[date]:
    """The Mondays of `count` weeks ending with `this_week`, oldest first."""
    return [this_week - timedelta(weeks=back) for back in range(count - 1, -1, -1)]


def week_start(monday: date) -> datetime:
    """The moment a week starts (midnight on Monday, UK time), as UTC."""
    return datetime.combine(monday, time(0), tzinfo=LOCAL_TIME).astimezone(UTC)


def weekly(events: Iterable[tuple[Key, date]], weeks: Sequence[date]) -> dict[Key, list[int]]:
    """Events (key, Monday of their week) counted per key for each of `weeks` (in that order); events
    in other weeks are left out. A key appears only if it has an event in one of the weeks."""
    position = {monday: index for index, monday in enumerate(weeks)}
    series: dict[Key, list[int]] = {}
    for key, monday in events:
        index = position.get(monday)
        if index is not None:
            series.setdefault(key, [0] * len(weeks))[index] += 1
    return series


def is_spike(this_week: int, previous: Sequence[int]) -> bool:
    """This week is a spike: at least SPIKE_MINIMUM, and at least SPIKE_FACTOR times the average of the
    previous weeks (an empty history averages 0). Exact in integers: no rounding at the boundary."""
    if this_week < 0 or any(n < 0 for n in previous):
        raise ValueError("counts are never negative")
    if this_week < SPIKE_MINIMUM:
        return False
    return this_week * len(previous) >= SPIKE_FACTOR * sum(previous)


def spikes(series: Sequence[int], baseline: int = BASELINE_WEEKS) -> list[bool]:
    """For a series of weekly counts that starts with `baseline` weeks of history, whether each later
    week is a spike against the `baseline` weeks before it (one flag per week after the history)."""
    return [is_spike(series[index], series[index - baseline : index]) for index in range(baseline, len(series))]
