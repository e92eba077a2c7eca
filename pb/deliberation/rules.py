"""The rules of deliberative sessions: pure functions of plain values, tested directly.

- Places: a registration takes a place while fewer people hold places than the session's capacity,
  otherwise it joins the waiting list. When a place comes free (a cancellation, or more capacity),
  the longest-waiting people move up, oldest first.
- Who may record: the session's own facilitator, or an admin; from the start of the session's day
  (Europe/London), "during or after" the session, until its outcomes are published.
- Publication: once the session has begun, with the attendance counted and a public summary in
  Welsh and English. Published outcomes are community input that decisions link to, so they are
  not changed afterwards.
- Reminders: each person with a place is reminded once, on the day before the session (or on the
  day itself if the reminder run was missed), unless they got their place on or after the day
  before (their confirmation email has only just given them the details).

Validators return (cleaned values, errors) where errors map a field name to a message id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime

from pb.fields import bilingual_text, form_text, is_digits
from pb.i18n import N_, t

LOCAL_TIME = ZoneInfo("Europe/London")

FORMATS = {
    "in_person": N_("In person"),
    "online": N_("Online"),
    "hybrid": N_("Hybrid: in person and online"),
}
LANGUAGE_MODES = {
    "cy": N_("Welsh-medium"),
    "bilingual": N_("Bilingual: Welsh and English"),
    "en": N_("English-medium, with Welsh on request"),
}
# What a session offers, for the people choosing one.
FEATURES = {
    "step_free": N_("Step-free access"),
    "hearing_loop": N_("Hearing loop"),
    "bsl": N_("British Sign Language (BSL) interpretation"),
    "childcare": N_("Childcare"),
    "quiet_space": N_("Quiet space"),
}
# The listing's accessibility filter: the features, and the session's language.
ACCESS_FILTERS = {**FEATURES, "welsh": N_("Welsh-medium or bilingual")}
# What someone registering may ask for.
NEEDS = {
    "step_free": N_("Step-free access"),
    "hearing_loop": N_("A hearing loop"),
    "bsl": N_("British Sign Language (BSL) interpretation"),
    "interpretation": N_("Welsh and English interpretation"),
    "childcare": N_("Childcare"),
    "quiet_space": N_("A quiet space"),
    "large_print": N_("Papers in large print"),
    "easy_read": N_("Papers in Easy Read"),
}
OUTCOME_KINDS = {
    "theme": N_("Theme or point raised"),
    "recommendation": N_("Recommendation"),
    "prioritisation": N_("Prioritisation result"),
    "summary": N_("Summary"),
}
METHODS = {
    "dots": N_("Dot vote: each tally is the number of dots"),
    "ranking": N_("Ranking: each tally is the points from people's rankings"),
}
RegistrationStatus = Literal["registered", "waiting", "cancelled"]
REGISTRATION_STATUSES: dict[RegistrationStatus, str] = {
    "registered": N_("You have a place"),
    "waiting": N_("On the waiting list"),
    "cancelled": N_("Cancelled"),
}
WHEN = {"upcoming": N_("Upcoming sessions"), "past": N_("Past sessions")}

TITLE_MAX, DESCRIPTION_MAX, VENUE_MAX, URL_MAX, NOTES_MAX = 200, 5_000, 500, 500, 2_000
NAME_MAX, OTHER_NEEDS_MAX = 100, 500
OUTCOME_MAX, SUMMARY_MAX, METHOD_NOTE_MAX = 2_000, 1_500, 500
CAPACITY_MAX, COUNT_MAX, TALLY_MAX = 5_000, 100_000, 1_000_000
MAX_CARED_FOR = 3  # places one account may hold for people it cares for, per session
PAGE_SIZE = 10
TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")

Errors = dict[str, str]


def _whole(text: str, most: int) -> int | None:
    """A whole number from 0 to `most` typed by a person ("1,200" allowed), else None."""
    cleaned = text.replace(",", "").replace(" ", "")
    if not is_digits(cleaned) or len(cleaned) > 9:
        return None
    number = int(cleaned)
    return number if number <= most else None


# Times -----------------------------------------------------------------------------------------


def local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TIME)


def local_day_start(moment: datetime) -> datetime:
    """Midnight (Europe/London) at the start of the day `moment` falls on."""
    day = local(moment).date()
    return datetime.combine(day, time(0, 0), tzinfo=LOCAL_TIME)


def to_utc(day: date, at: time) -> datetime:
    """A wall-clock time in Wales as an aware UTC datetime (summer time handled by zoneinfo)."""
    return datetime.combine(day, at, tzinfo=LOCAL_TIME).astimezone(UTC)


def parse_time(text: str) -> time | None:
    match = TIME.match(text.strip())
    return time(int(match.group(1)), int(match.group(2))) if match else None


def _locale(lang: str) -> Locale:
    return Locale.parse("en_GB" if lang == "en" else lang)


def day_text(moment: datetime, lang: str) -> str:
    return format_datetime(moment, "EEEE d MMMM y", locale=_locale(lang), tzinfo=LOCAL_TIME)


def time_text(moment: datetime, lang: str) -> str:
    return format_datetime(moment, "HH:mm", locale=_locale(lang), tzinfo=LOCAL_TIME)


def when_text(starts_at: datetime, ends_at: datetime, lang: str) -> str:
    """'Tuesday 2 March 2027, 18:30 to 20:00' in Welsh or English, in UK time."""
    if local(starts_at).date() == local(ends_at).date():
        return t(
            lang,
            N_("%(day)s, %(start)s to %(end)s"),
            day=day_text(starts_at, lang),
            start=time_text(starts_at, lang),
            end=time_text(ends_at, lang),
        )
    return t(
        lang,
        N_("%(start)s to %(end)s"),
        start=f"{day_text(starts_at, lang)}, {time_text(starts_at, lang)}",
        end=f"{day_text(ends_at, lang)}, {time_text(ends_at, lang)}",
    )


# Scheduling ------------------------------------------------------------------------------------


def validate_session(
    form: dict, features: list[str], round_ids: set[int], area_rounds: dict[int, int], registered: int = 0
) -> tuple[dict, Errors]:
    """Check the scheduling form. `area_rounds` maps each area a session may be in to its round;
    `registered` is how many people already hold places (capacity may not drop below it)."""
    errors: Errors = {}
    values: dict = {}
    for field, limit, missing, too_long in (
        ("title", TITLE_MAX, N_("Enter the session's title"), N_("Title must be 200 characters or fewer")),
        ("description", DESCRIPTION_MAX, N_("Describe the session"), N_("Description must be 5,000 characters or fewer")),
    ):
        texts, problems = bilingual_text(form, field, limit, too_long, missing)
        values |= texts
        errors |= problems

    round_text, area_text = form_text(form, "round"), form_text(form, "area")
    values["round_id"] = int(round_text) if is_digits(round_text) and int(round_text) in round_ids else None
    if round_text and values["round_id"] is None:
        errors["round"] = N_("Choose a round from the list")
    values["area_id"] = int(area_text) if is_digits(area_text) and int(area_text) in area_rounds else None
    if area_text and values["area_id"] is None:
        errors["area"] = N_("Choose an area from the list")
    elif values["area_id"] is not None and area_rounds[values["area_id"]] != values["round_id"]:
        errors["area"] = N_("Choose an area of the session's round, or no particular area")

    session_format = form_text(form, "format")
    values["format"] = session_format
    if session_format not in FORMATS:
        errors["format"] = N_("Choose whether the session is in person, online or both")
    values["venue"] = form_text(form, "venue")
    values["online_url"] = form_text(form, "online_url")
    if session_format in ("in_person", "hybrid") and not values["venue"]:
        errors["venue"] = N_("Enter where the session is")
    elif len(values["venue"]) > VENUE_MAX:
        errors["venue"] = N_("The place must be 500 characters or fewer")
    url = values["online_url"]
    if session_format in ("online", "hybrid") and not url:
        errors["online_url"] = N_("Enter the link people use to join online")
    elif url and (not url.startswith("https://") or len(url) > URL_MAX or any(c in url for c in " \"<>'")):
        errors["online_url"] = N_("Enter a web address starting with https://")
    if session_format == "in_person":
        values["online_url"] = ""
    if session_format == "online":
        values["venue"] = ""

    day_text_value = form_text(form, "date")
    try:
        day = date.fromisoformat(day_text_value)
        if not 2000 <= day.year <= 2100:
            raise ValueError
    except ValueError:
        day = None
        errors["date"] = N_("Enter a real date, like 2027-03-31")
    start, end = parse_time(form_text(form, "start_time")), parse_time(form_text(form, "end_time"))
    if start is None:
        errors["start_time"] = N_("Enter the start time on the 24-hour clock, like 18:30")
    if end is None:
        errors["end_time"] = N_("Enter the end time on the 24-hour clock, like 20:00")
    elif start is not None and end <= start:
        errors["end_time"] = N_("The session must end after it starts")
    if day and start and end and "end_time" not in errors:
        values["starts_at"], values["ends_at"] = to_utc(day, start), to_utc(day, end)

    capacity = _whole(form_text(form, "capacity"), CAPACITY_MAX)
    values["capacity"] = capacity
    if not capacity:
        errors["capacity"] = N_("Enter how many people can come, as a whole number from 1 to 5,000")
    elif capacity < registered:
        errors["capacity"] = N_("The number of places cannot be fewer than the people who already have one")

    mode = form_text(form, "language_mode")
    values["language_mode"] = mode
    if mode not in LANGUAGE_MODES:
        errors["language_mode"] = N_("Choose the language of the session")
    chosen = [feature for feature in features if feature in FEATURES]
    if len(chosen) != len(features):
        errors["features"] = N_("Choose from the list")
    for feature in FEATURES:
        values[feature] = feature in chosen
    notes, problems = bilingual_text(form, "access_notes", NOTES_MAX, N_("Access notes must be 2,000 characters or fewer"))
    values |= notes
    errors |= problems
    return values, errors


def form_values(session: dict) -> dict:
    """A stored session as the scheduling form's values (times in Wales)."""
    starts, ends = local(session["starts_at"]), local(session["ends_at"])
    return {
        **{key: ("" if value is None else value) for key, value in session.items()},
        "round": str(session["round"] or ""),
        "area": str(session["area"] or ""),
        "date": starts.date().isoformat(),
        "start_time": starts.strftime("%H:%M"),
        "end_time": ends.strftime("%H:%M"),
        "capacity": str(session["capacity"]),
    }


