"""A team Meeting Type's free slots: every slot at least one of its members is free for.

Each member's slots come from the one slot engine (`meetings.selectors.slots_by_host`: the type's
rules, the member's hours in their zone, their bookings of every type), all members at once.
"""

from datetime import datetime, timedelta

from meetings.availability import Slot
from meetings.models import MeetingType
from meetings.selectors import slots_by_host

from . import selectors

# A slot is found by its start: any window that contains the start and no later slot will do.
_ONE_SLOT = timedelta(seconds=1)


def team_slots(
    meeting_type: MeetingType, start: datetime, end: datetime, *, now: datetime | None = None
) -> list[Slot]:
    """The union of the members' free slots within [start, end), in order."""
    reps = [m.member.rep for m in selectors.members_of(meeting_type)]
    if not reps:
        return []
    union: dict[datetime, Slot] = {}
    for slots in slots_by_host(meeting_type, reps, start, end, now=now).values():
        for slot in slots:
            union.setdefault(slot.start, slot)
    return sorted(union.values(), key=lambda slot: slot.start)


def free_at(meeting_type: MeetingType, reps, start_at: datetime) -> dict[int, Slot]:
    """The reps free for the slot starting at `start_at`, with that slot, by rep id."""
    found = slots_by_host(meeting_type, reps, start_at, start_at + _ONE_SLOT)
    return {
        rep_id: slot for rep_id, slots in found.items() for slot in slots if slot.start == start_at
    }
