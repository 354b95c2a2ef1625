"""A team Meeting Type's free slots: every slot at least one of its members is free for.

Each member's slots come from the one slot engine (`meetings.selectors.slot_finder`: the type's
rules, the member's hours in their zone, their bookings of every type), all members at once.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from integrations.zoom.connection.hosts import zoom_hosts_of
from meetings.availability import Slot
from meetings.meeting_types import MeetingType
from meetings.selectors import slot_finder
from meetings.zoom.hosting import hosting_refusals, refusals_of

from . import selectors

# A slot is found by its start: any window that contains the start and no later slot will do.
_ONE_SLOT = timedelta(seconds=1)


def team_slots(
    meeting_type: MeetingType,
    start: datetime,
    end: datetime,
    *,
    public: bool = True,
    now: datetime | None = None,
    only_rep_id: int | None = None,
) -> list[Slot]:
    """The union of the free slots within [start, end) of the members who can host now, in order:
    a member whose Zoom cannot make the meeting (`hosting_refusals`; `public`: a prospect's
    booking) offers nothing, and a slot no member can host is not offered. `only_rep_id`: that
    member's slots alone."""
    members = selectors.members_of(meeting_type, only_rep_id=only_rep_id)
    reps = [m.member.rep for m in members]
    refused = refusals(meeting_type, [rep.pk for rep in reps], public=public)
    reps = [rep for rep in reps if rep.pk not in refused]
    if not reps:
        return []
    union: dict[datetime, Slot] = {}
    slots_of = slot_finder(meeting_type, reps, start, end, now=now)
    for rep in reps:
        for slot in slots_of(rep):
            union.setdefault(slot.start, slot)
    return sorted(union.values(), key=lambda slot: slot.start)


def refusals(meeting_type: MeetingType, rep_ids, *, public: bool) -> dict[int, str]:
    """The members who cannot host this type's meetings now, with the reason (only Zoom types
    ask anything of a host)."""
    if not meeting_type.is_zoom or not rep_ids:
        return {}
    return hosting_refusals(rep_ids, public=public)


def refusals_among(meeting_type: MeetingType, reps, *, public: bool) -> dict[int, str]:
    """`refusals` of reps read with their Zoom state (selectors.hosts_among): no query but the
    allowance's cache round trip."""
    if not meeting_type.is_zoom or not reps:
        return {}
    return refusals_of(zoom_hosts_of(reps), public=public)


def free_at(meeting_type: MeetingType, reps, start_at: datetime) -> Callable[[Any], Slot | None]:
    """Whether a rep among `reps` is free for the slot starting at `start_at`: a function of the
    rep giving that slot, or None. Their bookings are read for all `reps` at once; each rep's
    hours are worked out only when asked."""
    slots_of = slot_finder(meeting_type, reps, start_at, start_at + _ONE_SLOT)

    def slot_of(rep) -> Slot | None:
        return next((slot for slot in slots_of(rep) if slot.start == start_at), None)

    return slot_of
