"""Unsaved rows for the pure tests: no database, no sandbox, no worker."""

from datetime import UTC, datetime, timedelta

from accounts.models import User
from meetings.meeting_types import LocationKind, MeetingType
from meetings.models import Booking

START = datetime(2030, 6, 3, 14, 0, tzinfo=UTC)


def booking(*, minutes: int = 30, start: datetime = START, **fields) -> Booking:
    rep = User(
        email="rep@example.com", first_name="Rita", last_name="Rep", time_zone="Europe/Paris"
    )
    meeting_type = MeetingType(rep=rep, name="Intro call", slug="intro", duration_minutes=minutes)
    values = {
        "rep": rep,
        "meeting_type": meeting_type,
        "guest_name": "Ada Lovelace",
        "guest_email": "ada@example.org",
        "guest_time_zone": "Europe/London",
        "start_at": start,
        "end_at": start + timedelta(minutes=minutes),
        "location_kind": LocationKind.ZOOM,
        "created_at": START - timedelta(days=1),
    } | fields
    return Booking(**values)
