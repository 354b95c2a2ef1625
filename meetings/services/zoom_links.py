"""Bringing a booking's Zoom meeting in line with the booking: create, update (reschedule), delete.

Each run claims the booking with a short lease in its own transaction, talks to Zoom outside any
transaction (a token refresh inside `with_zoom` must commit whatever happens here), then records
the outcome under the row lock. A second run while the lease is held does nothing; a run that died
leaves a lease that expires, and the sweeper starts it again.
"""

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from integrations.zoom.errors import (
    ZoomCannotHost,
    ZoomError,
    ZoomMeetingEnded,
    ZoomMeetingInProgress,
    ZoomMeetingLocked,
    ZoomMeetingNotFound,
    ZoomNeedsReconnect,
    ZoomNotConnected,
    ZoomNotMeetingHost,
    ZoomRateLimited,
    ZoomTokenExpired,
    ZoomUnavailable,
    ZoomValidationError,
)

from .. import adoption, dispatch, selectors, zoom_meetings
from ..models import Booking, LinkState

logger = logging.getLogger(__name__)

# Transient failures (5xx, timeouts) back off exponentially from the base
# (settings.MEETINGS_ZOOM_BACKOFF_BASE_SECONDS) up to CAP, with jitter, and give up after
# MAX_ATTEMPTS with the last error as the reason.
BACKOFF_CAP = timedelta(hours=1)
MAX_ATTEMPTS = 8

RECONNECT_MESSAGE = "Zoom is not connected: reconnect Zoom and the link is created automatically."
# Zoom refuses to change or delete a meeting while it runs (3002); we look again this much later.
IN_PROGRESS_RETRY = timedelta(minutes=15)
NOT_HOST_NOTE = (
    "The earlier Zoom meeting belongs to another Zoom user than the one connected now, so Zoom "
    "refused to {action} it (error 3003). {outcome} Remove the old meeting in that Zoom account."
)


@dataclass(frozen=True)
class Outcome:
    """What a run left behind: the state, and when to run again if it should."""

    state: str
    retry_at: datetime | None = None


NOTHING_TO_DO = Outcome(state="")


def sync_zoom_meeting(booking_id: int) -> Outcome:
    """Create, update or delete the booking's Zoom meeting as its state asks.

    Stores meeting id, join URL, passcode and dial-in numbers (never the host's start_url), sends
    the invites once the link is ready, and records every failure on the booking: retry later,
    wait for the rep to reconnect, or failed with the reason.
    """
    booking = _claim(booking_id)
    if booking is None:
        return NOTHING_TO_DO
    if booking.link_state == LinkState.REMOVING:
        return _remove(booking)
    return _populate(booking)


# populate_zoom_link is the name the rest of the product uses for the common case.
populate_zoom_link = sync_zoom_meeting


def _claim(booking_id: int) -> Booking | None:
    now = timezone.now()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("meeting_type", "rep")
            .filter(pk=booking_id)
            .first()
        )
        if booking is None or booking.link_state not in (LinkState.PENDING, LinkState.REMOVING):
            return None
        if booking.link_lease_until and booking.link_lease_until > now:
            return None  # another worker is on it
        booking.begin_zoom_work(lease_until=now + lease())
        # If this worker dies, the booking is due again when the lease runs out.
        booking.link_next_attempt_at = booking.link_lease_until
        booking.save(
            update_fields=[
                "link_attempts",
                "link_lease_until",
                "link_next_attempt_at",
                "updated_at",
            ]
        )
    return booking


def _populate(booking: Booking) -> Outcome:
    connection = selectors.zoom_connection_of(booking.rep)
    if connection is None or not connection.is_usable:
        return _record(booking, lambda b: b.mark_link_waiting_for_reconnect(RECONNECT_MESSAGE))
    note = ""
    try:
        if booking.zoom_meeting_id:
            try:
                meeting = zoom_meetings.update(booking, connection)
            except (ZoomMeetingNotFound, ZoomMeetingEnded, ZoomNotMeetingHost) as exc:
                # Deleted or expired in Zoom, already held, or another Zoom user's: the booking
                # gets a new meeting, whose new link goes out in the invite.
                logger.info(
                    "Zoom meeting of booking %s cannot be moved (%s); creating a new one",
                    booking.pk,
                    type(exc).__name__,
                )
                if isinstance(exc, ZoomNotMeetingHost):
                    note = NOT_HOST_NOTE.format(
                        action="move", outcome="A new meeting was created for the booking."
                    )
                meeting = adoption.adopt_or_create(
                    booking, connection, gone_id=booking.zoom_meeting_id
                )
        else:
            # An earlier run may have created the meeting and died before recording it.
            meeting = adoption.adopt_or_create(booking, connection)
    except ZoomError as exc:
        return _record_failure(booking, exc)
    return _record_meeting(booking, meeting, connection, note=note)


