"""What a delivery says about a booking. Zoom's values (meeting id, links, passcodes, what Zoom
said about who joined) are not passed on: Zoom's terms keep them between Zoom, the rep and us.
The outcome is our conclusion and is included. People are named by name and email only."""

from django.utils import timezone

from meetings.models import Booking, HostChange
from outcomes.models import MeetingOutcome


def _time(moment) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def _outcome(booking: Booking) -> dict | None:
    try:
        record = booking.outcome
    except MeetingOutcome.DoesNotExist:
        return None
    if not record.is_decided:
        return None
    return {
        "result": record.outcome,
        "source": record.source,
        "decided_at": _time(record.decided_at),
    }


def _person(user) -> dict | None:
    return {"name": user.display_name, "email": user.email} if user else None


def event_payload(
    event_type: str, booking: Booking, *, host_change: HostChange | None = None
) -> dict:
    """`host_change`: the booking was just handed to another host (booking.reassigned); the
    booking then also says who hosted it before and who handed it over (None: no one signed in,
    e.g. a script)."""
    payload = {
        "type": event_type,
        "timestamp": _time(timezone.now()),
        "data": {
            "booking": {
                "id": str(booking.public_id),
                "reference": booking.reference,
                "status": booking.status,
                "start": _time(booking.start_at),
                "end": _time(booking.end_at),
                "previous_start": _time(booking.previous_start_at),
                "meeting_type": {
                    "name": booking.meeting_type.name,
                    "slug": booking.meeting_type.slug,
                },
                "location": booking.location_kind,
                "host": _person(booking.rep),
                "guest": {
                    "name": booking.guest_name,
                    "email": booking.guest_email,
                    "time_zone": booking.guest_time_zone,
                },
                "cancelled_by": booking.cancelled_by or None,
                "cancel_reason": booking.cancel_reason or None,
                "outcome": _outcome(booking),
            }
        },
    }
    if host_change is not None:
        payload["data"]["booking"] |= {
            "previous_host": _person(host_change.from_rep),
            "reassigned_by": _person(host_change.changed_by),
        }
    return payload
