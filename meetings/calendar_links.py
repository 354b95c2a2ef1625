"""'Add to calendar' for the guest's page: links that open Google Calendar's and Outlook's own
new-event forms, filled in with the booking (the .ics download is meetings.ics)."""

from datetime import UTC
from urllib.parse import urlencode

from . import placeholders
from .models import Booking

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.live.com/calendar/0/deeplink/compose"


def google_url(booking: Booking) -> str:
    # Google's "TEMPLATE" action takes UTC times as YYYYMMDDTHHMMSSZ/YYYYMMDDTHHMMSSZ.
    def stamp(moment):
        return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    return (
        GOOGLE
        + "?"
        + urlencode(
            {
                "action": "TEMPLATE",
                "text": placeholders.render_title(booking),
                "dates": f"{stamp(booking.start_at)}/{stamp(booking.end_at)}",
                "details": placeholders.render_description(booking),
                "location": booking.location_text,
            }
        )
    )


def outlook_url(booking: Booking) -> str:
    return (
        OUTLOOK
        + "?"
        + urlencode(
            {
                "path": "/calendar/action/compose",
                "rru": "addevent",
                "subject": placeholders.render_title(booking),
                "startdt": booking.start_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                "enddt": booking.end_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                "body": placeholders.render_description(booking),
                "location": booking.location_text,
            }
        )
    )
