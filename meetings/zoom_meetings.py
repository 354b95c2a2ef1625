"""A booking's meeting in Zoom: the request bodies we send and what we keep from the answers.

Every call goes through `integrations.zoom.tokens.with_zoom` (token refresh, reconnect marking) and
the Zoom client (URLs, typed errors); this module only knows what a booking means to Zoom.
https://developers.zoom.us/docs/api/meetings/#tag/meetings/POST/users/{userId}/meetings
"""

from dataclasses import dataclass
from datetime import UTC

from integrations.zoom import passcodes
from integrations.zoom.errors import ZoomMeetingNotFound, ZoomValidationError
from integrations.zoom.models import ZoomConnection
from integrations.zoom.tokens import with_zoom

from . import placeholders
from .models import AutoRecording, Booking, MeetingType

TOPIC_LIMIT = 200
AGENDA_LIMIT = 2000
SCHEDULED_MEETING = 2
REFERENCE_PREFIX = "Booking reference: "


@dataclass(frozen=True)
class ZoomMeeting:
    """What a booking keeps of a Zoom meeting (never `start_url`: it carries the host key)."""

    id: str
    join_url: str
    passcode: str
    dial_in: list[dict]
    # Zoom's numeric `pstn_password`: what phone participants key in.
    phone_passcode: str = ""


def passcode_fields(connection: ZoomConnection) -> dict:
    """A passcode meeting the host's rules as last read from Zoom, or, when they are unknown
    (or no passcode can meet them), Zoom's own: `default_password: true` asks Zoom to generate
    one that meets the account's rules. See integrations/zoom/passcodes.py."""
    code = passcodes.generate(connection.passcode_rules) if connection.passcode_rules else None
    if code is None:
        return {"default_password": True}
    return {"password": code}


def utc_start_time(booking: Booking) -> str:
    return booking.start_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def host_time_zone(booking: Booking, connection: ZoomConnection) -> str:
    return connection.zoom_timezone or booking.rep.time_zone


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
    """The agenda's last line; `meetings.adoption` looks for it to find the booking's meeting."""
    return f"{REFERENCE_PREFIX}{booking.reference}"


def _schedule(booking: Booking, connection: ZoomConnection) -> dict:
    return {
        "topic": topic(booking),
        "start_time": utc_start_time(booking),
        "duration": booking.duration_minutes,
        "timezone": host_time_zone(booking, connection),
        "agenda": agenda(booking),
    }


def create_body(booking: Booking, connection: ZoomConnection) -> dict:
    meeting_type: MeetingType = booking.meeting_type
    return {
        **_schedule(booking, connection),
        "type": SCHEDULED_MEETING,
        **passcode_fields(connection),
        "settings": {
            "waiting_room": meeting_type.zoom_waiting_room,
            # Zoom ignores join-before-host while the waiting room is on; never ask for both.
            "join_before_host": meeting_type.zoom_join_before_host
            and not meeting_type.zoom_waiting_room,
            "auto_recording": meeting_type.zoom_auto_recording,
        },
    }


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


def create(booking: Booking, connection: ZoomConnection) -> ZoomMeeting:
    body = create_body(booking, connection)
    try:
        return with_zoom(
            connection, lambda client, token: parse_meeting(client.create_meeting(token, body))
        )
    except ZoomValidationError as exc:
        if "password" not in body or not _refused_passcode(exc):
            raise
    # The host's passcode rules changed since we last read them (an admin tightened them): read
    # them again and try once more with a passcode that meets the new ones.
    refresh_passcode_rules(connection)
    body = create_body(booking, connection)
    return with_zoom(
        connection, lambda client, token: parse_meeting(client.create_meeting(token, body))
    )


def _refused_passcode(exc: ZoomValidationError) -> bool:
    return any(isinstance(e, dict) and e.get("field") == "password" for e in exc.errors)


def refresh_passcode_rules(connection: ZoomConnection) -> None:
    zoom_settings = with_zoom(connection, lambda client, token: client.get_user_settings(token))
    connection.store_passcode_rules(zoom_settings)


def update(
    booking: Booking, connection: ZoomConnection, meeting_id: str | None = None
) -> ZoomMeeting:
    """PATCH the booking's meeting (or `meeting_id`, one being adopted) to the booking's current
    time and wording, then GET it again (the PATCH answers 204 with no body). Raises
    ZoomMeetingNotFound when Zoom no longer has it."""
    body = _schedule(booking, connection)
    meeting_id = meeting_id or booking.zoom_meeting_id

    def call(client, token):
        client.update_meeting(token, meeting_id, body)
        return parse_meeting(client.get_meeting(token, meeting_id))

    return with_zoom(connection, call)


def delete(meeting_id: str, connection: ZoomConnection) -> None:
    """Delete the meeting; one that is already gone counts as deleted."""

    def call(client, token):
        try:
            client.delete_meeting(token, meeting_id)
        except ZoomMeetingNotFound:
            return

    with_zoom(connection, call)


def start_url(meeting_id: str, connection: ZoomConnection) -> str:
    """A fresh host link (it expires after about two hours and is never stored)."""
    meeting = with_zoom(connection, lambda client, token: client.get_meeting(token, meeting_id))
    return str(meeting.get("start_url") or "")


def user_defaults(connection: ZoomConnection) -> dict:
    """The rep's own Zoom defaults as Meeting Type field values (GET /users/me/settings)."""
    data = with_zoom(connection, lambda client, token: client.get_user_settings(token))
    schedule = data.get("schedule_meeting") or {}
    in_meeting = data.get("in_meeting") or {}
    security = data.get("meeting_security") or {}
    recording = (data.get("recording") or {}).get("auto_recording")
    defaults = {}
    waiting_room = security.get("waiting_room", in_meeting.get("waiting_room"))
    if isinstance(waiting_room, bool):
        defaults["zoom_waiting_room"] = waiting_room
    if isinstance(schedule.get("join_before_host"), bool):
        defaults["zoom_join_before_host"] = schedule["join_before_host"]
    if recording in AutoRecording.values:
        defaults["zoom_auto_recording"] = recording
    return defaults
