"""Dates as each guest language writes them ("Tuesday 9 December 2026", "Dienstag, 9. Dezember
2026", "martes 9 de diciembre de 2026"), in the active language; day and month names come from
Django's own catalogues. Used by the guest's pages (template filters) and emails alike."""

import zoneinfo
from datetime import date, datetime

from django.utils import dateformat, translation

# Django format strings (backslash-escaped literals) per language: (with year, without year).
_FORMATS = {
    "en": ("l j F Y", "l j F"),
    "de": ("l, j. F Y", "l, j. F"),
    "fr": ("l j F Y", "l j F"),
    "es": (r"l j \d\e F \d\e Y", r"l j \d\e F"),
    "pt": (r"l, j \d\e F \d\e Y", r"l, j \d\e F"),
}


def _formats() -> tuple[str, str]:
    language = (translation.get_language() or "en").split("-")[0]
    return _FORMATS.get(language, _FORMATS["en"])


def long_date(day: date | datetime) -> str:
    return dateformat.format(day, _formats()[0])


def day_title(day: date | datetime) -> str:
    """The date without its year, as a heading for that day's times."""
    return dateformat.format(day, _formats()[1])


def long_datetime(moment: datetime, time_zone: str | None = None) -> str:
    """'Tuesday 9 December 2026, 10:00' in `time_zone` (or the moment's own)."""
    if time_zone:
        moment = moment.astimezone(zoneinfo.ZoneInfo(time_zone))
    return f"{long_date(moment)}, {moment:%H:%M}"
