"""A booking's meeting as Zoom writes it: the request bodies we send, and what we keep of Zoom's
answers. Pure: no database, no Zoom.

https://developers.zoom.us/docs/api/meetings/#tag/meetings/POST/users/{userId}/meetings
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils.crypto import salted_hmac

from config.isotime import parse_iso_datetime
from integrations.zoom.api import passcodes

from .. import placeholders
from ..meeting_types import AutoRecording, MeetingType
from ..models import Booking

TOPIC_LIMIT = 200
AGENDA_LIMIT = 2000
SCHEDULED_MEETING = 2
# The agenda's last line, which lets a retry find a meeting Zoom created but we never recorded
# (`matching`). Its value is a keyed hash of the booking's private id: guests never see it (their
# "booking reference" is another value) and cannot compute it, so nothing they type into a
# booking can make their meeting pass for someone else's.
REFERENCE_PREFIX = "Scheduler ref: "
_MARKER_SALT = "meetings.zoom-meeting-marker"


def passcode_fields(passcode_rules: dict) -> dict:
    """A passcode meeting the host's rules as last read from Zoom, or, when they are unknown
    (or no passcode can meet them), Zoom's own: `default_password: true` asks Zoom to generate
    one that meets the account's rules. See integrations/zoom/api/passcodes.py."""
    code = passcodes.generate(passcode_rules) if passcode_rules else None
    if code is None:
        return {"default_password": True}
    return {"password": code}


def utc_start_time(booking: Booking) -> str:
    return booking.start_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def topic(booking: Booking, values: dict | None = None) -> str:
    """The rendered title; `values`: the booking's placeholder values when already read."""
    return placeholders.render_title(booking, values)[:TOPIC_LIMIT]


def agenda(booking: Booking, values: dict | None = None) -> str:
    """The rendered description with the guest's answers (Zoom values are unknown before the
    meeting exists, so they stay empty) ending with the marker line, which lets a meeting be
    traced to its booking."""
    values = {**(values or placeholders.booking_values(booking))}
    values.update({name: "" for name in placeholders.FIELDS if name.startswith("zoom.")})
    text = placeholders.render_description(booking, values)
    reference = reference_line(booking)
    room = AGENDA_LIMIT - len(reference) - 2
    return f"{text[:room].rstrip()}\n\n{reference}".lstrip()


def reference_line(booking: Booking) -> str:
    """The agenda's last line; `matching` looks for exactly this line."""
    digest = salted_hmac(_MARKER_SALT, booking.public_id.hex, algorithm="sha256").hexdigest()
    return f"{REFERENCE_PREFIX}{digest[:32]}"


def last_line(agenda: str) -> str:
    """The line the app wrote last into an agenda (Zoom may change line endings or trim)."""
    lines = agenda.strip().splitlines()
    return lines[-1].strip() if lines else ""


def schedule_body(booking: Booking, host_time_zone: str) -> dict:
    """The booking's time and wording: the body of a PATCH, and the core of a create.

    The start is sent in UTC ("…Z"), so `timezone` only names the zone Zoom shows the meeting in:
    the host's own Zoom zone when known, else left out (Zoom then uses the host's). The rep's IANA
    name may not be in Zoom's list of time zones, which Zoom refuses."""
    values = placeholders.booking_values(booking)  # one reading for the topic and the agenda
    body = {
        "topic": topic(booking, values),
        "start_time": utc_start_time(booking),
        "duration": booking.duration_minutes,
        "agenda": agenda(booking, values),
    }
    if host_time_zone:
        body["timezone"] = host_time_zone
    return body


def create_body(booking: Booking, host_time_zone: str, passcode_rules: dict) -> dict:
    meeting_type: MeetingType = booking.meeting_type
    return {
        **schedule_body(booking, host_time_zone),
        "type": SCHEDULED_MEETING,
        **passcode_fields(passcode_rules),
        "settings": {
            "waiting_room": meeting_type.zoom_waiting_room,
            # Zoom ignores join-before-host while the waiting room is on; never ask for both.
            "join_before_host": meeting_type.zoom_join_before_host
            and not meeting_type.zoom_waiting_room,
            "auto_recording": meeting_type.zoom_auto_recording,
        },
    }


def refused_passcode(errors: list) -> bool:
    """Whether a validation refusal (code 300) names the passcode."""
    return any(isinstance(e, dict) and e.get("field") == "password" for e in errors)


# What we keep of Zoom's answers -------------------------------------------------------------------


@dataclass(frozen=True)
class ZoomMeeting:
    """What a booking keeps of a Zoom meeting (never `start_url`: it carries the host key)."""

    id: str
    join_url: str
    passcode: str
    dial_in: list[dict]
    # Zoom's numeric `pstn_password`: what phone participants key in.
    phone_passcode: str = ""


def parse_meeting(data: dict) -> ZoomMeeting:
    settings = data.get("settings") or {}
    dial_in = [
        {key: str(entry.get(key) or "") for key in ("country", "country_name", "city", "number")}
        for entry in settings.get("global_dial_in_numbers") or []
        if isinstance(entry, dict) and entry.get("number")
    ]
    return ZoomMeeting(
        id=str(data["id"]),
        join_url=str(data.get("join_url") or ""),
        passcode=str(data.get("password") or ""),
        dial_in=dial_in,
        phone_passcode=str(data.get("pstn_password") or ""),
    )


def meeting_of(booking: Booking) -> ZoomMeeting:
    """The booking's meeting as we hold it."""
    return ZoomMeeting(
        id=booking.zoom_meeting_id,
        join_url=booking.zoom_join_url,
        passcode=booking.zoom_passcode,
        dial_in=list(booking.zoom_dial_in or []),
        phone_passcode=booking.zoom_phone_passcode,
    )


def zoom_time(value) -> datetime | None:
    """A time from a Zoom meeting object (`start_time`, `created_at`: GMT), or None."""
    return parse_iso_datetime(value, naive_is_utc=True)


def utc_text(value) -> str:
    """A Zoom time as `yyyy-MM-ddTHH:mm:ssZ`, the form we send, for comparing; "" if unreadable."""
    moment = zoom_time(value)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def meeting_type_defaults(user_settings: dict) -> dict:
    """A host's own Zoom defaults (`GET /users/me/settings`) as Meeting Type field values."""
    schedule = user_settings.get("schedule_meeting") or {}
    in_meeting = user_settings.get("in_meeting") or {}
    security = user_settings.get("meeting_security") or {}
    recording = (user_settings.get("recording") or {}).get("auto_recording")
    defaults = {}
    waiting_room = security.get("waiting_room", in_meeting.get("waiting_room"))
    if isinstance(waiting_room, bool):
        defaults["zoom_waiting_room"] = waiting_room
    if isinstance(schedule.get("join_before_host"), bool):
        defaults["zoom_join_before_host"] = schedule["join_before_host"]
    if recording in AutoRecording.values:
        defaults["zoom_auto_recording"] = recording
    return defaults
