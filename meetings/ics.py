"""Calendar invites (RFC 5545 / iTIP RFC 5546), written directly.

One UID per booking for its whole life and a SEQUENCE that grows with every change, so calendar
apps update the event they already hold instead of adding a second one; METHOD:CANCEL removes it.

An invite is one event with a dozen properties, so it is written line by line here rather than
through a general calendar library (which builds an object tree and folds each line character by
character: most of an invite's cost). What RFC 5545 asks of such a writer, and this one does:
TEXT values escape backslash, semicolon, comma and line breaks (3.3.11); parameter values holding
`:;,` are quoted and a double quote or line break in them is caret-encoded (RFC 6868); date-times
are UTC (`…Z`, 3.3.5) so no VTIMEZONE is needed; lines are CRLF-terminated and folded at 75
octets without splitting a UTF-8 character (3.1).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from . import placeholders
from .invite_deliveries import InviteDelivery
from .models import Booking

PRODID = "-//Scheduler//Zoom meetings//EN"
_FOLD_AT = 75
# Control characters have no place in a TEXT value (RFC 5545 3.3.11: only HTAB among them); line
# breaks are escaped, the rest (a stray \x00 pasted into a description) are dropped.
_CONTROLS = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 127])


@dataclass(frozen=True)
class Attendee:
    """A person invited to the event, besides its organizer (the host)."""

    email: str
    name: str = ""


def attendees_of(booking: Booking) -> list[Attendee]:
    """Everyone the booking invites besides its host: the guest, then the other guests."""
    return [
        Attendee(booking.guest_email, booking.guest_name),
        *(Attendee(email) for email in booking.additional_guests or ()),
    ]


def uid_for(booking: Booking) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "scheduler.invalid"
    return f"booking-{booking.public_id}@{host}"


def build_invite(
    booking: Booking,
    method: str,
    *,
    texts: placeholders.InviteTexts | None = None,
    attendees: Iterable[Attendee] | None = None,
    language: str | None = None,
) -> bytes:
    """The .ics of the booking's current version. Needs `rep` and `meeting_type` loaded.

    `texts`: the title and description when the caller has rendered them already (an invite run
    renders them once for every message), in `language` when given (then named on them, RFC 5545
    3.2.10); `attendees`: everyone invited besides the host (`attendees_of` when not given)."""
    texts = texts or placeholders.invite_texts(booking)
    if attendees is None:
        attendees = attendees_of(booking)
    said_in = f";LANGUAGE={language}" if language else ""
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{_text(PRODID)}",
        "VERSION:2.0",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{_text(uid_for(booking))}",
        f"SEQUENCE:{int(booking.invite_sequence)}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(booking.start_at)}",
        f"DTEND:{_utc(booking.end_at)}",
        f"SUMMARY{said_in}:{_text(texts.title)}",
        f"DESCRIPTION{said_in}:{_text(texts.description)}",
    ]
    if booking.location_text:
        lines.append(f"LOCATION:{_text(booking.location_text)}")
    if booking.is_zoom and booking.zoom_join_url:
        lines.append(f"URL:{booking.zoom_join_url}")
    cancelled = method == InviteDelivery.Method.CANCEL
    lines.append(f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}")
    lines.append(_address("ORGANIZER", booking.rep.email, booking.rep.display_name))
    for attendee in attendees:
        lines.append(
            _address(
                "ATTENDEE",
                attendee.email,
                attendee.name,
                ROLE="REQ-PARTICIPANT",
                PARTSTAT="NEEDS-ACTION",
                RSVP="TRUE",
            )
        )
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return b"".join(_fold(line) for line in lines)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11)."""
    return (
        value.translate(_CONTROLS)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def _parameter(value: str) -> str:
    """A parameter value: caret-encoded (RFC 6868), quoted when it holds `:;,`."""
    value = value.replace("^", "^^").replace('"', "^'").replace("\r\n", "^n").replace("\n", "^n")
    return f'"{value}"' if any(c in value for c in ":;,") else value


def _address(name: str, email: str, common_name: str, **params: str) -> str:
    rendered = f"{name};CN={_parameter(common_name)}" if common_name else name
    for key, value in params.items():
        rendered += f";{key}={_parameter(value)}"
    return f"{rendered}:mailto:{email}"


def _fold(line: str) -> bytes:
    """The line in UTF-8 with CRLF, folded into 75-octet pieces on character boundaries."""
    data = line.encode()
    if len(data) <= _FOLD_AT:
        return data + b"\r\n"
    pieces, start, room = [], 0, _FOLD_AT
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # never inside a UTF-8 sequence
            end -= 1
        pieces.append(data[start:end])
        start, room = end, _FOLD_AT - 1  # a continuation line starts with a space
    pieces.append(data[start:])
    return b"\r\n ".join(pieces) + b"\r\n"
