"""What booking changes announce once they commit, so that services never import the tasks.

`zoom_work_due(sender=Booking, booking_id: int)`: the booking's Zoom meeting must be created,
updated or deleted. `invites_due(sender=Booking, booking_id: int)`: its invites must go out.
The tasks modules (`meetings.tasks`, `meetings.zoom.tasks`) listen and hand the work to a worker;
if the broker is down the work stays due in the booking's own state and the sweeper finds it.

Services announce through the `…_after_commit` functions: a worker that started before the commit
would not see the booking, hence `on_commit`.

`former_meeting_due(sender=HostChange, change_id: int)`: a booking handed to another host left a
Zoom meeting in the former host's Zoom to delete.

`booking_changed(sender=Booking, booking: Booking, change: "created" | "moved" | "reassigned" |
"cancelled")` is sent inside the change's transaction instead: a listener's writes (an outgoing
webhook's delivery) commit or roll back with the change itself. A "reassigned" change also carries
`host_change: HostChange`, saved: who hosted before and who handed the booking over.

`zoom_meetings_erased(sender=Booking, booking_ids: list[int])`: the Zoom app that made these
bookings' meetings was removed in Zoom and its data erased from them; sent inside that erasure's
transaction, so what listeners hold of those meetings (who joined) goes with it, or nothing does.
"""

from django.db import transaction
from django.dispatch import Signal

from .host_changes import HostChange
from .models import Booking

zoom_work_due = Signal()
invites_due = Signal()
booking_changed = Signal()
zoom_meetings_erased = Signal()
former_meeting_due = Signal()


def zoom_work_after_commit(booking_id: int) -> None:
    transaction.on_commit(lambda: zoom_work_due.send(sender=Booking, booking_id=booking_id))


def invites_after_commit(booking_id: int) -> None:
    transaction.on_commit(lambda: invites_due.send(sender=Booking, booking_id=booking_id))


def former_meeting_after_commit(change_id: int) -> None:
    transaction.on_commit(lambda: former_meeting_due.send(sender=HostChange, change_id=change_id))
