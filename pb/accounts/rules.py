"""Validation and throttling rules for accounts: pure functions of plain data, no I/O.

Each validator returns (cleaned values, errors) where errors maps a field name to a message id;
templates translate the message and show it beside the field.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from pb.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from pb.config import LANGUAGES
from pb.i18n import N_
from pb.text import clean_field

EMAIL_PATTERN = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")
NAME_MAX = 100
EMAIL_MAX = 254

Errors = dict[str, str]


def _text(form: dict, name: str) -> str:
    # Without invisible formatting (bidi controls, zero-width spaces): see pb.text.
    return clean_field(form.get(name, ""))


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str | None:
    if not email:
        return N_("Enter your email address")
    if len(email) > EMAIL_MAX:
        return N_("Email address must be 254 characters or fewer")
    if not EMAIL_PATTERN.match(email):
        return N_("Enter an email address in the correct format, like name@example.com")
    return None


def check_new_password(password: str, confirm: str, email: str = "") -> dict[str, str]:
    errors: Errors = {}
    if not password:
        errors["password"] = N_("Enter a password")
    elif len(password) < MIN_LENGTH:
        errors["password"] = N_("Password must be at least 10 characters")
    elif len(password) > MAX_LENGTH:
        errors["password"] = N_("Password must be 256 characters or fewer")
    elif email and password.strip().lower() == email:
        errors["password"] = N_("Password must not be your email address")
    if not errors and password != confirm:
        errors["password_confirm"] = N_("The passwords do not match")
    return errors


def validate_registration(form: dict) -> tuple[dict, Errors]:
    name = _text(form, "name")
    email = normalise_email(_text(form, "email"))
    password = form.get("password", "") if isinstance(form.get("password"), str) else ""
    confirm = form.get("password_confirm", "") if isinstance(form.get("password_confirm"), str) else ""
    language = _text(form, "language")
    errors: Errors = {}
    if not name:
        errors["name"] = N_("Enter your name")
    elif len(name) > NAME_MAX:
        errors["name"] = N_("Name must be 100 characters or fewer")
    if message := check_email(email):
        errors["email"] = message
    errors.update(check_new_password(password, confirm, email))
    if language not in LANGUAGES:
        errors["language"] = N_("Choose the language you would like us to use")
    return {"name": name, "email": email, "password": password, "language": language}, errors


def validate_sign_in(form: dict) -> tuple[dict, Errors]:
    email = normalise_email(_text(form, "email"))
    password = form.get("password", "") if isinstance(form.get("password"), str) else ""
    errors: Errors = {}
    if message := check_email(email):
        errors["email"] = message
    if not password:
        errors["password"] = N_("Enter your password")
    elif len(password) > MAX_LENGTH:
        errors["password"] = N_("Password must be 256 characters or fewer")
    return {"email": email, "password": password}, errors


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many attempts a key may make in a window; the one past the limit is refused."""

    limit: int
    window: timedelta


# Sign-in throttling. Every attempt is counted before its password is checked (so parallel requests
# cannot all slip past a check made before the slow hash), under three keys:
#
# - PAIR_POLICY, one account from one address: 10 in 15 minutes, then even the right password is
#   refused from that address. This is the lock a guesser from one place meets.
# - ADDRESS_POLICY, one address across every account: 50 in 15 minutes, against one machine
#   trying many accounts.
# - ACCOUNT_DAY_POLICY, one account from every address together: 30 in a day, then no password is
#   checked for the account, from anywhere, until the day is over. Guessing spread over any number
#   of addresses is bounded by it. Anyone could use it to keep an owner from signing in with their
#   password for a day, so the owner always has another way in: the emailed password-reset link,
#   which restarts the account's counters.
#
# A successful sign-in clears its pair and takes its own attempt back off the other two counters.
PAIR_POLICY = ThrottlePolicy(limit=10, window=timedelta(minutes=15))
ADDRESS_POLICY = ThrottlePolicy(limit=50, window=timedelta(minutes=15))
ACCOUNT_DAY_POLICY = ThrottlePolicy(limit=30, window=timedelta(hours=24))

# Account emails (confirmation, password reset, "you already have an account") to one recipient:
# beyond this, nothing more is sent until the hour is over, so the forms cannot flood an inbox.
MAIL_POLICY = ThrottlePolicy(limit=3, window=timedelta(hours=1))


def blocked_until(failures: int, window_started_at: datetime, now: datetime, policy: ThrottlePolicy) -> datetime | None:
    """When sign-in may be tried again, or None if it may be tried now."""
    window_ends = window_started_at + policy.window
    if now >= window_ends or failures < policy.limit:
        return None
    return window_ends


def window_expired(window_started_at: datetime, now: datetime, policy: ThrottlePolicy) -> bool:
    return now >= window_started_at + policy.window


def counted(count: int, window_started_at: datetime, now: datetime, policy: ThrottlePolicy) -> tuple[int, datetime]:
    """A counter after one more attempt now: (count, window start), in a fresh window if the last ended."""
    if window_expired(window_started_at, now, policy):
        return 1, now
    return count + 1, window_started_at


def refused_until(count: int, window_started_at: datetime, policy: ThrottlePolicy) -> datetime | None:
    """For a count that includes this attempt: when the key may try again, or None if this one may go on."""
    return window_started_at + policy.window if count > policy.limit else None


def address_bucket(address: str) -> str:
    """The unit an address is counted in: an IPv4 address, or an IPv6 /64 (one household or host
    is usually given a whole /64, so counting single IPv6 addresses would be no limit at all)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


# Posting limits per person (a resident once posted 91 comments in 25 minutes). Generous for anyone
# taking part in earnest, low enough that one person cannot flood a thread, the moderators' queue
# or the list of proposals. Counted from the person's own rows in a sliding window, in the same
# transaction as the insert. Officers, moderators and admins are not limited: they answer in bulk.
POSTING_POLICIES: dict[str, ThrottlePolicy] = {
    "comment": ThrottlePolicy(limit=10, window=timedelta(minutes=10)),
    "report": ThrottlePolicy(limit=20, window=timedelta(hours=1)),
    "proposal": ThrottlePolicy(limit=5, window=timedelta(hours=24)),
}
POSTING_EXEMPT_ROLES = ("officer", "moderator", "admin")
POSTING_REFUSALS: dict[str, str] = {
    "comment": N_("You have posted a lot of comments in a short time. Please wait a few minutes before posting another."),
    "report": N_("You have sent a lot of reports in a short time. Please wait before sending another."),
    "proposal": N_("You have started a lot of proposals today. Please wait until tomorrow before starting another."),
}


def may_post(recent: int, roles: frozenset[str] | set[str], policy: ThrottlePolicy) -> bool:
    """Whether one more item may be posted by someone who posted `recent` items within the policy's
    window (the new one not counted) and holds `roles`. Staff are exempt."""
    if any(role in roles for role in POSTING_EXEMPT_ROLES):
        return True
    return recent < policy.limit
