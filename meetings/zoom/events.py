"""What meetings does when Zoom tells integrations something.

- A meeting changed inside Zoom by its host (`meeting.updated` / `meeting.deleted`): the booking
  stays the source of truth for its time; the change is recorded and shown to the rep, who
  reschedules or recreates the link. It is never silently copied into the booking.
- A rep's Zoom connection works again: bookings parked for the reconnect go back in line now,
  rather than at the sweeper's next run.
- A rep's Zoom user removed the app and Zoom did not let us keep their data: every booking keeps
  its guest, time and status, and loses every value that came from Zoom.
"""

import logging

from django.db import transaction
from django.dispatch import receiver

from integrations.zoom.signals import (
    zoom_connection_restored,
    zoom_data_erasure_due,
    zoom_meeting_changed,
)

from ..models import Booking, LinkState
from .bodies import topic, zoom_time
from .links import resume_parked_links

logger = logging.getLogger(__name__)


@receiver(zoom_meeting_changed, dispatch_uid="meetings.record_zoom_change")
def record_zoom_change(sender, *, meeting_id: str, change: str, details: dict, **kwargs) -> bool:
    """Returns True when the meeting belongs to one of our bookings."""
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update()
            .filter(zoom_meeting_id=meeting_id)
            .order_by("-pk")
            .first()
        )
        if booking is None:
            return False
        if booking.is_cancelled or booking.link_state in (LinkState.REMOVING, LinkState.REMOVED):
            return True  # our own cancellation's echo: nothing left to tell the rep
        if change == "deleted":
            booking.mark_deleted_in_zoom()
        else:
            note = _describe_update(booking, details)
            if not note:
                return True  # our own reschedule's echo: Zoom already matches the booking
            booking.record_zoom_change(note)
        booking.save()
    logger.info("Booking %s: meeting %s %s in Zoom", booking.pk, meeting_id, change)
    return True


@receiver(zoom_connection_restored, dispatch_uid="meetings.resume_parked_links")
def resume_after_reconnect(sender, *, connection, previous_status: str, **kwargs) -> int:
    resumed = resume_parked_links(connection.user)
    if resumed:
        logger.info(
            "Rep %s reconnected Zoom: %s parked bookings resumed", connection.user_id, resumed
        )
    return resumed


ERASED_MESSAGE = (
    "Zoom was removed from your Zoom account, so this booking's Zoom details were deleted. "
    "Reconnect Zoom and a new link is created automatically."
)


@receiver(zoom_data_erasure_due, dispatch_uid="meetings.erase_zoom_data")
def erase_zoom_data(sender, *, rep, **kwargs) -> int:
    """Erases every Zoom value of the rep's bookings; returns how many bookings held some."""
    erased = 0
    holding = (
        Booking.objects.select_for_update()
        .filter(rep=rep)
        .exclude(zoom_meeting_id="", zoom_join_url="", zoom_passcode="", zoom_phone_passcode="")
    )
    for booking in holding:
        booking.erase_zoom_data(ERASED_MESSAGE)
        booking.save()
        erased += 1
    # Bookings without a meeting yet stop trying: the connection is gone until a reconnect.
    waiting = Booking.objects.select_for_update().filter(
        rep=rep, link_state__in=(LinkState.PENDING, LinkState.REMOVING)
    )
    for booking in waiting:
        booking.erase_zoom_data(ERASED_MESSAGE)
        booking.save()
    return erased


def _describe_update(booking: Booking, details: dict) -> str:
    changes = []
    start = zoom_time(details.get("start_time"))
    if start is not None and start != booking.start_at:
        changes.append(f"start moved to {start:%Y-%m-%d %H:%M} UTC")
    duration = details.get("duration")
    if isinstance(duration, int) and duration != booking.duration_minutes:
        changes.append(f"duration set to {duration} minutes")
    # Our own PATCH re-renders the title (which may name the time), and Zoom can echo it back as
    # meeting.updated: only a topic other than ours is the host's change.
    if "topic" in details and details["topic"] != topic(booking) and not changes:
        changes.append("topic changed")
    if not changes:
        return ""
    return (
        "The host changed this meeting in Zoom ("
        + ", ".join(changes)
        + "). The booking was not changed: reschedule it, or change it back in Zoom."
    )
