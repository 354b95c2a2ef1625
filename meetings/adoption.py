"""Finding a booking's meeting that Zoom created but we never recorded, so a retry adopts it.

Zoom has no idempotency key. A worker killed after `POST /users/me/meetings` succeeded, or a create
whose answer was lost (timeout, dropped connection, a 5xx after Zoom had done the work), leaves a
meeting in Zoom that the booking does not know about; creating again would give the guest two.
Every meeting we create ends its agenda with "Booking reference: <reference>"
(`zoom_meetings.agenda`), so before a create that might be a repeat we list the host's upcoming
meetings and look for it.

`GET /users/{userId}/meetings` lists `agenda` and `created_at`, but Zoom leaves out an empty agenda
and shortens long ones in lists, so a listed meeting whose agenda may hide the reference is read
in full (`GET /meetings/{id}`): only meetings created since the booking, at most MAX_PROBES.
https://developers.zoom.us/docs/api/meetings/#tag/meetings/GET/users/{userId}/meetings
"""

import logging
from datetime import UTC, datetime, timedelta

from integrations.zoom.errors import ZoomMeetingNotFound
from integrations.zoom.hosts import ZoomHost, as_host
from integrations.zoom.models import ZoomConnection
from integrations.zoom.tokens import with_zoom

from . import zoom_meetings
from .models import Booking
from .zoom_meetings import ZoomMeeting

logger = logging.getLogger(__name__)

# Zoom's clock and ours disagree a little; a meeting "created before the booking" by less than
# this may still be the booking's.
CLOCK_SKEW = timedelta(minutes=5)
# A bound on the GETs one lookup may spend on meetings whose listed agenda is inconclusive: these
# count against the account's per-second limit shared with every other app.
MAX_PROBES = 20


def may_exist_unrecorded(booking: Booking) -> bool:
    """Whether an earlier run may have created the meeting without recording it.

    Only a booking's very first run can be sure nothing reached Zoom before it. Later runs
    (`link_attempts` counts claims), a booking moved before its link was stored (`invite_sequence`)
    and one retried after a failure (its `link_last_error` survives the admin's "Try again") look
    first: one list request is cheaper than a guest with two meetings.
    """
    return booking.link_attempts > 1 or booking.invite_sequence > 0 or bool(booking.link_last_error)


def adopt_or_create(
    booking: Booking, connection: "ZoomConnection | ZoomHost", *, gone_id: str = ""
) -> ZoomMeeting:
    """The booking's meeting: an unrecorded one adopted (and moved to the booking's time if it
    was made for an earlier one), else a new one. `gone_id` is a meeting Zoom no longer has."""
    if may_exist_unrecorded(booking):
        found = booking_meetings(booking, connection, exclude={gone_id} - {""})
        if found:
            adopted = _adopt(booking, connection, found)
            if adopted is not None:
                return adopted
    return zoom_meetings.create(booking, connection)


def remove_unrecorded(booking: Booking, connection: "ZoomConnection | ZoomHost") -> int:
    """Deletes every meeting in Zoom carrying the booking's reference (a cancelled booking whose
    create was in flight when it was cancelled); returns how many there were."""
    found = booking_meetings(booking, connection)
    for meeting in found:
        zoom_meetings.delete(str(meeting["id"]), connection)
    return len(found)


def booking_meetings(
    booking: Booking, connection: "ZoomConnection | ZoomHost", *, exclude: set[str] | None = None
) -> list[dict]:
    """Full Zoom meeting objects whose agenda carries this booking's reference, oldest first."""
    marker = zoom_meetings.reference_line(booking)
    exclude = exclude or set()
    host = as_host(connection)

    def call(client, token) -> list[dict]:
        listed = [
            m
            for m in client.list_meetings(token, user=host.user)
            if str(m.get("id")) not in exclude
        ]
        confirmed = [m for m in listed if marker in _agenda(m)]
        unsure = [m for m in listed if _may_hide(m, marker, booking)]
        # The likeliest first, should there be more than we may probe.
        unsure.sort(key=lambda m: _likeness(m, booking), reverse=True)
        found = []
        for item in confirmed + unsure[:MAX_PROBES]:
            try:
                meeting = client.get_meeting(token, item["id"])
            except ZoomMeetingNotFound:
                continue  # deleted since it was listed
            if marker in _agenda(meeting):
                found.append(meeting)
        return sorted(found, key=_age)

    return with_zoom(host.chain, call)


def _adopt(
    booking: Booking, connection: "ZoomConnection | ZoomHost", found: list[dict]
) -> ZoomMeeting | None:
    # Two unrecorded creates (two crashes in a row) leave two meetings: keep one, at the booking's
    # time if one is, and delete the rest so the guest's link is the only one.
    schedule = (zoom_meetings.utc_start_time(booking), booking.duration_minutes)

    def on_time(meeting: dict) -> bool:
        return (_utc(meeting.get("start_time")), meeting.get("duration")) == schedule

    keep = next((m for m in found if on_time(m)), found[0])
    for extra in found:
        if extra is not keep:
            logger.warning(
                "Deleting duplicate Zoom meeting %s of booking %s", extra["id"], booking.pk
            )
            zoom_meetings.delete(str(extra["id"]), connection)
    logger.info("Adopting Zoom meeting %s for booking %s", keep["id"], booking.pk)
    if on_time(keep):
        return zoom_meetings.parse_meeting(keep)
    try:
        # Made for the booking's earlier time (it moved while the create was unrecorded).
        return zoom_meetings.update(booking, connection, meeting_id=str(keep["id"]))
    except ZoomMeetingNotFound:
        return None  # deleted in Zoom meanwhile: the caller creates a new one


def _age(meeting: dict) -> tuple:
    created = _time(meeting.get("created_at"))
    return (created is None, created or datetime.min.replace(tzinfo=UTC), str(meeting["id"]))


def _agenda(meeting: dict) -> str:
    agenda = meeting.get("agenda")
    return agenda if isinstance(agenda, str) else ""


def _may_hide(item: dict, marker: str, booking: Booking) -> bool:
    """A listed meeting whose agenda does not show the reference but might, read in full."""
    agenda = _agenda(item)
    if marker in agenda or zoom_meetings.REFERENCE_PREFIX in agenda:
        return False  # ours, or visibly another booking's
    created = _time(item.get("created_at"))
    # Made before the booking existed, it cannot be the booking's. No created_at: cannot tell.
    return created is None or created >= booking.created_at - CLOCK_SKEW


def _likeness(item: dict, booking: Booking) -> int:
    return (_utc(item.get("start_time")) == zoom_meetings.utc_start_time(booking)) + (
        item.get("topic") == zoom_meetings.topic(booking)
    )


def _time(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _utc(value) -> str:
    moment = _time(value)
    if moment is None or moment.tzinfo is None:
        return ""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
