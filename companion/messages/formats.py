"""Dates and numbers written for people in the current language, by Babel's
CLDR data, for the command line and the PDFs (the window uses QLocale).
Babel is imported on first use: nothing on the way to the first window
needs it. Every language writes Latin digits (Arabic included: as typed in
the forms, and as North Africa writes them)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from companion.messages import PSEUDO, current_language

LOCALES = {"en": "en_GB", "fr": "fr", "es": "es", "pt": "pt_PT", "ar": "ar", PSEUDO: "en_GB"}


def locale_name(language: str | None = None) -> str:
    return LOCALES.get(language or current_language(), "en_GB")


def long_date(day: dt.date, language: str | None = None) -> str:
    """"1 December 2026", "1 décembre 2026", "1 ديسمبر 2026"."""
    from babel.dates import format_date

    return format_date(day, "long", locale=locale_name(language))


def number(value: float | int | Decimal, language: str | None = None) -> str:
    """1,234.5 / 1 234,5 / 1.234,5, in Latin digits."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=locale_name(language), numbering_system="latn")


def money(value: float | int | Decimal, currency: str, language: str | None = None) -> str:
    """An amount in ``currency`` (an ISO 4217 code) as the language writes it, in Latin digits."""
    from babel.numbers import format_currency

    return format_currency(value, currency, locale=locale_name(language), numbering_system="latn")


def date_time(stamp: str, language: str | None = None) -> str:
    """A stored UTC time as the person's local day and time: "1 December 2026 22:41". Never an
    ISO date in a sentence: in Arabic its parts would read in reverse order ("01-12-2026")."""
    try:
        when = dt.datetime.fromisoformat(stamp).astimezone()
    except (TypeError, ValueError):
        return str(stamp or "")[:16].replace("T", " ")
    return f"{long_date(when.date(), language)} {when:%H:%M}"
