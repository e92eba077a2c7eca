"""Welsh and English: the message catalogues, the request's language, and localised formatting.

Catalogues are the .po files under pb/locale, compiled in memory at start-up (no build step).
Welsh has six plural forms; `ngettext` chooses among them by the catalogue's Plural-Forms rule.
"""

from __future__ import annotations

import datetime as dt
import gettext
from decimal import Decimal
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import Translations

from pb.config import DEFAULT_LANGUAGE, LANGUAGES

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}
LOCAL_TIME = ZoneInfo("Europe/London")


@cache
def translations(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, where the language is known."""
    return message


def NC_(context: str, message: str) -> tuple[str, str]:
    """Mark a message whose translation depends on its context (Welsh answers "Yes" to "Do you have…?"
    with "Oes" and to "Do you want…?" with "Ydw"); translate it with `tc`."""
    return (context, message)


def tc(lang: str, label: str | tuple[str, str]) -> str:
    """Translate a message id, or a (context, message) pair marked with NC_."""
    if isinstance(label, tuple):
        return translations(lang).pgettext(*label)
    return translations(lang).gettext(label)


def t(lang: str, message: str, **variables: object) -> str:
    """Translate a message from Python code (newstyle: %(name)s placeholders)."""
    text = translations(lang).gettext(message)
    return text % variables if variables else text


def gettext_for(lang: str):
    return translations(lang).gettext


def ngettext_for(lang: str):
    return translations(lang).ngettext


def normalise(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def negotiate(accept_language: str | None) -> str:
    """The best of Welsh or English for an Accept-Language header (English when neither is asked)."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    choices = []
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        choices.append((quality, tag.strip().lower()[:2]))
    for _, tag in sorted(choices, key=lambda c: -c[0]):
        if tag in LANGUAGES:
            return tag
    return DEFAULT_LANGUAGE


def other_language(lang: str) -> str:
    return "en" if lang == "cy" else "cy"


def money(amount: Decimal | int | float, lang: str) -> str:
    """Whole pounds without pence (£11,000), otherwise both places of pence (£2,500.50)."""
    return _money(str(amount), lang)


@lru_cache(maxsize=4096)
def _money(amount: str, lang: str) -> str:
    # Formatting is a pure function of the amount's text and the language, and a ballot page shows
    # the same few costs on every request: remembered, it costs a dictionary look-up.
    value = Decimal(amount)
    pattern = "¤#,##0" if value == value.to_integral_value() else "¤#,##0.00"
    return format_currency(value, "GBP", locale=Locale.parse(lang), format=pattern, currency_digits=False)


def pence(amount: int | str | None, lang: str) -> str:
    """An amount held in whole pence, shown as money."""
    return money(Decimal(amount or 0) / 100, lang)


def money_fields(values: dict, keys: tuple[str, ...], lang: str) -> dict:
    """A message's values with the money ones (in pence) formatted for the language."""
    return {k: (pence(v, lang) if k in keys else v) for k, v in values.items()}


def number(value: int | float | Decimal, lang: str) -> str:
    return format_decimal(value, locale=Locale.parse(lang))


def date(value, lang: str) -> str:
    """A date in words. An aware datetime is first put into UK time: 23:30 UTC on 30 June is
    already 1 July in Wales."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(LOCAL_TIME).date()
    # British English for English ("1 July 2027", as datetime() writes it), not babel's US "en".
    return format_date(value, format="long", locale=Locale.parse("en_GB" if lang == "en" else lang))


def datetime(value, lang: str) -> str:
    return format_datetime(value, format="d MMMM y, HH:mm", locale=Locale.parse(lang), tzinfo=LOCAL_TIME)
