"""Deleting the Zoom meeting a booking left in its former host's Zoom when it changed hands
(`meetings.models.HostChange`).

The booking goes on with its new host at once; this work is apart from it, with a lease of its
own (claimed by a compare-and-swap, as a booking's link is). The meeting is deleted through the
token chain that made it and no other: a rep's own connection cannot delete what the company's
account made, nor the reverse. A create that may have left a meeting the booking never recorded
(`in_doubt`) is looked for by the booking's reference among the former host's meetings. A
deletion repeated after a crash finds the meeting gone, which counts as deleted: nothing is
deleted twice and nothing is left.
"""

import logging
from datetime import timedelta

from django.utils import timezone

from config.compiled_updates import update_if_as_read
from integrations.zoom.api.errors import (
    Outcome,
    ZoomError,
    ZoomNotMeetingHost,
    rule_for,
)
from integrations.zoom.connection.hosts import zoom_host_for, zoom_host_through

from ..host_changes import HostChange
from . import links, retries
from .gateway import meeting_gateway
from .results import NOTHING_TO_DO, LinkRun, row_as_read

logger = logging.getLogger(__name__)

Removal = HostChange.Removal

# A former host whose Zoom is broken is asked again this often (they may reconnect).
RECHECK_WAITING = timedelta(hours=1)

NOT_CONNECTED = (
    "The former host's Zoom is no longer connected, so the meeting they hosted ({meeting}) could "
    "not be deleted: delete it in their Zoom."
)
WAITING = "The former host's Zoom needs reconnecting; the meeting is deleted once it works again."
NOT_HOST = (
    "Zoom says the meeting ({meeting}) belongs to another Zoom user (error 3003): delete it in "
    "that Zoom account."
)
OVER = "The meeting's time passed before the former host's Zoom could delete it."


def remove_former_meeting(change_id: int) -> LinkRun:
    """Deletes the former host's meeting of one host change if it is due and nobody holds it;
    returns the removal state it left and when to run again (state "" when there was nothing to
    do)."""
    change = _claim(change_id)
    if change is None:
        return NOTHING_TO_DO
    booking = change.booking
    if booking.end_at <= timezone.now():
        return _record(change, Removal.FAILED, OVER)
    if change.zoom_chain:
        host = zoom_host_through(change.from_rep, change.zoom_chain)
    else:
        # Only an unrecorded create to look for: it was made by the chain serving the host then,
        # which is the one serving them now unless their Zoom changed since.
        host = zoom_host_for(change.from_rep)
    if host is None:
        return _record(change, Removal.FAILED, NOT_CONNECTED.format(meeting=_named(change)))
    if not host.is_usable:
        return _record(change, Removal.WAITING, WAITING, retry_at=timezone.now() + RECHECK_WAITING)
    try:
        with meeting_gateway(host) as zoom:
            if change.zoom_meeting_id:
                try:
                    zoom.remove(change.zoom_meeting_id)
                except ZoomNotMeetingHost:
                    return _record(
                        change, Removal.FAILED, NOT_HOST.format(meeting=change.zoom_meeting_id)
                    )
            if change.in_doubt:
                # Never the booking's current meeting, should it be in this Zoom too.
                keep = {booking.zoom_meeting_id} - {""}
                for meeting in zoom.find(booking, exclude=keep | {change.zoom_meeting_id}):
                    logger.warning(
                        "Deleting unrecorded Zoom meeting %s of booking %s from its former host",
                        meeting["id"],
                        booking.pk,
                    )
                    zoom.delete(str(meeting["id"]))
    except ZoomError as exc:
        return _record_failure(change, exc, host)
    logger.info("Booking %s: its former host's Zoom meeting is deleted", booking.pk)
    return _record(change, Removal.REMOVED, "")


def _named(change: HostChange) -> str:
    return change.zoom_meeting_id or "not recorded"


def _claim(change_id: int) -> HostChange | None:
    now = timezone.now()
    try:
        change = HostChange.objects.select_related("booking", "from_rep").get(pk=change_id)
    except HostChange.DoesNotExist:
        return None
    if not change.removal_is_open or (change.lease_until and change.lease_until > now):
        return None
    lease_until = now + links.lease()
    taken = update_if_as_read(
        HostChange,
        change.pk,
        row_as_read(change, "removal", "attempts", "lease_until"),
        {
            "attempts": change.attempts + 1,
            "lease_until": lease_until,
            "next_attempt_at": lease_until,
        },
    )
    if not taken:
        return None
    change.attempts += 1
    change.lease_until = lease_until
    return change


def _record(change: HostChange, removal: str, error: str, *, retry_at=None) -> LinkRun:
    """Stores the outcome while this run still holds the lease (a run that outlived it leaves
    the outcome to the one that took over)."""
    update_if_as_read(
        HostChange,
        change.pk,
        row_as_read(change, "lease_until"),
        {
            "removal": removal,
            "last_error": error[:2000],
            "next_attempt_at": retry_at,
            "lease_until": None,
        },
    )
    return LinkRun(removal, retry_at if removal == Removal.PENDING else None)


def _record_failure(change: HostChange, exc: ZoomError, host) -> LinkRun:
    rule = rule_for(exc, via_company=host.via_company_account)
    says = rule.says.format(exc=exc)
    if rule.outcome == Outcome.PARK:
        return _record(change, Removal.WAITING, says, retry_at=timezone.now() + RECHECK_WAITING)
    if rule.outcome == Outcome.RETRY and not retries.out_of_attempts(rule, change.attempts):
        return _record(
            change, Removal.PENDING, says, retry_at=retries.next_try(rule, exc, change.attempts)
        )
    if rule.outcome == Outcome.RETRY:
        says = f"Zoom kept failing after {change.attempts} attempts: {exc}"
    return _record(change, Removal.FAILED, says)


def former_meetings_due(now=None):
    """Host changes whose former meeting should be deleted by now and that no worker holds: lost
    enqueues, crashed workers, waits that ran out."""
    return retries.due_and_unheld(
        HostChange.objects.filter(removal__in=[Removal.PENDING, Removal.WAITING]),
        lease="lease_until",
        next_attempt="next_attempt_at",
        now=now,
    )
