"""Checking the site settings form: pure, no I/O. Returns (values, errors by field as message ids)."""

from __future__ import annotations

import re
from datetime import date

from pb.accounts.rules import EMAIL_PATTERN
from pb.i18n import N_
from pb.text import clean_field

LIMITS = {
    "council_name": 200,
    "short_name": 60,
    "address": 500,
    "opening_hours": 300,
    "controller": 200,
    "retention": 2000,
}
TOO_LONG = {
    60: N_("This must be 60 characters or fewer"),
    200: N_("This must be 200 characters or fewer"),
    300: N_("This must be 300 characters or fewer"),
    500: N_("This must be 500 characters or fewer"),
    2000: N_("This must be 2,000 characters or fewer"),
}
EMAILS = ("contact_email", "accessibility_contact", "dpo_contact")
PHONE = re.compile(r"^\+?[0-9 ()-]{6,30}$")  # as people write UK numbers: 01234 567890, +44 29 2000 0000


def _text(form: dict, name: str) -> str:
    # Cleaned as every other text people type: no bidi controls or invisible formatting.
    return clean_field(form.get(name, ""))


def validate(form: dict, today: date) -> tuple[dict, dict[str, str]]:
    values: dict = {}
    errors: dict[str, str] = {}
    for field, limit in LIMITS.items():
        for lang in ("en", "cy"):
            name = f"{field}_{lang}"
            values[name] = _text(form, name)
            if len(values[name]) > limit:
                errors[name] = TOO_LONG[limit]
    for lang in ("en", "cy"):
        if not values[f"council_name_{lang}"]:
            errors[f"council_name_{lang}"] = (
                N_("Enter the council's name in English") if lang == "en" else N_("Enter the council's name in Welsh")
            )
    for name in EMAILS:
        values[name] = _text(form, name).lower()
        if values[name] and (len(values[name]) > 254 or not EMAIL_PATTERN.match(values[name])):
            errors[name] = N_("Enter an email address in the correct format, like name@example.com")
    values["phone"] = _text(form, "phone")
    if values["phone"] and not PHONE.match(values["phone"]):
        errors["phone"] = N_("Enter a phone number, like 01234 567890")
    reviewed = _text(form, "accessibility_reviewed")
    values["accessibility_reviewed"] = None
    if reviewed:
        try:
            # ISO dates only, in ASCII digits: date.fromisoformat alone would take "２０２６-…".
            if not (reviewed.isascii() and len(reviewed) == 10):
                raise ValueError(reviewed)
            values["accessibility_reviewed"] = date.fromisoformat(reviewed)
        except ValueError:
            errors["accessibility_reviewed"] = N_("Enter a real date, like 2027-03-31")
        else:
            if values["accessibility_reviewed"] > today:
                errors["accessibility_reviewed"] = N_("The date of the last review cannot be in the future")
    return values, errors