# Places and the waiting list -------------------------------------------------------------------


def registration_open(session: dict, now: datetime) -> bool:
    """People may register (or join the waiting list) for a scheduled session until it starts."""
    return session["status"] == "scheduled" and now < session["starts_at"]


def place_for(holding_places: int, capacity: int) -> str:
    """Where a new registration goes: a place while any are left, else the waiting list."""
    return "registered" if holding_places < capacity else "waiting"


def promotions(holding_places: int, capacity: int, waiting: list[dict]) -> list[dict]:
    """Who moves up from the waiting list when places are free: the longest waiting first.
    `waiting` rows have `queued_at` and `id`."""
    free = max(0, capacity - holding_places)
    return sorted(waiting, key=lambda row: (row["queued_at"], row["id"]))[:free]


def attendee_key(name: str) -> str:
    """The uniqueness key of a registration: "" for the account holder, else the name folded."""
    return " ".join(name.lower().split())


def validate_registration(form: dict, needs: list[str]) -> tuple[dict, Errors]:
    errors: Errors = {}
    for_whom = form_text(form, "for_whom")
    name = form_text(form, "attendee_name")
    values: dict = {"for_whom": for_whom, "attendee_name": "", "share_needs": form_text(form, "share_needs") == "yes"}
    if for_whom not in ("me", "someone"):
        errors["for_whom"] = N_("Choose who the place is for")
    elif for_whom == "someone":
        if not name:
            errors["attendee_name"] = N_("Enter the name of the person you care for")
        elif len(name) > NAME_MAX:
            errors["attendee_name"] = N_("Name must be 100 characters or fewer")
        values["attendee_name"] = " ".join(name.split())
    chosen = [need for need in needs if need in NEEDS]
    if len(chosen) != len(needs):
        errors["needs"] = N_("Choose from the list")
    values["needs"] = [need for need in NEEDS if need in chosen]  # in a stable order, once each
    other = form_text(form, "access_other")
    if len(other) > OTHER_NEEDS_MAX:
        errors["access_other"] = N_("This must be 500 characters or fewer")
    values["access_other"] = other
    return values, errors


