"""Bookings put back in line for their Zoom link: by hand (the rep's or an admin's "Try again"),
and those parked for a reconnect once their rep's Zoom works again."""

from django.db import transaction
from django.db.models import Q, QuerySet

from integrations.zoom.company.models import ZoomCompanyMember
from integrations.zoom.connection.models import ZoomConnection

from .. import signals
from ..models import Booking
from .state import LinkState


def retry_link(booking: Booking) -> bool:
    """Puts a failed or parked booking back in line now (the rep's or an admin's "Try again")."""
    with transaction.atomic():
        current = Booking.objects.select_for_update().get(pk=booking.pk)
        if not current.retry_link():
            return False
        current.save()
        signals.zoom_work_after_commit(current.pk)
    return True


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
