"""What outcomes announce. `outcome_changed(sender=MeetingOutcome, outcome: MeetingOutcome)` is
sent inside the transaction that changed it, so a listener's writes (an outgoing webhook's
delivery row) commit or roll back with the change itself."""

from django.dispatch import Signal

outcome_changed = Signal()
