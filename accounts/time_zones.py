"""The time zones people pick from: current Area/City zones with their UTC offset right now.

The IANA database also holds deprecated aliases (`US/Eastern`) and POSIX-style zones whose sign
is inverted (`Etc/GMT+5` is UTC−5); offering those confuses more than it helps. `zone.tab` lists
the current zone of every region, so the picker offers those, plus UTC.
"""

import contextlib
import zoneinfo
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from django.utils import timezone

from .models import known_time_zones

_AREAS = ("Africa/", "America/", "Antarctica/", "Arctic/", "Asia/", "Atlantic/", "Australia/")
_AREAS += ("Europe/", "Indian/", "Pacific/")


@lru_cache(maxsize=1)
def current_zone_names() -> tuple[str, ...]:
    """Every current Area/City zone name, sorted, then UTC."""
    for folder in zoneinfo.TZPATH:
        table = Path(folder) / "zone.tab"
        if table.exists():
            names = {
                line.split("\t")[2].strip()
                for line in table.read_text().splitlines()
                if line and not line.startswith("#")
            }
            break
    else:
        # The tzdata wheel ships no zone.tab: fall back to Area/City names (aliases included).
        names = {name for name in known_time_zones() if name.startswith(_AREAS)}
    available = known_time_zones()
    return (*sorted(name for name in names if name in available), "UTC")


def utc_offset_label(name: str, at: datetime) -> str:
    """'UTC−05:00' for the zone's offset at `at` (a real minus sign, as people read it)."""
    offset = at.astimezone(zoneinfo.ZoneInfo(name)).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "−" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def zone_city(name: str) -> str:
    """The place a zone is named after, as people say it: 'America/New_York' → 'New York',
    'America/Argentina/Buenos_Aires' → 'Buenos Aires'. Every current zone's city is unique."""
    return name.rsplit("/", 1)[-1].replace("_", " ")


def zone_label(name: str, at: datetime) -> str:
    return f"{zone_city(name)} ({utc_offset_label(name, at)})"


# The picker's groups: the IANA area a zone is in, in words.
AREA_LABELS = {
    "Africa": "Africa",
    "America": "Americas",
    "Antarctica": "Antarctica",
    "Arctic": "Arctic",
    "Asia": "Asia",
    "Atlantic": "Atlantic Ocean",
    "Australia": "Australia",
    "Europe": "Europe",
    "Indian": "Indian Ocean",
    "Pacific": "Pacific",
}


@lru_cache(maxsize=4)
def _choices_for_hour(hour: datetime) -> tuple:
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in current_zone_names():
        if "/" in name:
            area = AREA_LABELS[name.split("/", 1)[0]]
            groups.setdefault(area, []).append((name, zone_label(name, hour)))
    grouped = [
        (area, sorted(zones, key=lambda choice: choice[1])) for area, zones in groups.items()
    ]
    return (("UTC", zone_label("UTC", hour)), *grouped)


def time_zone_choices(current: str | None = None) -> list:
    """UTC, then (area, [(value, 'City (UTC±hh:mm)'), …]) groups sorted by city, offsets as of
    this hour; `current` is kept first even if it is an alias, so a saved or detected zone never
    silently changes."""
    now = timezone.now().astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    choices = list(_choices_for_hour(now))
    if current and current not in current_zone_names():
        with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
            choices.insert(0, (current, zone_label(current, now)))
    return choices


def zone_values(choices) -> list[str]:
    """The zone names of `time_zone_choices`, groups flattened."""
    values = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            values.extend(name for name, _ in label)
        else:
            values.append(value)
    return values
