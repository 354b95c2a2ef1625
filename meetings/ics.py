"""Calendar invites (RFC 5545 / iTIP RFC 5546) built with the icalendar library.

One UID per booking for its whole life and a SEQUENCE that grows with every change, so calendar
apps update the event they already hold instead of adding a second one; METHOD:CANCEL removes it.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from . import placeholders
from .models import Booking, InviteDelivery

PRODID = "-//Scheduler//Zoom meetings//EN"


def uid_for(booking: Booking) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "scheduler.invalid"
    return f"booking-{booking.public_id}@{host}"


def _address(email: str, name: str, **params) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def build_invite(booking: Booking, method: str) -> bytes:
    """The .ics for the booking's current version. Needs `rep` and `meeting_type` loaded."""
    cancelled = method == InviteDelivery.Method.CANCEL
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)

    event = Event()
    event.add("uid", uid_for(booking))
    event.add("sequence", booking.invite_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", booking.start_at)
    event.add("dtend", booking.end_at)
    event.add("summary", placeholders.render_title(booking))
    event.add("description", placeholders.render_description(booking))
    if booking.location_text:
        event.add("location", booking.location_text)
    if booking.is_zoom and booking.zoom_join_url:
        event.add("url", booking.zoom_join_url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("organizer", _address(booking.rep.email, booking.rep.display_name))
    event.add(
        "attendee",
        _address(
            booking.guest_email,
            booking.guest_name,
            ROLE="REQ-PARTICIPANT",
            PARTSTAT="NEEDS-ACTION",
            RSVP="TRUE",
        ),
    )
    calendar.add_component(event)
    return calendar.to_ical()
