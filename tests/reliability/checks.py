"""What every reliability test asserts at the end, whatever went wrong on the way."""

from meetings.models import Booking
from meetings.zoom import bodies
from meetings.zoom.state import LinkState

# A booking that is not ready must say why: these states always carry `link_last_error`.
STATES_WITH_A_REASON = {LinkState.PENDING, LinkState.FAILED, LinkState.WAITING_FOR_RECONNECT}


def settled(bookings) -> bool:
    """True once every booking is ready, or stopped with its reason while no worker holds it."""
    for booking in Booking.objects.filter(pk__in=[b.pk for b in bookings]):
        stopped = (
            booking.link_state in STATES_WITH_A_REASON
            and bool(booking.link_last_error)
            and booking.link_lease_until is None
        )
        if booking.link_state != LinkState.READY and not stopped:
            return False
    return True


def assert_one_meeting_per_booking(sandbox, bookings) -> None:
    """The sandbox holds exactly one meeting per ready booking (the one it stores), none for the
    others, and nothing else; every booking is ready or shows its reason."""
    meetings = sandbox.meetings()
    ready = 0
    for booking in Booking.objects.filter(pk__in=[b.pk for b in bookings]):
        marker = bodies.reference_line(booking)
        theirs = [m for m in meetings if m["agenda"].endswith(marker)]
        if booking.link_state == LinkState.READY:
            ready += 1
            assert [str(m["id"]) for m in theirs] == [booking.zoom_meeting_id], booking
            assert theirs[0]["join_url"] == booking.zoom_join_url
        else:
            assert booking.link_state in STATES_WITH_A_REASON, booking.link_state
            assert booking.link_last_error, f"{booking} is {booking.link_state} without a reason"
            assert theirs == [], f"{booking} has meetings in Zoom but no link"
    assert len(meetings) == ready, [m["id"] for m in meetings]
