"""Booking a team Meeting Type: the slot goes to the first member in line who is free for it.

Every member's row is locked for the whole decision (in one order, the same lock a rep's own
booking takes), so concurrent bookings of one slot see each other's hosts: each gets another free
member, or a clear "just taken" once none is left, and a member booked on their own page at the
same moment is never booked twice.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from meetings import booking_limits
from meetings.availability import Slot
from meetings.meeting_types import MeetingType
from meetings.models import Booking
from meetings.services.bookings import (
    JUST_TAKEN,
    NO_LONGER_AVAILABLE,
    SlotUnavailable,
    place_booking,
)
from meetings.zoom import hosting

from . import availability, ranking, selectors
from .models import AssignmentSkip, SkipReason

# Why a member's Zoom cannot make the meeting (meetings.zoom.hosting).
_HOSTING_REASONS = {
    hosting.ZOOM_BROKEN: SkipReason.ZOOM_BROKEN,
    hosting.NOT_SERVED: SkipReason.ZOOM_NOT_SERVED,
    hosting.ALLOWANCE_USED: SkipReason.ZOOM_ALLOWANCE,
}
# Why a member's public booking limits refused them (meetings.booking_limits).
_LIMIT_REASONS = {
    booking_limits.REP_LIMIT: SkipReason.BOOKING_LIMIT,
    booking_limits.ZOOM_ALLOWANCE: SkipReason.ZOOM_ALLOWANCE,
}


# How many times a booking starts over when the database refused the member it chose (booked at
# that moment by a path that bypassed the lock): each time over, that member is seen busy.
_ATTEMPTS = 3


class _StartOver(Exception):
    """The database refused the chosen member's booking, and the transaction with it."""


@dataclass(frozen=True)
class Skip:
    rep_id: int
    reason: str


def book_team_meeting(
    meeting_type: MeetingType,
    *,
    start_at: datetime,
    booked_by=None,
    admission=None,
    only_rep_id: int | None = None,
    **booking,
) -> Booking:
    """Books the slot with the member the type's distribution puts first among those free for it;
    a public booking (no `booked_by`) also spends that member's public limits (with `admission`'s
    limits of the guest, booking_limits.PublicAdmission; TooManyRequests when those refuse), and
    a member their own limits refuse is passed over. Members passed over are recorded with the
    reason. `only_rep_id`: that member or nobody (a guest booking again with the rep they had).
    `booking`: the guest (guest_name, guest_email, guest_time_zone), their language, answers and
    other guests, handed as they are to meetings.services.bookings.place_booking. Raises
    SlotUnavailable when no member can take the slot."""
    admission = (admission or booking_limits.PublicAdmission()) if booked_by is None else None
    details = {**booking, "booked_by": booked_by}
    for _attempt in range(_ATTEMPTS):
        try:
            return _book(meeting_type, start_at, admission, only_rep_id, details)
        except _StartOver:
            continue
    raise SlotUnavailable(JUST_TAKEN)


def _book(
    meeting_type: MeetingType, start_at: datetime, admission, only_rep_id, details: dict
) -> Booking:
    """One go at `book_team_meeting`, in one transaction. `admission`: a public booking's limits,
    None for a booking made from inside the app."""
    public = admission is not None
    with transaction.atomic():
        members = {
            member.pk: member
            for member in selectors.lock_members(meeting_type, only_rep_id=only_rep_id)
        }
        line = ranking.in_line(
            selectors.candidates(meeting_type, members.values()), meeting_type.distribution
        )
        skips: list[Skip] = []
        booking = None
        for candidate, host, slot, cannot_host in _ask_in_line(
            meeting_type, line, members, start_at, public=public
        ):
            if cannot_host:
                skips.append(Skip(candidate.rep_id, _HOSTING_REASONS[cannot_host]))
                continue
            if slot is None:
                skips.append(Skip(candidate.rep_id, SkipReason.BUSY))
                continue
            refused = _admit(admission, meeting_type, candidate.rep_id) if public else None
            if refused:
                skips.append(Skip(candidate.rep_id, refused))
                continue
            try:
                # No savepoint of its own (two round trips less on every booking): a refused
                # insert ends the transaction, and the booking starts over.
                booking = place_booking(meeting_type, host, slot, savepoint=False, **details)
            except SlotUnavailable:
                # Booked by a path that bypassed the lock; the database refused the overlap.
                if public:
                    admission.give_back()
                raise _StartOver from None
            break
        _record_skips(meeting_type, start_at, skips, booking)
    if booking is None:
        if any(skip.reason == SkipReason.BUSY for skip in skips):
            raise SlotUnavailable(JUST_TAKEN)
        raise SlotUnavailable(NO_LONGER_AVAILABLE)
    return booking


def _ask_in_line(
    meeting_type: MeetingType, line, members: dict, start_at: datetime, *, public: bool
):
    """Each candidate in line with their rep as host, their slot starting at `start_at` (None:
    busy) and why their Zoom cannot host (None: it can). The line usually stops at the first
    member free, so reps, their Zoom and their slots are read for the members up to the next one
    free, not for the whole team; a member both busy and unable to host is passed over for their
    Zoom, as the report counts it."""
    free_slot = availability.free_at(meeting_type, members.values(), start_at)
    slots: dict[int, Slot | None] = {}
    hosts: dict = {}
    cannot_host: dict[int, str] = {}
    for position, candidate in enumerate(line):
        if candidate.rep_id not in slots:
            ahead = []
            for member in line[position:]:
                ahead.append(member.rep_id)
                slots[member.rep_id] = free_slot(members[member.rep_id])
                if slots[member.rep_id] is not None:
                    break
            found = selectors.hosts_among(meeting_type, ahead)
            hosts.update(found)
            cannot_host.update(
                availability.refusals_among(meeting_type, found.values(), public=public)
            )
        yield (
            candidate,
            hosts[candidate.rep_id],
            slots[candidate.rep_id],
            cannot_host.get(candidate.rep_id),
        )


def _admit(admission, meeting_type: MeetingType, rep_id: int) -> str | None:
    """Spends the public booking's limits for member `rep_id`; the skip reason when the member's
    own limit or allowance refuses. The guest's own limits refusing refuses the booking."""
    try:
        admission.admit(meeting_type, rep_id)
    except booking_limits.TooManyRequests as refused:
        if refused.reason == booking_limits.GUEST_LIMIT:
            raise
        return _LIMIT_REASONS[refused.reason]
    return None


def _record_skips(
    meeting_type: MeetingType, start_at: datetime, skips: list[Skip], booking: Booking | None
) -> None:
    """The members passed over for `booking`. When nobody took the slot, only the members who
    were free but could not take it: a slot everyone is busy for was simply taken."""
    if booking is None:
        skips = [skip for skip in skips if skip.reason != SkipReason.BUSY]
    AssignmentSkip.objects.bulk_create(
        AssignmentSkip(
            meeting_type=meeting_type,
            rep_id=skip.rep_id,
            reason=skip.reason,
            slot_start=start_at,
            booking=booking,
        )
        for skip in skips
    )
