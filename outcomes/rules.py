"""Which outcome the evidence shows: pure, so every case is a fast unit test.

Zoom blanks the emails of people outside the host's account, so the guest is "someone other than
the host" (their email, where Zoom gives it, only confirms it). The host not starting the meeting
is a host no-show whoever else came; a meeting that ran with one unnamed person in it (Zoom's
participant list is empty then) was the host alone, unless the guest could start it without the
host.
"""

from dataclasses import dataclass

from django.db import models


class Outcome(models.TextChoices):
    HELD = "held", "Held"
    GUEST_NO_SHOW = "guest_no_show", "Guest didn't show"
    HOST_NO_SHOW = "host_no_show", "Host didn't show"
    UNKNOWN = "unknown", "Unknown"


@dataclass(frozen=True)
class Evidence:
    """What is known about one meeting. `meeting_started` is None when nothing says either way
    (events may be lost; only Zoom's participant list can say a meeting never ran)."""

    host_joined: bool = False
    others_joined: int = 0
    guest_waited: bool = False
    meeting_started: bool | None = None
    # The meeting ran and Zoom's participant list named nobody: one person came, unnamed.
    lone_participant: bool = False
    # The Meeting Type let guests into the meeting before the host.
    guest_may_start: bool = False


def decide(evidence: Evidence) -> Outcome:
    if evidence.host_joined:
        if evidence.others_joined:
            return Outcome.HELD
        # The guest came but was never let in from the waiting room: neither side's no-show.
        return Outcome.UNKNOWN if evidence.guest_waited else Outcome.GUEST_NO_SHOW
    if evidence.others_joined or evidence.guest_waited:
        return Outcome.HOST_NO_SHOW
    if evidence.meeting_started is False:
        return Outcome.HOST_NO_SHOW
    if evidence.lone_participant and not evidence.guest_may_start:
        return Outcome.GUEST_NO_SHOW
    return Outcome.UNKNOWN