def needs_of(row: dict) -> list[str]:
    return [code for code in (row.get("access_needs") or "").split(",") if code in NEEDS]


def access_summary(registrations: list[dict]) -> dict:
    """What facilitators prepare for, from the people holding places: how many asked for each
    need; the other needs people wrote, in alphabetical order and without names; and names only
    of those who agreed to share them."""
    counts = {code: 0 for code in NEEDS}
    notes, named = [], []
    for row in registrations:
        if row["status"] != "registered":
            continue
        needs = needs_of(row)
        for code in needs:
            counts[code] += 1
        if row.get("access_other"):
            notes.append(row["access_other"])
        if row.get("share_needs") and (needs or row.get("access_other")):
            named.append({"name": row["name"], "needs": needs, "other": row.get("access_other", "")})
    return {
        "counts": {code: n for code, n in counts.items() if n},
        "notes": sorted(notes, key=str.lower),
        "named": sorted(named, key=lambda item: item["name"].lower()),
        "people": sum(1 for row in registrations if row["status"] == "registered" and (needs_of(row) or row.get("access_other"))),
    }


# Who may record, and publication ---------------------------------------------------------------


def may_manage(user_id: int | None, roles: frozenset[str], session: dict) -> bool:
    """A session is managed by its own facilitator; admins may manage any."""
    if user_id is None:
        return False
    return "admin" in roles or ("facilitator" in roles and session["facilitator"] == user_id)


