"""What we send Zoom for a booking: the request bodies of its meeting. Pure: no database, no Zoom.

https://developers.zoom.us/docs/api/meetings/#tag/meetings/POST/users/{userId}/meetings
"""

import secrets
import string
from datetime import UTC

from .. import placeholders
from ..models import Booking, MeetingType

TOPIC_LIMIT = 200
AGENDA_LIMIT = 2000
SCHEDULED_MEETING = 2
# Zoom passcodes: at most 10 characters of [A-Za-z0-9@-_*]. Letters and digits satisfy every
# account complexity rule we know of ("must contain letters and numbers").
PASSCODE_LENGTH = 10
_PASSCODE_ALPHABET = string.ascii_letters + string.digits
REFERENCE_PREFIX = "Booking reference: "


def generate_passcode() -> str:
    while True:
        code = "".join(secrets.choice(_PASSCODE_ALPHABET) for _ in range(PASSCODE_LENGTH))
        if any(c.isdigit() for c in code) and any(c.isalpha() for c in code):
            return code


def utc_start_time(booking: Booking) -> str:
    return booking.start_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def topic(booking: Booking) -> str:
    return placeholders.render_title(booking)[:TOPIC_LIMIT]


def agenda(booking: Booking) -> str:
    """The rendered description (Zoom values are unknown before the meeting exists, so they stay
    empty) ending with the booking reference, which lets a meeting be traced to its booking."""
    values = placeholders.booking_values(booking)
    values.update({name: "" for name in placeholders.FIELDS if name.startswith("zoom.")})
    text = placeholders.render(
        booking.meeting_type.invite_description_template, values, drop_empty_lines=True
    )
    reference = reference_line(booking)
    room = AGENDA_LIMIT - len(reference) - 2
    return f"{text[:room].rstrip()}\n\n{reference}".lstrip()


def reference_line(booking: Booking) -> str:
    """The agenda's last line; `matching` looks for it to find the booking's meeting."""
    return f"{REFERENCE_PREFIX}{booking.reference}"


def schedule_body(booking: Booking, host_time_zone: str) -> dict:
    """The booking's time and wording: the body of a PATCH, and the core of a create."""
    return {
        "topic": topic(booking),
        "start_time": utc_start_time(booking),
        "duration": booking.duration_minutes,
        "timezone": host_time_zone or booking.rep.time_zone,
        "agenda": agenda(booking),
    }


def create_body(booking: Booking, host_time_zone: str) -> dict:
    meeting_type: MeetingType = booking.meeting_type
    return {
        **schedule_body(booking, host_time_zone),
        "type": SCHEDULED_MEETING,
        "password": generate_passcode(),
        "settings": {
            "waiting_room": meeting_type.zoom_waiting_room,
            "join_before_host": meeting_type.zoom_join_before_host,
            "auto_recording": meeting_type.zoom_auto_recording,
        },
    }
