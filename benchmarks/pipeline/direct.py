"""Driving the workers directly: the link pipeline's own ceiling, apart from the web.

The bookings are inserted before the clock starts (as the booking POST leaves them: pending, with
the sweeper's grace far enough away that only the handed-over work runs), then each is handed to
the workers at its due time exactly as a committed booking POST hands it over: its Zoom work and
its guest's confirmation, through `config.celery.publish`. Latency is measured from that due time.
"""

import time
from datetime import datetime, timedelta

from .guests import Outcome
from .reps import Page

# Far enough that the sweeper (not running here anyway) would never take these first.
GRACE = timedelta(hours=6)


def insert_bookings(plan: list[tuple[Page, datetime]], first_index: int) -> list[int]:
    """The planned bookings as `book_meeting` leaves them, in one bulk insert; their ids."""
    from django.utils import timezone

    from meetings.meeting_types import LocationKind
    from meetings.models import Booking

    rows = []
    for number, (page, start) in enumerate(plan, start=first_index):
        booking = Booking(
            rep_id=page.rep_id,
            meeting_type_id=page.meeting_type_id,
            guest_name=f"Guest {number}",
            guest_email=f"guest{number}@example.org",
            guest_time_zone="Europe/Paris",
            start_at=start,
            end_at=start + timedelta(minutes=30),
            location_kind=LocationKind.ZOOM,
        )
        booking.start_link(sweep_after=timezone.now() + GRACE)
        rows.append(booking)
    return [b.pk for b in Booking.objects.bulk_create(rows, batch_size=1000)]


def hand_over(
    booking_ids: list[int], first_index: int, rate: float, lead: float = 0.5
) -> list[Outcome]:
    """Publishes each booking's Zoom work and confirmation at its due time (`rate` per second);
    the outcomes name the bookings by their planned index, as the guests' do."""
    from config.celery import publish
    from meetings.tasks import send_booking_invites
    from meetings.zoom.tasks import sync_zoom_meeting

    start_mono = time.monotonic() + lead
    start_wall = time.time() + lead
    outcomes = []
    for index, booking_id in enumerate(booking_ids):
        due = start_mono + index / rate
        wait = due - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        lag = time.monotonic() - due
        sent = publish(sync_zoom_meeting, booking_id) and publish(send_booking_invites, booking_id)
        outcomes.append(
            Outcome(
                "book",
                first_index + index,
                start_wall + index / rate,
                lag,
                time.monotonic() - due,
                200 if sent else 0,
                "" if sent else "broker refused",
            )
        )
    return outcomes
