"""Booking and moving meetings the way a prospect's browser does."""

from datetime import timedelta

from meetings import guest_access
from tests.meetings.factories import next_slot


def confirm_url(meeting_type) -> str:
    return f"/book/{meeting_type.rep.booking_slug}/{meeting_type.slug}/confirm/"


def slot(n: int):
    """The n-th distinct slot of a half-hour Meeting Type open 09–17 in the rep's zone."""
    return next_slot(days=2 + n // 16, hour=9) + timedelta(minutes=30 * (n % 16))


def book(client, meeting_type, n: int, *, email: str | None = None, **headers):
    return client.post(
        confirm_url(meeting_type),
        {
            "name": f"Prospect {n}",
            "email": email or f"prospect{n}@example.org",
            "start": slot(n).isoformat(),
            "time_zone": "UTC",
        },
        **headers,
    )


def reschedule(client, booking, n: int, **headers):
    token = guest_access.token_for(booking)
    return client.post(
        f"/bookings/guest/{token}/reschedule/",
        {"start": slot(n).isoformat(), "confirm": "1"},
        **headers,
    )