def _remove(booking: Booking) -> Outcome:
    connection = selectors.zoom_connection_of(booking.rep)
    usable = connection is not None and connection.is_usable
    if not booking.zoom_meeting_id and not usable:
        return _record(booking, lambda b: b.mark_zoom_removed())
    if not usable:
        return _record(booking, lambda b: b.mark_link_waiting_for_reconnect(RECONNECT_MESSAGE))
    try:
        if booking.zoom_meeting_id:
            try:
                zoom_meetings.delete(booking.zoom_meeting_id, connection)
            except ZoomMeetingEnded:
                pass  # over already: nobody can join it, and Zoom keeps it as a past meeting
            except ZoomNotMeetingHost:
                note = NOT_HOST_NOTE.format(action="delete", outcome="It may still be joinable.")
                return _record(booking, lambda b: _removed_with_note(b, note))
        else:
            # Cancelled while a worker held the booking: that worker died with a create in
            # flight (a live one records its meeting and finds the booking cancelled), so a
            # meeting may exist in Zoom that we never recorded.
            adoption.remove_unrecorded(booking, connection)
    except ZoomError as exc:
        return _record_failure(booking, exc)
    return _record(booking, lambda b: b.mark_zoom_removed())


def _removed_with_note(booking: Booking, note: str) -> None:
    booking.mark_zoom_removed()
    booking.record_zoom_change(note)


def _record_meeting(booking: Booking, meeting, connection, *, note: str = "") -> Outcome:
    """Store the meeting; if the booking changed while Zoom answered, go round again."""
    with transaction.atomic():
        current = Booking.objects.select_for_update().get(pk=booking.pk)
        stored = current.zoom_meeting_id
        # Zoom was slower than the lease: another run claimed the booking and stored its own
        # meeting while this one was creating. Theirs is the guest's link; ours goes.
        duplicate = bool(stored) and stored not in (booking.zoom_meeting_id, meeting.id)
        if not duplicate:
            _store(current, booking, meeting)
            if note:
                current.record_zoom_change(note)
                current.save(update_fields=["zoom_changed_at", "zoom_change_note", "updated_at"])
    if duplicate:
        logger.warning(
            "Booking %s already has Zoom meeting %s; deleting duplicate %s",
            booking.pk,
            stored,
            meeting.id,
        )
        try:
            zoom_meetings.delete(meeting.id, connection)
        except ZoomError as exc:
            # Still traceable by the booking reference in its agenda.
            logger.error("Could not delete duplicate Zoom meeting %s: %s", meeting.id, exc)
    return Outcome(current.link_state)


def _store(current: Booking, booking: Booking, meeting) -> None:
    """Under the row lock: `current` is the booking now, `booking` as this run claimed it."""
    current.mark_link_ready(meeting)
    if current.is_cancelled:
        # Cancelled while the meeting was being created: delete what we just made.
        current.link_state = LinkState.REMOVING
        current.link_next_attempt_at = timezone.now()
    elif (current.start_at, current.end_at) != (booking.start_at, booking.end_at):
        # Rescheduled while Zoom answered: PATCH the meeting to the new time.
        current.link_state = LinkState.PENDING
        current.link_next_attempt_at = timezone.now()
    current.save()
    if current.link_state == LinkState.READY:
        dispatch.invites_after_commit(current.pk)
    else:
        dispatch.zoom_work_after_commit(current.pk)


