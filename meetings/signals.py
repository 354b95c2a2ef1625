"""What booking changes announce once they commit, so that services never import the tasks.

`zoom_work_due(sender=Booking, booking_id: int)`: the booking's Zoom meeting must be created,
updated or deleted. `invites_due(sender=Booking, booking_id: int)`: its invites must go out.
The tasks modules (`meetings.tasks`, `meetings.zoom.tasks`) listen and hand the work to a worker;
if the broker is down the work stays due in the booking's own state and the sweeper finds it.
"""

from django.dispatch import Signal

zoom_work_due = Signal()
invites_due = Signal()