def recording_open(session: dict, now: datetime) -> bool:
    """Attendance and outcomes are recorded from the start of the session's day until publication."""
    return (
        session["status"] == "scheduled"
        and session["outcomes_published_at"] is None
        and now >= local_day_start(session["starts_at"])
    )


def may_record(user_id: int | None, roles: frozenset[str], session: dict, now: datetime) -> bool:
    return may_manage(user_id, roles, session) and recording_open(session, now)


def may_edit_plan(session: dict) -> bool:
    """The plan (time, place, capacity, agenda) can change until outcomes are published."""
    return session["status"] == "scheduled" and session["outcomes_published_at"] is None


def publication_problems(session: dict, summary: dict | None, now: datetime) -> list[str]:
    """Why the outcomes cannot be published yet (message ids); empty when they can."""
    if session["outcomes_published_at"] is not None:
        return [N_("The outcomes of this session have already been published")]
    if session["status"] != "scheduled":
        return [N_("This session was cancelled")]
    problems = []
    if now < session["starts_at"]:
        problems.append(N_("You can publish once the session has started"))
    if session["attendance_count"] is None:
        problems.append(N_("Record how many people came"))
    if not summary or not summary.get("body_en") or not summary.get("body_cy"):
        problems.append(N_("Write the public summary in Welsh and English"))
    return problems


def reminder_window_opens(starts_at: datetime) -> datetime:
    """Reminders for a session go from midnight (Europe/London) at the start of the day before it."""
    return local_day_start(starts_at) - timedelta(days=1)


def reminder_due(starts_at: datetime, placed_at: datetime, now: datetime) -> bool:
    """Whether someone holding a place should be reminded now: from the start of the day before the
    session until it starts, if they got their place before that day began (anyone placed later has
    just been sent the details in their confirmation)."""
    opens = reminder_window_opens(starts_at)
    return opens <= now < starts_at and placed_at < opens


# Recording -------------------------------------------------------------------------------------


def validate_attendance(form: dict, ticked: list[str], registered_ids: set[int]) -> tuple[dict, Errors]:
    errors: Errors = {}
    ids = {int(value) for value in ticked if is_digits(value) and int(value) in registered_ids}
    if len(ids) != len(set(ticked)):
        errors["attended"] = N_("Choose from the list of people with a place")
    count = _whole(form_text(form, "attendance_count"), COUNT_MAX)
    if count is None:
        errors["attendance_count"] = N_("Enter how many people came, as a whole number")
    elif count < len(ids):
        errors["attendance_count"] = N_("The number who came must include everyone ticked as here")
    return {"attendance_count": count, "attended": ids}, errors


def _bilingual_body(form: dict, errors: Errors, limit: int, too_long: str) -> dict:
    values, problems = bilingual_text(form, "body", limit, too_long)
    errors |= problems
    return values


def validate_outcome(form: dict, proposals: list[str], allowed: set[int]) -> tuple[dict, Errors]:
    """A theme or point raised, or a recommendation: in Welsh, English or both, optionally linked
    to proposals on the agenda."""
    errors: Errors = {}
    kind = form_text(form, "kind")
    if kind not in ("theme", "recommendation"):
        errors["kind"] = N_("Choose whether this is a theme or a recommendation")
    values = {"kind": kind, **_bilingual_body(form, errors, OUTCOME_MAX, N_("This must be 2,000 characters or fewer"))}
    if not values["body_en"] and not values["body_cy"] and "body_en" not in errors:
        errors["body_en"] = N_("Write what was said, in English, Welsh or both")
    ids = {int(value) for value in proposals if is_digits(value) and int(value) in allowed}
    if len(ids) != len(set(proposals)):
        errors["proposals"] = N_("Choose proposals from the agenda")
    values["links"] = {proposal_id: None for proposal_id in sorted(ids)}
    return values, errors