def _record_failure(booking: Booking, exc: ZoomError) -> Outcome:
    if isinstance(exc, ZoomNeedsReconnect | ZoomNotConnected):
        reason = f"Zoom needs reconnecting: {exc}"
        return _record(booking, lambda b: b.mark_link_waiting_for_reconnect(reason))
    if isinstance(exc, ZoomRateLimited):
        if exc.daily:
            error = (
                "Zoom's daily limit of meeting creates and updates for this host is reached; "
                f"trying again at {exc.retry_at:%Y-%m-%d %H:%M} UTC."
            )
        else:
            error = "Zoom asked us to slow down; trying again shortly."
        return _record(booking, lambda b: b.mark_link_retry(error, exc.retry_at), exc.retry_at)
    if isinstance(exc, ZoomMeetingInProgress):
        # Not a failure: Zoom will take the change (or the deletion) once the meeting ends.
        retry_at = timezone.now() + IN_PROGRESS_RETRY
        error = (
            "The Zoom meeting is in progress, so Zoom will not change or delete it now; "
            "trying again after it ends."
        )
        return _record(booking, lambda b: b.mark_link_retry(error, retry_at), retry_at)
    if isinstance(exc, ZoomUnavailable | ZoomTokenExpired):
        if booking.link_attempts >= MAX_ATTEMPTS:
            reason = f"Zoom kept failing after {booking.link_attempts} attempts: {exc}"
            return _record(booking, lambda b: b.mark_link_failed(reason))
        retry_at = timezone.now() + backoff(booking.link_attempts)
        error = f"Zoom did not answer usefully ({exc}); trying again."
        return _record(booking, lambda b: b.mark_link_retry(error, retry_at), retry_at)
    # Validation errors, a user who may not host, and any refusal we cannot map will not heal by
    # retrying: the booking shows the reason and the rep (or an admin) decides.
    if isinstance(exc, ZoomValidationError):
        details = "; ".join(
            f"{e.get('field')}: {e.get('message')}" for e in exc.errors if isinstance(e, dict)
        )
        reason = f"Zoom refused the meeting: {exc}" + (f" ({details})" if details else "")
    elif isinstance(exc, ZoomCannotHost):
        reason = "This Zoom user may not host meetings (Zoom error 3161)."
    elif isinstance(exc, ZoomMeetingLocked):
        reason = f"Zoom refused to change the meeting in its current state: {exc}"
    else:
        reason = f"Zoom refused the request: {exc}"
    return _record(booking, lambda b: b.mark_link_failed(reason))


def _record(booking: Booking, transition, retry_at: datetime | None = None) -> Outcome:
    with transaction.atomic():
        current = Booking.objects.select_for_update().get(pk=booking.pk)
        transition(current)
        current.save()
    return Outcome(current.link_state, retry_at)


def lease() -> timedelta:
    return timedelta(seconds=settings.MEETINGS_ZOOM_LEASE_SECONDS)


def backoff(attempts: int) -> timedelta:
    """Full jitter exponential backoff: a random wait up to BASE·2^(attempts-1), capped."""
    base = timedelta(seconds=settings.MEETINGS_ZOOM_BACKOFF_BASE_SECONDS)
    ceiling = min(BACKOFF_CAP, base * (2 ** max(attempts - 1, 0)))
    return timedelta(seconds=random.uniform(ceiling.total_seconds() / 2, ceiling.total_seconds()))


def retry_link(booking: Booking) -> bool:
    """Puts a failed or parked booking back in line now (the rep's or an admin's "Try again")."""
    with transaction.atomic():
        current = Booking.objects.select_for_update().get(pk=booking.pk)
        if current.link_state not in (LinkState.FAILED, LinkState.WAITING_FOR_RECONNECT):
            return False
        current.link_state = LinkState.REMOVING if current.is_cancelled else LinkState.PENDING
        current.link_attempts = 0
        current.link_next_attempt_at = timezone.now()
        current.save()
        dispatch.zoom_work_after_commit(current.pk)
    return True


def host_start_url(booking: Booking) -> str:
    """A fresh start link for the host, fetched from Zoom each time and never stored."""
    connection = selectors.zoom_connection_of(booking.rep)
    if not booking.zoom_meeting_id or connection is None:
        raise ZoomNotConnected("This booking has no Zoom meeting to start.")
    return zoom_meetings.start_url(booking.zoom_meeting_id, connection)


def resume_parked_links(rep=None) -> int:
    """Bookings parked for a reconnect whose rep has reconnected go back in line."""
    count = 0
    for booking in selectors.bookings_waiting_for_reconnected_zoom(rep):
        count += retry_link(booking)
    return count
