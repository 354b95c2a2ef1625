"""Who came to a meeting is Zoom data: when Zoom tells us to delete an app's data (the rep's own
or the company's app removed without data retention), the times, counts and keys of the outcomes
of the bookings whose meetings that app made go with the rest. The outcome itself (held, no-show)
is our conclusion and stays, as the bookings do."""

from django.db import transaction

from ..models import MeetingOutcome


def erase_for_bookings(booking_ids) -> int:
    """Erases the participant data of these bookings (their meetings' app was removed in Zoom);
    returns how many outcomes held some.
    Runs inside the caller's transaction (the erasure's), so it commits or rolls back with it."""
    erased = 0
    with transaction.atomic():
        holding = MeetingOutcome.objects.select_for_update().filter(booking_id__in=booking_ids)
        for record in holding:
            if not record.holds_zoom_data:
                continue
            record.erase_zoom_data()
            record.save()
            erased += 1
    return erased
