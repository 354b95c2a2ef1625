"""Invite title and description templates: `{{ zoom.join_url }}`-style placeholders, nothing more.

A tiny substitution rather than Django's template engine: reps write these templates, so they must
not reach tags, filters or attributes, and the output is plain text (calendar files, Zoom's agenda)
that must not be HTML-escaped. An empty value renders as nothing, never "None"; in a description, a
line whose placeholders all came out empty is left out, so "Passcode: " never dangles.
"""

import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext

from accounts.time_zones import zone_city

from . import dates
from .meeting_types import DEFAULT_DESCRIPTION_TEMPLATE, DEFAULT_TITLE_TEMPLATE
from .questions import answers_text

DEFAULT_TEMPLATES = (DEFAULT_TITLE_TEMPLATE, DEFAULT_DESCRIPTION_TEMPLATE)

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+\.[a-z_]+)\s*\}\}")

# name → what the rep sees in the form's help text.
FIELDS: dict[str, str] = {
    "zoom.join_url": "the Zoom join link",
    "zoom.meeting_id": "the Zoom meeting ID",
    "zoom.passcode": "the Zoom passcode",
    "zoom.dial_in": "the Zoom dial-in numbers",
    "zoom.phone_passcode": "the numeric passcode callers key in after dialling in",
    "guest.name": "the prospect's name",
    "guest.email": "the prospect's email",
    "rep.name": "your name",
    "rep.email": "your email",
    "meeting.name": "the Meeting Type's name",
    "meeting.duration": "the length in minutes",
    "meeting.location": "the phone number, address or link (Zoom: the join link)",
    "meeting.reference": "the booking reference",
    "time.start": "the start, e.g. Tuesday 12 March 2024, 10:00",
    "time.end": "the end time, e.g. 10:30",
    "time.date": "the date, e.g. Tuesday 12 March 2024",
    "time.zone": "the prospect's time zone, by its city (e.g. New York)",
}

# Zoom's dial-in list can be long; an invite shows the first few, the Zoom page has the rest.
MAX_DIAL_IN_NUMBERS = 5


def unknown_placeholders(template: str) -> list[str]:
    """Placeholder names in `template` that are not in FIELDS, in order, without repeats."""
    seen: list[str] = []
    for name in PLACEHOLDER.findall(template or ""):
        if name not in FIELDS and name not in seen:
            seen.append(name)
    return seen


def render(template: str, values: Mapping[str, str], *, drop_empty_lines: bool = False) -> str:
    def substitute(match: re.Match) -> str:
        value = values.get(match.group(1))
        return "" if value is None else str(value)

    if not drop_empty_lines:
        return PLACEHOLDER.sub(substitute, template or "")
    lines = []
    for line in (template or "").splitlines():
        names = PLACEHOLDER.findall(line)
        if names and not any(values.get(name) for name in names):
            continue
        lines.append(PLACEHOLDER.sub(substitute, line))
    return "\n".join(lines).strip()


def format_dial_in(numbers: list[dict]) -> str:
    """Zoom's `global_dial_in_numbers` entries as "+1 646 558 8656 (New York)", comma-separated."""
    parts = []
    for entry in (numbers or [])[:MAX_DIAL_IN_NUMBERS]:
        number = str(entry.get("number") or "").strip()
        if not number:
            continue
        where = entry.get("city") or entry.get("country_name") or entry.get("country") or ""
        parts.append(f"{number} ({where})" if where else number)
    return ", ".join(parts)


def format_start(moment: datetime, time_zone: str) -> str:
    """ "Tuesday 12 March 2024, 10:00" in `time_zone`, in the active language."""
    return dates.long_datetime(moment, time_zone)


def booking_values(booking) -> dict[str, str]:
    """Every placeholder's value for a booking (times in the guest's zone). Needs `rep` and
    `meeting_type` loaded; Zoom values are empty until the link is ready."""
    tz = booking.guest_time_zone
    zone = zoneinfo.ZoneInfo(tz)
    start_local, end_local = booking.start_at.astimezone(zone), booking.end_at.astimezone(zone)
    # The start (as `format_start` writes it) and the date share one long date, formatted once:
    # Django's date formatting is most of what reading these values costs.
    day = dates.long_date(start_local)
    return {
        "zoom.join_url": booking.zoom_join_url,
        "zoom.meeting_id": booking.zoom_meeting_id,
        "zoom.passcode": booking.zoom_passcode,
        "zoom.dial_in": format_dial_in(booking.zoom_dial_in),
        "zoom.phone_passcode": booking.zoom_phone_passcode if booking.zoom_dial_in else "",
        "guest.name": booking.guest_name,
        "guest.email": booking.guest_email,
        "rep.name": booking.rep.display_name,
        "rep.email": booking.rep.email,
        "meeting.name": booking.meeting_type.name,
        "meeting.duration": str(booking.duration_minutes),
        "meeting.location": booking.location_text,
        "meeting.reference": booking.reference,
        "time.start": f"{day}, {start_local:%H:%M}",
        "time.end": f"{end_local:%H:%M}",
        "time.date": day,
        "time.zone": zone_city(tz),
    }


def in_language(template: str) -> str:
    """The rep's template as written; the untouched default in the active language (a rep's own
    words are never translated)."""
    return gettext(template) if template in DEFAULT_TEMPLATES else template


def render_title(booking, values: Mapping[str, str] | None = None) -> str:
    template = in_language(booking.meeting_type.invite_title_template)
    title = render(template, values or booking_values(booking))
    return " ".join(title.split()) or booking.meeting_type.name


def render_description(booking, values: Mapping[str, str] | None = None) -> str:
    """The rep's description, then the guest's answers to the type's questions."""
    description = render(
        in_language(booking.meeting_type.invite_description_template),
        values or booking_values(booking),
        drop_empty_lines=True,
    )
    answers = answers_text(booking.answers)
    return f"{description}\n\n{answers}".strip() if answers else description


@dataclass(frozen=True)
class InviteTexts:
    """A booking version's invite title and description, as the rep's templates render them."""

    title: str
    description: str


def invite_texts(booking) -> InviteTexts:
    """The title and description from one reading of the booking's values, in the active
    language (dates, the default templates): what every message and calendar file of one change
    shares in that language."""
    values = booking_values(booking)
    return InviteTexts(render_title(booking, values), render_description(booking, values))
