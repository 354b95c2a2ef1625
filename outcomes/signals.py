"""What outcomes announce, so that services never import the tasks.

`outcome_changed(sender=MeetingOutcome, outcome: MeetingOutcome)`: a booking's outcome was decided
or changed. Sent inside the transaction that changed it, so a listener's writes (an outgoing
webhook's delivery) commit or roll back with the change itself; listeners that hand work to a
worker do it on commit.

`outcome_settled(sender=MeetingOutcome, outcome: MeetingOutcome)`: the outcome is sure enough to
act on outside the app (MeetingOutcome.is_settled: the check after the meeting ran, or the rep
marked it). Sent inside the transaction; the guest's no-show email waits for it.

`host_absent_check_due(sender=MeetingOutcome, booking_id: int, due_at: datetime)`: a guest is
waiting in the booking's Zoom meeting without the host; the alert is due at `due_at` unless the
host comes. Sent after the commit.
"""

from django.dispatch import Signal

outcome_changed = Signal()
outcome_settled = Signal()
host_absent_check_due = Signal()
