"""Council note rules: pure functions of plain data, no I/O.

Information from the council is published in both languages and says where it comes from, so each
text is required in English and in Welsh; a link to the source is optional and must be https.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pb.i18n import N_
from pb.moderation.rules import Errors
from pb.text import clean_field

BODY_MAX = 2000
SOURCE_MAX = 300  # the column's length
URL_MAX = 500  # the column's length

FIELDS = ("body_en", "body_cy", "source_en", "source_cy", "source_url")

_REQUIRED = {
    "body_en": N_("Write the information in English"),
    "body_cy": N_("Write the information in Welsh"),
    "source_en": N_("Say in English where the information comes from"),
    "source_cy": N_("Say in Welsh where the information comes from"),
}
_TOO_LONG = {
    "body_en": N_("The information in English must be 2,000 characters or fewer"),
    "body_cy": N_("The information in Welsh must be 2,000 characters or fewer"),
    "source_en": N_("The source in English must be 300 characters or fewer"),
    "source_cy": N_("The source in Welsh must be 300 characters or fewer"),
}
_LIMITS = {"body_en": BODY_MAX, "body_cy": BODY_MAX, "source_en": SOURCE_MAX, "source_cy": SOURCE_MAX}


def is_https_url(url: str) -> bool:
    """A public web address people can open safely: https, a host name with a dot in it, no spaces
    and no user name or password before the host."""
    if not url or len(url) > URL_MAX or any(character.isspace() for character in url):
        return False
    try:
        parts = urlsplit(url)
        port = parts.port  # a port that is not a number raises here
    except ValueError:
        return False
    host = parts.hostname or ""
    return (
        parts.scheme == "https"
        and "." in host
        and not host.startswith(".")
        and not host.endswith(".")
        and "@" not in parts.netloc
        and (port is None or 0 < port < 65536)
    )


def validate_note(form: dict) -> tuple[dict, Errors]:
    """A council note: the information and its source, each in English and in Welsh (all four
    required), and an optional https link to the source."""
    values = {name: clean_field(form.get(name, "")) for name in FIELDS}
    errors: Errors = {}
    for name, message in _REQUIRED.items():
        if not values[name]:
            errors[name] = message
        elif len(values[name]) > _LIMITS[name]:
            errors[name] = _TOO_LONG[name]
    url = values["source_url"]
    if url and len(url) > URL_MAX:
        errors["source_url"] = N_("The link must be 500 characters or fewer")
    elif url and not is_https_url(url):
        errors["source_url"] = N_("Enter a link that starts with https://, like https://www.example.gov.wales/report")
    return values, errors


def note_ok(values: dict) -> bool:
    """Whether these values are a complete note (what validate_note accepts unchanged)."""
    cleaned, errors = validate_note(values)
    return not errors and all(cleaned[name] == (values.get(name) or "") for name in FIELDS)
