"""What meetings does when Zoom tells integrations something.

- A meeting changed inside Zoom by its host (`meeting.updated` / `meeting.deleted`): the booking
  stays the source of truth for its time; the change is recorded and shown to the rep, who
  reschedules or recreates the link. It is never silently copied into the booking.
- The company's Zoom account serves reps again (connected, matched): their parked bookings go
  back in line.
- Zoom made a meeting for a host (`meeting.created`): a booking whose create answer was lost, on
  a connection that may not list meetings, looks again.
- A rep's Zoom connection works again: bookings parked for the reconnect go back in line now,
  rather than at the sweeper's next run.
- An app was removed in Zoom (the rep's own, or the company's) and Zoom did not let us keep its
  data: every booking whose meeting that app made keeps its guest, time and status, and loses
  every value that came from Zoom; the other app's meetings stay.
"""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from integrations.zoom.signals import (
    zoom_company_rep_unserved,
    zoom_connection_restored,
    zoom_data_erasure_due,
    zoom_meeting_changed,
    zoom_meeting_created,
    zoom_reps_served,
)

from ..models import Booking, HostChange, InviteDelivery
from ..signals import zoom_meetings_erased, zoom_work_after_commit
from .bodies import topic, zoom_time
from .resume import resume_in_doubt_links, resume_parked_links
from .state import LinkState, ZoomChain

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


@receiver(zoom_company_rep_unserved, dispatch_uid="meetings.move_off_the_company_account")
def move_off_the_company_account(sender, *, rep_id: int, **kwargs) -> int:
    """The company's account no longer serves the rep (their Zoom user left the account, was
    deactivated or deleted, or may not host): their upcoming meetings it made cannot be kept up
    through it. Each goes back in line, where the rep's own working connection gives it a new
    meeting (the guest gets the new link), or it waits with the reason."""
    moved = 0
    upcoming = Booking.objects.select_for_update().filter(
        rep_id=rep_id,
        zoom_chain=ZoomChain.COMPANY,
        end_at__gte=timezone.now(),
        link_state__in=[LinkState.READY, LinkState.FAILED],
    )
    for booking in upcoming.exclude(status=Booking.Status.CANCELLED).order_by("pk"):
        booking.reschedule_link()
        booking.save(update_fields=Booking.ZOOM_LINK_FIELDS)
        zoom_work_after_commit(booking.pk)
        moved += 1
    return moved


@receiver(zoom_meeting_created, dispatch_uid="meetings.look_again_when_zoom_made_a_meeting")
def look_again_when_zoom_made_a_meeting(sender, *, meeting_id: str, host_id: str, **kwargs) -> bool:
    """A booking whose create answer was lost, on a connection that may not list meetings, waits
    in doubt: Zoom's word that it made a meeting for the host sends it to look again (the run
    adopts the meeting when it is the booking's)."""
    return resume_in_doubt_links(host_id) > 0


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


FORMER_ERASED_MESSAGE = (
    "The Zoom app that made this meeting was removed in Zoom, so its details were deleted here "
    "and it could not be removed: remove it in that Zoom account."
)
ERASED_MESSAGES = {
    ZoomChain.PERSONAL: (
        "Zoom was removed from your Zoom account, so this booking's Zoom details were deleted. "
        "Reconnect Zoom and a new link is created automatically."
    ),
    ZoomChain.COMPANY: COMPANY_REMOVED_MESSAGE,
}


@receiver(zoom_data_erasure_due, dispatch_uid="meetings.erase_zoom_data_of_app")
def erase_zoom_data_of_app(sender, *, zoom_app: str, rep=None, **kwargs) -> int:
    """Erases every value the removed app gave to bookings (past and future, cancelled too) and to
    the invites sent for them: only the meetings that app's chain made (all reps' for the company's
    app, one rep's for their own). Returns how many records held some."""
    chain = ZoomChain(zoom_app)
    bookings = Booking.objects.select_for_update().filter(zoom_chain=chain)
    invites = InviteDelivery.objects.filter(zoom_chain=chain)
    if rep is not None:
        bookings = bookings.filter(rep=rep)
        invites = invites.filter(booking__rep=rep)
    erased: list[int] = []
    reps: set[int] = set()
    for booking in bookings.order_by("pk"):
        booking.erase_zoom_data(ERASED_MESSAGES[chain])
        booking.save(update_fields=Booking.ZOOM_LINK_FIELDS)
        erased.append(booking.pk)
        reps.add(booking.rep_id)
    # The join URL each invite carried is that meeting's; the invite record itself stays.
    invites_erased = invites.exclude(location="").update(location="", zoom_chain="")
    invites_erased += _erase_former_meetings(chain, rep)
    zoom_meetings_erased.send(sender=Booking, booking_ids=erased)
    # A rep whose other Zoom still works gets new meetings from it now, not at a reconnect.
    transaction.on_commit(lambda: _resume(reps))
    logger.info(
        "Zoom app %s removed: %s bookings and %s invites erased", chain, len(erased), invites_erased
    )
    return len(erased) + invites_erased


def _erase_former_meetings(chain: ZoomChain, rep) -> int:
    """Meetings a former host's Zoom made for bookings handed to another host: their ids go too,
    and a removal still owed cannot happen through an app that is gone."""
    former = HostChange.objects.filter(zoom_chain=chain)
    if rep is not None:
        former = former.filter(from_rep=rep)
    open_removals = [HostChange.Removal.PENDING, HostChange.Removal.WAITING]
    former.filter(removal__in=open_removals).update(
        removal=HostChange.Removal.FAILED,
        last_error=FORMER_ERASED_MESSAGE,
        next_attempt_at=None,
        lease_until=None,
    )
    return former.update(zoom_meeting_id="", zoom_chain="", in_doubt=False)


def _resume(rep_ids) -> None:
    for rep in get_user_model().objects.filter(pk__in=rep_ids):
        resume_parked_links(rep)


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
