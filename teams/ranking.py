"""Who of a team Meeting Type's members is next in line for a booking (pure: no database).

Round robin is fair over a window: the member with the fewest bookings of the type made in the
window goes first, counted against their weight (a weight of 200 takes twice the bookings of 100);
ties go to the higher priority, then to whoever was booked least recently (never booked first).
First available takes the highest priority first, and rotates among equals the same way.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction

from meetings.meeting_types import Distribution

_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Candidate:
    rep_id: int
    priority: int
    weight: int
    # Confirmed bookings of the type made within the window, and the member's latest booking of the
    # type (any time, any status), or None.
    bookings: int = 0
    last_booked_at: datetime | None = None


def in_line(candidates, distribution: str) -> list[Candidate]:
    """The candidates in the order they are offered the booking."""
    if distribution == Distribution.FIRST_AVAILABLE:
        return sorted(candidates, key=_by_priority)
    return sorted(candidates, key=lambda c: (_load(c), *_by_priority(c)))


def _load(candidate: Candidate) -> Fraction:
    # Exact, so 3 bookings at weight 100 tie with 6 at weight 200.
    return Fraction(candidate.bookings, candidate.weight)


def _by_priority(candidate: Candidate) -> tuple:
    # The rep id last, so equal candidates are always in the same order.
    return (-candidate.priority, candidate.last_booked_at or _NEVER, candidate.rep_id)
