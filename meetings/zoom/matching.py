"""Which meeting found in Zoom is this booking's. Pure: no database, no Zoom.

Zoom has no idempotency key. A worker killed after `POST /users/me/meetings` succeeded, or a create
whose answer was lost (timeout, dropped connection, a 5xx after Zoom had done the work), leaves a
meeting in Zoom that the booking does not know about; creating again would give the guest two.
Every meeting we create ends its agenda with a marker line (`bodies.reference_line`), so before a
create that might be a repeat we list the host's upcoming meetings and look for it. Only an agenda
whose last line is exactly the booking's marker counts: the agenda also holds text guests chose
(their name, through the rep's template), and the marker is a keyed hash no guest sees, so no
booking can claim (and then cancel) another booking's meeting.

`GET /users/{userId}/meetings` lists `agenda` and `created_at`, but Zoom leaves out an empty agenda
and shortens long ones in lists, so a listed meeting whose agenda may hide the reference is read
in full (`GET /meetings/{id}`): only meetings created since the booking, at most MAX_PROBES.
https://developers.zoom.us/docs/api/meetings/#tag/meetings/GET/users/{userId}/meetings
"""

from datetime import UTC, datetime, timedelta

from ..models import Booking
from . import bodies
from .bodies import utc_text, zoom_time

# Zoom's clock and ours disagree a little; a meeting "created before the booking" by less than
# this may still be the booking's.
CLOCK_SKEW = timedelta(minutes=5)
# A bound on the GETs one lookup may spend on meetings whose listed agenda is inconclusive: these
# count against the account's per-second limit shared with every other app.
MAX_PROBES = 20


def carries_reference(meeting: dict, booking: Booking) -> bool:
    return bodies.last_line(_agenda(meeting)) == bodies.reference_line(booking)


def meetings_to_read(listed: list[dict], booking: Booking, *, exclude=frozenset()) -> list[dict]:
    """Of the host's listed meetings, those to read in full: the ones whose agenda shows the
    booking's reference, then up to MAX_PROBES whose shortened or missing agenda may hide it,
    the likeliest first."""
    listed = [m for m in listed if str(m.get("id")) not in exclude]
    confirmed = [m for m in listed if carries_reference(m, booking)]
    unsure = [m for m in listed if _may_hide(m, booking)]
    unsure.sort(key=lambda m: _likeness(m, booking), reverse=True)
    return confirmed + unsure[:MAX_PROBES]


def oldest_first(found: list[dict]) -> list[dict]:
    return sorted(found, key=_age)


def is_on_time(meeting: dict, booking: Booking) -> bool:
    """Whether the meeting is at the booking's time and length."""
    schedule = (bodies.utc_start_time(booking), booking.duration_minutes)
    return (utc_text(meeting.get("start_time")), meeting.get("duration")) == schedule


def is_made_for(meeting: dict, booking: Booking) -> bool:
    """Whether a meeting Zoom's `meeting.created` event told of (no agenda, so no reference) is
    the booking's: its topic, time and length, made since the booking existed."""
    created = zoom_time(meeting.get("created_at"))
    recent = created is None or created >= booking.created_at - CLOCK_SKEW
    return recent and meeting.get("topic") == bodies.topic(booking) and is_on_time(meeting, booking)


def meeting_to_keep(found: list[dict], booking: Booking) -> dict:
    """Two unrecorded creates (two crashes in a row) leave two meetings: keep one, at the
    booking's time if one is, else the oldest; the caller deletes the rest."""
    return next((m for m in found if is_on_time(m, booking)), found[0])


def _age(meeting: dict) -> tuple:
    created = zoom_time(meeting.get("created_at"))
    return (created is None, created or datetime.min.replace(tzinfo=UTC), str(meeting["id"]))


def _agenda(meeting: dict) -> str:
    agenda = meeting.get("agenda")
    return agenda if isinstance(agenda, str) else ""


def _may_hide(item: dict, booking: Booking) -> bool:
    """A listed meeting whose agenda does not show the reference but might, read in full."""
    if bodies.last_line(_agenda(item)).startswith(bodies.REFERENCE_PREFIX):
        return False  # ours, or visibly another booking's
    created = zoom_time(item.get("created_at"))
    # Made before the booking existed, it cannot be the booking's. No created_at: cannot tell.
    return created is None or created >= booking.created_at - CLOCK_SKEW


def _likeness(item: dict, booking: Booking) -> int:
    return (utc_text(item.get("start_time")) == bodies.utc_start_time(booking)) + (
        item.get("topic") == bodies.topic(booking)
    )
