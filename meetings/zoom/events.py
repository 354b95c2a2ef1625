"""What meetings does when Zoom tells integrations something.

- A meeting changed inside Zoom by its host (`meeting.updated` / `meeting.deleted`): the booking
  stays the source of truth for its time; the change is recorded and shown to the rep, who
  reschedules or recreates the link. It is never silently copied into the booking.
- The company's Zoom account is removed in Zoom: the bookings it served forget their Zoom meeting
  and wait; it serves reps again (connected, matched): their parked bookings go back in line.
- Zoom made a meeting for a host (`meeting.created`): a booking whose create answer was lost, on
  a connection that may not list meetings, looks again.
- A rep's Zoom connection works again: bookings parked for the reconnect go back in line now,
  rather than at the sweeper's next run.
- A rep's Zoom user removed the app and Zoom did not let us keep their data: every booking keeps
  its guest, time and status, and loses every value that came from Zoom.
"""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import receiver
from django.utils import timezone

from integrations.zoom.connection.models import ZoomConnection
from integrations.zoom.signals import (
    zoom_company_account_removed,
    zoom_connection_restored,
    zoom_data_erasure_due,
    zoom_meeting_changed,
    zoom_meeting_created,
    zoom_reps_served,
)

from ..models import Booking
from .bodies import topic, zoom_time
from .links import resume_in_doubt_links, resume_parked_links
from .state import LinkState

logger = logging.getLogger(__name__)

COMPANY_REMOVED_MESSAGE = (
    "Your company's Zoom account was disconnected in Zoom, so this booking's Zoom meeting was "
    "forgotten: the link is created again once Zoom is reconnected (by your Zoom admin, or by you)."
)


@receiver(zoom_meeting_changed, dispatch_uid="meetings.record_change_made_in_zoom")
def record_change_made_in_zoom(
    sender, *, meeting_id: str, change: str, details: dict, occurred_at=None, **kwargs
) -> bool:
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
        elif _superseded(booking, occurred_at):
            # Made before our latest update of the meeting landed: the echo of an earlier move of
            # ours (A → B → C, B's echo arriving last), or a change our update overwrote (it sends
            # the booking's whole schedule). Zoom matches the booking.
            return True
        else:
            note = _describe_update(booking, details)
            if not note:
                return True  # our own reschedule's echo: Zoom already matches the booking
            booking.record_zoom_change(note)
        booking.save()
    logger.info("Booking %s: meeting %s %s in Zoom", booking.pk, meeting_id, change)
    return True


@receiver(zoom_meeting_created, dispatch_uid="meetings.look_again_when_zoom_made_a_meeting")
def look_again_when_zoom_made_a_meeting(sender, *, meeting_id: str, host_id: str, **kwargs) -> bool:
    """A booking whose create answer was lost, on a connection that may not list meetings, waits
    in doubt: Zoom's word that it made a meeting for the host sends it to look again (the run
    adopts the meeting when it is the booking's)."""
    return resume_in_doubt_links(host_id) > 0


@receiver(zoom_company_account_removed, dispatch_uid="meetings.park_company_served_links")
def park_after_company_account_removed(sender, *, rep_ids, **kwargs) -> int:
    """The company's Zoom account app was removed in Zoom: its meetings' ids, links, passcodes
    and dial-in numbers are Zoom data we must not keep, and those reps' upcoming bookings wait
    for a Zoom connection (a rep's own working connection, which won, keeps its bookings)."""
    parked = 0
    for booking in _bookings_served_by_company_account(rep_ids):
        booking.forget_zoom_meeting(COMPANY_REMOVED_MESSAGE)
        booking.save()
        parked += 1
    logger.info("Company Zoom account removed: %s bookings parked", parked)
    return parked


def _bookings_served_by_company_account(rep_ids) -> QuerySet[Booking]:
    """Upcoming Zoom bookings (locked) of these reps whose meetings the company's Zoom account
    made: every rep whose own Zoom connection is not the one in use."""
    own = ZoomConnection.objects.filter(status=ZoomConnection.Status.CONNECTED).exclude(
        zoom_user_id=""
    )
    return (
        Booking.objects.select_for_update(of=("self",))
        .filter(rep_id__in=rep_ids, location_kind="zoom", end_at__gte=timezone.now())
        .exclude(rep_id__in=own.values("user_id"))
        .exclude(link_state__in=[LinkState.NOT_NEEDED, LinkState.REMOVED])
        .order_by("pk")
    )


@receiver(zoom_reps_served, dispatch_uid="meetings.resume_company_served_links")
def resume_when_company_serves(sender, *, rep_ids, **kwargs) -> int:
    return sum(resume_parked_links(rep) for rep in get_user_model().objects.filter(pk__in=rep_ids))


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


@receiver(zoom_data_erasure_due, dispatch_uid="meetings.erase_zoom_data_of_rep")
def erase_zoom_data_of_rep(sender, *, rep, **kwargs) -> int:
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


def _superseded(booking: Booking, occurred_at) -> bool:
    return (
        occurred_at is not None
        and booking.link_ready_at is not None
        and occurred_at <= booking.link_ready_at
    )


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
