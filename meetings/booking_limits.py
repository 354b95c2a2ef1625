"""How often the public may book and move meetings: per client address, per guest email, per rep,
and within the share of the rep's Zoom daily allowance that public traffic may use.

One prospect books once or twice; a script books hundreds, each costing a Zoom create on the rep's
account and an invite to an address it chose. The limits are settings (README "Security").

Only a booking (or a move) that can be made spends them: they are counted once its slot is known to
be offered, under the host's lock, inside the transaction that writes it (`PublicAdmission`), so
posts for a slot that was never offered, or was just taken, close no rep's page and use none of
the rep's Zoom allowance.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from config import rate_limits
from config.client_address import client_address

from .meeting_types import MeetingType
from .models import Booking
from .zoom.pages import public_zoom_writes

# What refused a public booking (TooManyRequests.reason): a team passes over a member refused for
# their own limit or allowance, and refuses the guest for the guest's.
GUEST_LIMIT = "guest_limit"
REP_LIMIT = "rep_limit"
ZOOM_ALLOWANCE = "zoom_allowance"


@dataclass
class TooManyRequests(Exception):
    """Refused before anything was created; `message` is for the person."""

    message: str
    retry_after: float
    reason: str = GUEST_LIMIT


_FROM_ADDRESS = "Too many bookings were made from your network. Please try again later."
_FOR_EMAIL = "This email address has booked several meetings already. Please try again later."
_FOR_REP = "This booking page is busy right now. Please try again later."
_ZOOM_FULL = (
    "This host cannot take more online bookings today. Please try again tomorrow, or contact "
    "them directly."
)
_MOVES = "This meeting was moved several times already. Please try again later."
_MOVES_FROM_ADDRESS = "Too many meetings were moved from your network. Please try again later."


def _limit(scope: str, ident: str, setting: str) -> rate_limits.Limit:
    return rate_limits.Limit(scope, ident, rate_limits.parse_rates(getattr(settings, setting)))


def _spend(limits: list[tuple[str, str, str, str, str]], zoom_host: int | None):
    """Counts `limits` ((scope, ident, setting, message, reason) each) and, for a Zoom meeting of
    host `zoom_host`, one public write: all, or none and TooManyRequests for the first spent one.
    One round trip to the cache. Returns what was counted."""
    counted = [_limit(*limit[:3]) for limit in limits]
    ceiling, share = [], []
    if zoom_host is not None:
        # The host's public share is checked first: once the rep's own work has used it, every
        # public booking is refused for it, whoever makes it.
        share_left, one_write = public_zoom_writes(zoom_host)
        ceiling, share = [share_left], [one_write]
    refused = rate_limits.consume_all([*ceiling, *counted, *share])
    if refused is not None:
        index, retry_after = refused
        index -= len(ceiling)
        if 0 <= index < len(limits):
            raise TooManyRequests(limits[index][3], retry_after, limits[index][4])
        raise TooManyRequests(_ZOOM_FULL, retry_after, ZOOM_ALLOWANCE)
    return counted + share


class PublicAdmission:
    """What one public booking spends, counted by the booking service once its slot is offered and
    its host locked (`admit`), all or nothing: the client's and the guest's limits (when made from
    a request), the host rep's, and for a Zoom meeting the host's public share of Zoom's daily
    allowance. Should the booking still fail after that, `give_back` uncounts it."""

    def __init__(self, request=None, guest_email: str = ""):
        self._guest = []
        if request is not None:
            self._guest = [
                (
                    "book-address",
                    client_address(request),
                    "RATE_LIMIT_BOOKINGS_PER_ADDRESS",
                    _FROM_ADDRESS,
                    GUEST_LIMIT,
                ),
                (
                    "book-email",
                    guest_email.strip().lower(),
                    "RATE_LIMIT_BOOKINGS_PER_EMAIL",
                    _FOR_EMAIL,
                    GUEST_LIMIT,
                ),
            ]
        self._spent: list[rate_limits.Limit] = []

    def admit(self, meeting_type: MeetingType, rep_id: int) -> None:
        """Counts the booking for host `rep_id`, or raises TooManyRequests (counting nothing)
        whose `reason` says whose limit refused it."""
        rep = ("book-rep", str(rep_id), "RATE_LIMIT_BOOKINGS_PER_REP", _FOR_REP, REP_LIMIT)
        self._spent = _spend(
            [*self._guest, rep], zoom_host=rep_id if meeting_type.is_zoom else None
        )

    def give_back(self) -> None:
        rate_limits.give_back(self._spent)
        self._spent = []


def guest_reschedule_admission(request) -> Callable[[Booking], None]:
    """What a guest's move spends, counted by the reschedule service once the new slot is offered
    (all or nothing): the client's and the booking's move limits and, for a Zoom meeting, one of
    the host's public writes."""

    def admit(booking: Booking) -> None:
        _spend(
            [
                (
                    "move-address",
                    client_address(request),
                    "RATE_LIMIT_RESCHEDULES_PER_ADDRESS",
                    _MOVES_FROM_ADDRESS,
                    GUEST_LIMIT,
                ),
                (
                    "move-booking",
                    str(booking.pk),
                    "RATE_LIMIT_RESCHEDULES_PER_BOOKING",
                    _MOVES,
                    GUEST_LIMIT,
                ),
            ],
            zoom_host=booking.rep_id if booking.is_zoom else None,
        )

    return admit
