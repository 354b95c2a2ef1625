"""What we keep from Zoom's answers about meetings and a host's settings. Pure: no database."""

from dataclasses import dataclass
from datetime import UTC, datetime

from config.isotime import parse_iso_datetime

from ..models import AutoRecording


@dataclass(frozen=True)
class ZoomMeeting:
    """What a booking keeps of a Zoom meeting (never `start_url`: it carries the host key)."""

    id: str
    join_url: str
    passcode: str
    dial_in: list[dict]


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
