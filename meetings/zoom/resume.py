"""Bookings put back in line for their Zoom link: by hand (the rep's or an admin's "Try again", or
"Create a new meeting" for one in doubt), those parked for a reconnect once their rep's Zoom works
again, and those in doubt once Zoom tells of a meeting made for their host."""

from collections.abc import Callable

from django.db import transaction
from django.db.models import Q, QuerySet

from integrations.zoom.company.models import ZoomCompanyMember
from integrations.zoom.connection.models import ZoomConnection

from .. import signals
from ..models import Booking
from .state import LinkState


def retry_link(booking: Booking) -> bool:
    """Puts a failed or parked booking back in line now (the rep's or an admin's "Try again")."""
    return _back_in_line(booking, Booking.retry_link)


def create_link_anew(booking: Booking) -> bool:
    """The rep's "Create a new meeting" for a booking in doubt (`Booking.create_link_anew`)."""
    return _back_in_line(booking, Booking.create_link_anew)


def _back_in_line(booking: Booking, transition: Callable[[Booking], bool]) -> bool:
    """The transition, under the row lock, and the Zoom work announced; False when the booking
    is no longer where the transition starts from."""
    with transaction.atomic():
        current = Booking.objects.select_for_update().get(pk=booking.pk)
        if not transition(current):
            return False
        current.save()
        signals.zoom_work_after_commit(current.pk)
    return True


def resume_in_doubt_links(zoom_user_id: str) -> int:
    """Zoom told of a meeting made for this Zoom user: bookings in doubt whose rep it hosts look
    again (the run adopts the meeting if it is theirs)."""
    count = 0
    in_doubt = Booking.objects.filter(
        link_state=LinkState.FAILED, zoom_create_in_doubt=True, zoom_meeting_id=""
    ).filter(
        Q(rep__zoom_connection__zoom_user_id=zoom_user_id)
        | Q(rep__zoom_company_member__zoom_user_id=zoom_user_id)
    )
    for booking in in_doubt:
        count += retry_link(booking)
    return count


def resume_parked_links(rep=None) -> int:
    """Bookings parked for a reconnect whose rep has reconnected go back in line."""
    count = 0
    for booking in bookings_waiting_for_reconnected_zoom(rep):
        count += retry_link(booking)
    return count


def bookings_waiting_for_reconnected_zoom(rep=None) -> QuerySet[Booking]:
    """Bookings parked for a reconnect whose rep's Zoom works again (of one rep, if given): their
    own connection, or the company's Zoom account serving them."""
    connected = ZoomConnection.Status.CONNECTED
    own_works = Q(rep__zoom_connection__status=connected) & ~Q(
        rep__zoom_connection__zoom_user_id=""
    )
    company_serves = Q(
        rep__zoom_company_member__state=ZoomCompanyMember.State.SERVED,
        rep__zoom_company_member__account__status=connected,
    )
    bookings = Booking.objects.filter(own_works | company_serves).filter(
        link_state=LinkState.WAITING_FOR_RECONNECT
    )
    return bookings.filter(rep=rep) if rep is not None else bookings
