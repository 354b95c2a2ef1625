"""Bringing a booking's Zoom meeting in line with the booking: create, update (reschedule), delete.

Each run claims the booking with a short lease (a compare-and-swap: one UPDATE that lands only if
the link is as the run read it), talks to Zoom outside any transaction (a token refresh inside the
Zoom session must commit whatever happens here), then records the outcome (`results`): by one
UPDATE when the booking is still as claimed, else under the row lock. A second run while the lease
is held does nothing; a run that died leaves a lease that expires, and the sweeper starts it again.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from config.compiled_reads import ByPrimaryKey
from config.compiled_updates import update_if_as_read
from integrations.zoom.api.errors import (
    ZoomCapabilityUnavailable,
    ZoomError,
    ZoomMeetingEnded,
    ZoomMeetingNotFound,
    ZoomMeetingStarted,
    ZoomNotMeetingHost,
)
from integrations.zoom.connection.hosts import (
    REP_ZOOM_STATE,
    ZoomHost,
    company_member_of,
    zoom_hosts_of,
)
from integrations.zoom.connection.models import ZoomConnection

from ..models import Booking
from . import matching
from .bodies import ZoomMeeting, parse_meeting, topic
from .gateway import MeetingGateway, making_host, meeting_gateway
from .results import NOTHING_TO_DO, LinkRun, record, record_failure, record_meeting, row_as_read
from .state import LinkState, ZoomChain

logger = logging.getLogger(__name__)


RECONNECT_MESSAGE = "Zoom is not connected: reconnect Zoom and the link is created automatically."
NOT_HOST_NOTE = (
    "The earlier Zoom meeting belongs to another Zoom user than the one connected now, so Zoom "
    "refused to {action} it (error 3003). {outcome} Remove the old meeting in that Zoom account."
)
IN_DOUBT_MESSAGE = (
    "Zoom may already have made this meeting: its answer to our request was lost, and this Zoom "
    "connection may not list your meetings ({exc}), so we cannot look. If Zoom tells us it made "
    'the meeting, the link appears here by itself. If your Zoom has no meeting "{topic}" at '
    "this time, create a new one."
)
KEPT_OLD_MEETING_NOTE = (
    "This Zoom connection may not {action} meetings ({exc}), so the booking got a new meeting "
    "and the earlier one is still in Zoom: remove it there."
)
CANCELLED_KEPT_NOTE = (
    "This Zoom connection may not delete meetings ({exc}): remove the cancelled meeting in Zoom."
)
# A meeting is moved or deleted only through the token chain that made it (the rep's own
# connection or the company's Zoom account), whichever serves the rep today.
MAKER_BROKEN_MESSAGE = (
    "This booking's Zoom meeting was made through {maker}, which needs reconnecting: the meeting "
    "is updated once it is reconnected, and the guest's link stays the same."
)
MAKER_GONE_NOTE = (
    "The earlier Zoom meeting was made through {maker}, which no longer serves you, so it could "
    "not be moved: a new meeting was created and the guest was sent its link. Remove the old "
    "meeting in that Zoom account."
)
MAKER_GONE_DELETE_NOTE = (
    "The Zoom meeting was made through {maker}, which no longer serves you, so it could not be "
    "deleted: it may still be joinable. Remove it in that Zoom account."
)
COMPANY_UNSERVED_MESSAGE = (
    "Your company's Zoom account does not make your meetings ({reason}): the link is created "
    "automatically once your Zoom admin sorts it out, or once you connect Zoom yourself."
)
COMPANY_RECONNECT_MESSAGE = (
    "Your company's Zoom account is not connected: the link is created automatically once a "
    "Zoom admin reconnects it, or once you connect Zoom yourself."
)


def sync_zoom_meeting(booking_id: int) -> LinkRun:
    """Create, update or delete the booking's Zoom meeting as its state asks.

    Stores meeting id, join URL, passcode and dial-in numbers (never the host's start_url), sends
    the invites once the link is ready, and records every failure on the booking: retry later,
    wait for the rep to reconnect, or failed with the reason.
    """
    claimed = _claim(booking_id)
    if claimed is None:
        return NOTHING_TO_DO
    booking, in_doubt = claimed
    if booking.link_state == LinkState.REMOVING:
        return _remove(booking, in_doubt)
    return _populate(booking, in_doubt)


# What a claim writes (`begin_zoom_work`).
CLAIM_FIELDS = (
    "link_attempts",
    "link_lease_until",
    "link_next_attempt_at",
    "zoom_create_in_doubt",
    "updated_at",
)


# Every run reads its booking this way, compiled once per worker thread, with what finds the
# rep's host (`_host_of`): their own connection and their row in the company's account.
_BOOKING_TO_CLAIM = ByPrimaryKey(
    lambda: Booking.objects.select_related(
        "meeting_type", "rep", *(f"rep__{relation}" for relation in REP_ZOOM_STATE)
    )
)


def _host_of(rep) -> ZoomHost | None:
    """`zoom_host_for` of a rep as the claim read them: no query of its own."""
    return zoom_hosts_of([rep])[rep.pk].host


def _claim(booking_id: int) -> tuple[Booking, bool] | None:
    """The booking, held for this run, and whether an earlier create may exist unrecorded.

    A compare-and-swap: the booking is read, and one UPDATE takes the lease only if the link is
    still as read (state, attempts, lease). Two round trips where a locked read took four; a run
    that loses the race does nothing, as one that waited on a lock would find the lease held."""
    now = timezone.now()
    try:
        booking = _BOOKING_TO_CLAIM.get(booking_id)
    except Booking.DoesNotExist:
        return None
    if booking.link_state not in (LinkState.PENDING, LinkState.REMOVING):
        return None
    if booking.link_lease_until and booking.link_lease_until > now:
        return None  # another worker is on it
    as_read = row_as_read(booking, "link_state", "link_attempts", "link_lease_until")
    in_doubt = booking.begin_zoom_work(lease_until=now + lease())
    booking.updated_at = now
    claim = {f: getattr(booking, f) for f in CLAIM_FIELDS}
    taken = update_if_as_read(Booking, booking.pk, as_read, claim)
    return (booking, in_doubt) if taken else None


def _populate(booking: Booking, in_doubt: bool) -> LinkRun:
    if booking.zoom_meeting_id:
        maker = making_host(booking)
        if maker is not None and maker.is_usable:
            return _populate_through(booking, maker, in_doubt)
        if _can_come_back(maker):
            # Only the chain that made the meeting may move it, and the prospect's link is that
            # meeting's: wait for that chain rather than give them a new one.
            return record(booking, lambda b: b.mark_link_waiting_for_reconnect(_maker_broken(b)))
    host = _host_of(booking.rep)
    if host is None or not host.is_usable:
        message = _not_usable_message(host, booking.rep)

        def parked(b: Booking) -> None:
            b.mark_link_waiting_for_reconnect(message)
            # Nothing was sent to Zoom: the doubt is what it was before this run.
            b.record_zoom_refusal(in_doubt)

        return record(booking, parked)
    return _populate_through(booking, host, in_doubt)


def _populate_through(booking: Booking, host: ZoomHost, in_doubt: bool) -> LinkRun:
    try:
        with meeting_gateway(host) as zoom:
            meeting, note = _meeting_for(booking, zoom, in_doubt)
            return record_meeting(booking, meeting, zoom, note=note)
    except CreateInDoubt as doubt:
        says = IN_DOUBT_MESSAGE.format(exc=doubt.__cause__, topic=topic(booking))
        return record(booking, lambda b: b.mark_link_in_doubt(says))
    except ZoomError as exc:
        return record_failure(booking, exc, in_doubt, host)


def _can_come_back(maker: ZoomHost | None) -> bool:
    """The chain that made the meeting only needs a reconnect (its meetings are still there);
    one that was removed, disconnected, or no longer serves the rep is gone for this meeting."""
    return (
        maker is not None
        and maker.status == ZoomConnection.Status.NEEDS_RECONNECT
        and (maker.member is None or maker.member.is_served)
    )


def _maker_broken(booking: Booking) -> str:
    return MAKER_BROKEN_MESSAGE.format(maker=ZoomChain(booking.zoom_chain).label)


class CreateInDoubt(Exception):
    """A create whose answer was lost may have made the meeting, and this connection cannot
    look (it may not list meetings, and no `meeting.created` event matched). Creating again
    could give the guest two meetings: the rep decides, seeing why."""


def _not_usable_message(host, rep) -> str:
    if host is not None and host.via_company_account:
        return COMPANY_RECONNECT_MESSAGE
    if host is None:
        # A rep who never connected anything is not asked to reconnect: they are told why the
        # company's Zoom account does not serve them.
        member = company_member_of(rep)
        if member is not None and not member.is_served:
            return COMPANY_UNSERVED_MESSAGE.format(reason=member.get_state_display())
    return RECONNECT_MESSAGE


def _meeting_for(booking: Booking, zoom: MeetingGateway, in_doubt: bool) -> tuple[ZoomMeeting, str]:
    """The booking's meeting, and a note for the rep when it had to be replaced."""
    if not booking.zoom_meeting_id:
        # An earlier run may have created the meeting and died before recording it.
        return _adopt_or_create(booking, zoom, look_first=in_doubt), ""
    if zoom.chain != booking.zoom_chain:
        # The chain that made it is gone (removed in Zoom, disconnected, or no longer serving the
        # rep): it cannot be moved, so the booking gets a meeting from the chain serving it now.
        note = MAKER_GONE_NOTE.format(maker=ZoomChain(booking.zoom_chain).label)
        return _adopt_or_create(booking, zoom, look_first=in_doubt), note
    try:
        return zoom.update(booking), ""
    except ZoomCapabilityUnavailable as exc:
        # This connection may not update meetings: a new one at the new time, and the old goes.
        return _replace(booking, zoom, in_doubt, exc)
    except (ZoomMeetingNotFound, ZoomMeetingStarted, ZoomMeetingEnded, ZoomNotMeetingHost) as exc:
        # Deleted or expired in Zoom, started (3000) or already held (3007), or another Zoom
        # user's (3003): the booking gets a new meeting, whose new link goes out in the invite.
        logger.info(
            "Zoom meeting of booking %s cannot be moved (%s); creating a new one",
            booking.pk,
            type(exc).__name__,
        )
        note = ""
        if isinstance(exc, ZoomNotMeetingHost):
            note = NOT_HOST_NOTE.format(
                action="move", outcome="A new meeting was created for the booking."
            )
        meeting = _adopt_or_create(
            booking, zoom, look_first=in_doubt, gone_id=booking.zoom_meeting_id
        )
        return meeting, note


def _replace(
    booking: Booking, zoom: MeetingGateway, in_doubt: bool, refused: ZoomCapabilityUnavailable
) -> tuple[ZoomMeeting, str]:
    old = booking.zoom_meeting_id
    meeting = _adopt_or_create(booking, zoom, look_first=in_doubt, gone_id=old)
    try:
        zoom.delete(old)
    except ZoomCapabilityUnavailable as exc:
        return meeting, KEPT_OLD_MEETING_NOTE.format(
            action="update or delete", exc=f"{refused}; {exc}"
        )
    return meeting, ""


def _adopt_or_create(
    booking: Booking, zoom: MeetingGateway, *, look_first: bool, gone_id: str = ""
) -> ZoomMeeting:
    """The booking's meeting: an unrecorded one adopted (and moved to the booking's time if it
    was made for an earlier one), else a new one. `look_first` when an earlier run may have
    created it without recording it (`Booking.zoom_create_in_doubt`: a create whose answer was
    lost, or a worker that died): one list request is cheaper than a guest with two meetings. A
    refusal, a 429 included, created nothing and does not count. `gone_id` is a meeting Zoom no
    longer has."""
    if look_first:
        try:
            found = zoom.find(booking, exclude={gone_id} - {""})
        except ZoomCapabilityUnavailable as exc:
            raise CreateInDoubt from exc
        if found:
            adopted = _adopt(booking, zoom, found)
            if adopted is not None:
                return adopted
    return zoom.create(booking)


def _adopt(booking: Booking, zoom: MeetingGateway, found: list[dict]) -> ZoomMeeting | None:
    keep = matching.meeting_to_keep(found, booking)
    for extra in found:
        if extra is not keep:
            # So the guest's link is the only one.
            logger.warning(
                "Deleting duplicate Zoom meeting %s of booking %s", extra["id"], booking.pk
            )
            zoom.delete(str(extra["id"]))
    logger.info("Adopting Zoom meeting %s for booking %s", keep["id"], booking.pk)
    if matching.is_on_time(keep, booking):
        return parse_meeting(keep)
    try:
        # Made for the booking's earlier time (it moved while the create was unrecorded).
        return zoom.update(booking, meeting_id=str(keep["id"]), known=parse_meeting(keep))
    except ZoomMeetingNotFound:
        return None  # deleted in Zoom meanwhile: the caller creates a new one


def _remove(booking: Booking, in_doubt: bool) -> LinkRun:
    if booking.zoom_meeting_id:
        maker = making_host(booking)
        if maker is None or not maker.is_usable:
            if _can_come_back(maker):
                return record(
                    booking, lambda b: b.mark_link_waiting_for_reconnect(_maker_broken(b))
                )
            # Only the chain that made the meeting may delete it, and it is gone: say so.
            note = MAKER_GONE_DELETE_NOTE.format(maker=ZoomChain(booking.zoom_chain).label)
            return record(booking, lambda b: _removed_with_note(b, note))
        return _remove_through(booking, maker, in_doubt)
    host = _host_of(booking.rep)
    if host is None or not host.is_usable:
        return record(booking, lambda b: b.mark_zoom_removed())
    return _remove_through(booking, host, in_doubt)


def _remove_through(booking: Booking, host: ZoomHost, in_doubt: bool) -> LinkRun:
    try:
        with meeting_gateway(host) as zoom:
            if booking.zoom_meeting_id:
                try:
                    zoom.remove(booking.zoom_meeting_id)
                except ZoomCapabilityUnavailable as exc:
                    note = CANCELLED_KEPT_NOTE.format(exc=exc)
                    return record(booking, lambda b: _removed_with_note(b, note))
                except ZoomNotMeetingHost:
                    note = NOT_HOST_NOTE.format(
                        action="delete", outcome="It may still be joinable."
                    )
                    return record(booking, lambda b: _removed_with_note(b, note))
            else:
                # Cancelled while a worker held the booking: that worker died with a create in
                # flight (a live one records its meeting and finds the booking cancelled), so a
                # meeting may exist in Zoom that we never recorded.
                try:
                    for meeting in zoom.find(booking):
                        zoom.delete(str(meeting["id"]))
                except ZoomCapabilityUnavailable as exc:
                    note = (
                        f"A Zoom meeting may have been made for this booking, and this Zoom "
                        f"connection cannot look for it or delete it ({exc}): if your Zoom has "
                        f'"{topic(booking)}" at this time, remove it there.'
                    )
                    return record(booking, lambda b: _removed_with_note(b, note))
    except ZoomError as exc:
        return record_failure(booking, exc, in_doubt, host)
    return record(booking, lambda b: b.mark_zoom_removed())


def _removed_with_note(booking: Booking, note: str) -> None:
    booking.mark_zoom_removed()
    booking.record_zoom_change(note)


def lease() -> timedelta:
    return timedelta(seconds=settings.MEETINGS_ZOOM_LEASE_SECONDS)
