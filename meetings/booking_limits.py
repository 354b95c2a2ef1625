"""How often the public may book and move meetings: per client address, per guest email, per rep,
and within the share of the rep's Zoom daily allowance that public traffic may use.

One prospect books once or twice; a script books hundreds, each costing a Zoom create on the rep's
account and an invite to an address it chose. The limits are settings (README "Security").
"""

from dataclasses import dataclass

from django.conf import settings

from config import rate_limits
from config.client_address import client_address

from .models import Booking, MeetingType
from .zoom.pages import reserve_public_zoom_write


@dataclass
class TooManyRequests(Exception):
    """Refused before anything was created; `message` is for the person."""

    message: str
    retry_after: float


_FROM_ADDRESS = "Too many bookings were made from your network. Please try again later."
_FOR_EMAIL = "This email address has booked several meetings already. Please try again later."
_FOR_REP = "This booking page is busy right now. Please try again later."
_ZOOM_FULL = (
    "This host cannot take more online bookings today. Please try again tomorrow, or contact "
    "them directly."
)
_MOVES = "This meeting was moved several times already. Please try again later."
_MOVES_FROM_ADDRESS = "Too many meetings were moved from your network. Please try again later."


def _check(*limits: tuple[str, str, str, str]) -> None:
    """(scope, ident, setting, message) each; all are counted, or none and the first spent one
    is refused. One round trip to the cache however many limits."""
    refused = rate_limits.consume_all(
        [
            rate_limits.Limit(scope, ident, rate_limits.parse_rates(getattr(settings, setting)))
            for scope, ident, setting, _message in limits
        ]
    )
    if refused is not None:
        index, retry_after = refused
        raise TooManyRequests(limits[index][3], retry_after)


def _check_zoom_allowance(meeting_type_or_booking, rep_id: int) -> None:
    retry_after = reserve_public_zoom_write(meeting_type_or_booking, rep_id)
    if retry_after is not None:
        raise TooManyRequests(_ZOOM_FULL, retry_after)


def check_booking(request, meeting_type: MeetingType, guest_email: str) -> None:
    """Counts a prospect's booking, or raises TooManyRequests (the limits that refused it and the
    ones before count nothing)."""
    _check(
        *_guest_limits(request, guest_email),
        ("book-rep", str(meeting_type.rep_id), "RATE_LIMIT_BOOKINGS_PER_REP", _FOR_REP),
    )
    _check_zoom_allowance(meeting_type, meeting_type.rep_id)


def check_team_booking(request, guest_email: str) -> None:
    """`check_booking` for a team Meeting Type, before its host is known: the limits on the client
    and the guest. Each member's own limits are spent on assignment (`admit_public_booking`)."""
    _check(*_guest_limits(request, guest_email))


# What refused a team member a public booking (`admit_public_booking`).
REP_LIMIT = "rep_limit"
ZOOM_ALLOWANCE = "zoom_allowance"


def admit_public_booking(meeting_type: MeetingType, rep_id: int) -> str | None:
    """Counts a public booking of a team type for the member it is about to go to; None when
    admitted, else what refused it: REP_LIMIT (the member's booking limit) or ZOOM_ALLOWANCE
    (their public share of Zoom's daily allowance)."""
    try:
        _check(("book-rep", str(rep_id), "RATE_LIMIT_BOOKINGS_PER_REP", _FOR_REP))
    except TooManyRequests:
        return REP_LIMIT
    try:
        _check_zoom_allowance(meeting_type, rep_id)
    except TooManyRequests:
        return ZOOM_ALLOWANCE
    return None


def _guest_limits(request, guest_email: str) -> list[tuple[str, str, str, str]]:
    return [
        ("book-address", client_address(request), "RATE_LIMIT_BOOKINGS_PER_ADDRESS", _FROM_ADDRESS),
        ("book-email", guest_email.strip().lower(), "RATE_LIMIT_BOOKINGS_PER_EMAIL", _FOR_EMAIL),
    ]


def check_guest_reschedule(request, booking: Booking) -> None:
    _check(
        (
            "move-address",
            client_address(request),
            "RATE_LIMIT_RESCHEDULES_PER_ADDRESS",
            _MOVES_FROM_ADDRESS,
        ),
        ("move-booking", str(booking.pk), "RATE_LIMIT_RESCHEDULES_PER_BOOKING", _MOVES),
    )
    _check_zoom_allowance(booking, booking.rep_id)