def validate_prioritisation(form: dict, agenda_ids: list[int]) -> tuple[dict, Errors]:
    """The result of an in-room exercise: a tally per agenda proposal (blank counts as none)."""
    errors: Errors = {}
    method = form_text(form, "method")
    if method not in METHODS:
        errors["method"] = N_("Choose how people showed their priorities")
    values = {
        "kind": "prioritisation",
        "method": method,
        **_bilingual_body(form, errors, METHOD_NOTE_MAX, N_("This must be 500 characters or fewer")),
    }
    participants_text = form_text(form, "participants")
    values["participants"] = _whole(participants_text, COUNT_MAX) if participants_text else None
    if participants_text and values["participants"] is None:
        errors["participants"] = N_("Enter how many people took part, as a whole number")
    links = {}
    for proposal_id in agenda_ids:
        name = f"tally-{proposal_id}"
        text = form_text(form, name)
        if not text:
            continue
        tally = _whole(text, TALLY_MAX)
        if tally is None:
            errors[name] = N_("Enter the tally as a whole number, like 12")
        elif tally:
            links[proposal_id] = tally
    if not agenda_ids:
        errors["tallies"] = N_("Put proposals on the agenda first")
    elif not links and not any(name.startswith("tally-") for name in errors):
        errors[f"tally-{agenda_ids[0]}"] = N_("Enter a tally for at least one proposal")
    values["links"] = links
    return values, errors


def validate_summary(form: dict) -> tuple[dict, Errors]:
    errors: Errors = {}
    values = {}
    for lang, missing in (("en", N_("Write the summary in English")), ("cy", N_("Write the summary in Welsh"))):
        name = f"summary_{lang}"
        values[f"body_{lang}"] = form_text(form, name)
        if not values[f"body_{lang}"]:
            errors[name] = missing
        elif len(values[f"body_{lang}"]) > SUMMARY_MAX:
            errors[name] = N_("The summary must be 1,500 characters or fewer")
    return values, errors


def validate_cancellation(form: dict) -> tuple[dict, Errors]:
    errors: Errors = {}
    values = {"reason_en": form_text(form, "reason_en"), "reason_cy": form_text(form, "reason_cy")}
    for lang, missing in (("en", N_("Give the reason in English")), ("cy", N_("Give the reason in Welsh"))):
        if not values[f"reason_{lang}"]:
            errors[f"reason_{lang}"] = missing
        elif len(values[f"reason_{lang}"]) > 1_000:
            errors[f"reason_{lang}"] = N_("The reason must be 1,000 characters or fewer")
    return values, errors


def ranked(links: list[dict]) -> list[dict]:
    """A prioritisation's tallies, highest first (ties in proposal order), with each one's rank."""
    rows = sorted(links, key=lambda row: (-(row["tally"] or 0), row["proposal"]))
    result, previous, rank = [], None, 0
    for index, row in enumerate(rows, start=1):
        if row["tally"] != previous:
            rank, previous = index, row["tally"]
        result.append({**row, "rank": rank})
    return result


# The public listing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    when: str = "upcoming"
    area: int | None = None
    format: str = ""
    date_from: date | None = None
    date_to: date | None = None
    access: tuple[str, ...] = ()
    page: int = 1
    typed_from: str = ""
    typed_to: str = ""

    def query(self, **changes) -> str:
        """The query string for these filters with some changed (the page resets unless given)."""
        changed = replace(self, **({"page": 1} | changes))
        pairs: list[tuple[str, str | int]] = [("when", changed.when)]
        if changed.area:
            pairs.append(("area", changed.area))
        if changed.format:
            pairs.append(("format", changed.format))
        if changed.typed_from:
            pairs.append(("from", changed.typed_from))
        if changed.typed_to:
            pairs.append(("to", changed.typed_to))
        pairs += [("access", code) for code in changed.access]
        if changed.page != 1:
            pairs.append(("page", changed.page))
        return urlencode(pairs)


def _date_or_none(text: str) -> date | None:
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError:
        return None
    return day if day is None or 2000 <= day.year <= 2100 else None


def parse_filters(params: dict, access: list[str], area_ids: set[int]) -> Filters:
    """Filters from query parameters; anything unknown or malformed is ignored."""

    def text(name: str) -> str:
        value = params.get(name, "")
        return value.strip()[:40] if isinstance(value, str) else ""

    when = text("when") if text("when") in WHEN else "upcoming"
    area_text, page_text = text("area"), text("page")
    area = int(area_text) if is_digits(area_text) and int(area_text) in area_ids else None
    session_format = text("format") if text("format") in FORMATS else ""
    chosen = tuple(code for code in ACCESS_FILTERS if code in access)
    page = int(page_text) if is_digits(page_text) and 0 < int(page_text) < 100_000 else 1
    return Filters(
        when=when,
        area=area,
        format=session_format,
        date_from=_date_or_none(text("from")),
        date_to=_date_or_none(text("to")),
        access=chosen,
        page=page,
        typed_from=text("from"),
        typed_to=text("to"),
    )
