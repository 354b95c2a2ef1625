"""book_meeting: only offered slots, never a double booking (also under concurrency)."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction

from meetings.meeting_types import LocationKind
from meetings.models import Booking
from meetings.services.bookings import SlotUnavailable, book_meeting
from meetings.zoom.state import LinkState
from tests.factories import RepFactory
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot

GUEST = {
    "guest_name": "Ada Lovelace",
    "guest_email": "ada@example.org",
    "guest_time_zone": "Europe/London",
}


@pytest.mark.django_db
def test_a_zoom_booking_starts_pending_with_a_due_time_for_the_sweeper(
    django_capture_on_commit_callbacks,
):
    meeting_type = MeetingTypeFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        booking = book_meeting(meeting_type, start_at=next_slot(), **GUEST)
    assert booking.link_state == LinkState.PENDING
    assert booking.link_next_attempt_at is not None
    assert booking.end_at - booking.start_at == timedelta(minutes=30)
    assert booking.location_kind == LocationKind.ZOOM
    # The Zoom work and the guest's confirmation are announced after commit (and counted).
    announced = [
        c.__qualname__.split(".")[0] for c in callbacks if "after_commit" in c.__qualname__
    ]
    assert sorted(announced) == ["invites_after_commit", "zoom_work_after_commit"]


@pytest.mark.django_db
def test_a_phone_booking_needs_no_link_and_sends_its_invites_at_once(
    django_capture_on_commit_callbacks, mailoutbox
):
    meeting_type = MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")
    with django_capture_on_commit_callbacks(execute=True):
        booking = book_meeting(meeting_type, start_at=next_slot(), **GUEST)
    assert booking.link_state == LinkState.NOT_NEEDED
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [GUEST["guest_email"], meeting_type.rep.email]
    )


@pytest.mark.django_db
def test_a_time_outside_the_weekly_hours_is_refused():
    meeting_type = MeetingTypeFactory()
    with pytest.raises(SlotUnavailable):
        book_meeting(meeting_type, start_at=next_slot(hour=20), **GUEST)
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_a_time_off_the_slot_grid_is_refused():
    meeting_type = MeetingTypeFactory()
    with pytest.raises(SlotUnavailable):
        book_meeting(meeting_type, start_at=next_slot() + timedelta(minutes=7), **GUEST)


@pytest.mark.django_db
def test_an_overlapping_booking_of_another_meeting_type_is_refused():
    rep = RepFactory()
    short = MeetingTypeFactory(rep=rep, duration_minutes=30)
    long = MeetingTypeFactory(rep=rep, duration_minutes=60)
    book_meeting(long, start_at=next_slot(), **GUEST)
    with pytest.raises(SlotUnavailable):
        book_meeting(short, start_at=next_slot() + timedelta(minutes=30), **GUEST)
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_a_cancelled_booking_frees_its_slot():
    meeting_type = MeetingTypeFactory()
    BookingFactory(
        meeting_type=meeting_type,
        status="cancelled",
        cancelled_at=next_slot(days=0),
        link_state=LinkState.REMOVED,
    )
    assert book_meeting(meeting_type, start_at=next_slot(), **GUEST).pk


@pytest.mark.django_db
def test_the_database_refuses_two_confirmed_bookings_at_the_same_start():
    booking = BookingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(meeting_type=booking.meeting_type, start_at=booking.start_at)


@pytest.mark.django_db
@pytest.mark.postgres
def test_postgres_refuses_overlapping_confirmed_bookings_even_with_different_starts():
    assert connection.vendor == "postgresql"
    booking = BookingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(
            meeting_type=booking.meeting_type, start_at=booking.start_at + timedelta(minutes=15)
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_booking_only_the_database_catches_ends_the_booking_cleanly():
    """The insert has no savepoint of its own: the constraint's refusal must still roll the whole
    booking back and leave the connection usable (as in a web process, outside any test
    transaction)."""
    meeting_type = MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")
    rival = BookingFactory.build(meeting_type=meeting_type, start_at=next_slot())
    landed = []

    def rival_first(execute, sql, params, many, context):
        # A booking that bypassed the rep's lock lands just before ours, in our transaction.
        if sql.startswith('INSERT INTO "meetings_booking"') and not landed:
            landed.append(rival)
            rival.save()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(rival_first), pytest.raises(SlotUnavailable):
        book_meeting(meeting_type, start_at=next_slot(), **GUEST)

    assert not Booking.objects.exists()  # the rival went with it: one transaction
    assert book_meeting(meeting_type, start_at=next_slot(), **GUEST).pk


def _book_concurrently(attempts):
    """Runs each (meeting_type, start) in its own thread and connection, released together."""
    barrier = threading.Barrier(len(attempts))
    results: list = [None] * len(attempts)

    def run(index, meeting_type, start):
        try:
            barrier.wait(timeout=10)
            results[index] = book_meeting(meeting_type, start_at=start, **GUEST)
        except SlotUnavailable as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(i, mt, start)) for i, (mt, start) in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_prospects_submitting_the_same_slot_at_once_get_one_booking():
    meeting_type = MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")
    results = _book_concurrently([(meeting_type, next_slot())] * 6)
    assert sum(isinstance(r, Booking) for r in results) == 1
    assert sum(isinstance(r, SlotUnavailable) for r in results) == 5
    assert Booking.objects.active().count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_overlapping_slots_of_two_meeting_types_booked_at_once_get_one_booking():
    rep = RepFactory()
    short = MeetingTypeFactory(
        rep=rep, duration_minutes=30, location_kind="phone", location_detail="+1 415 555 0100"
    )
    long = MeetingTypeFactory(
        rep=rep, duration_minutes=60, location_kind="phone", location_detail="+1 415 555 0100"
    )
    start = next_slot()
    attempts = [(long, start), (short, start + timedelta(minutes=30))] * 3
    results = _book_concurrently(attempts)
    assert sum(isinstance(r, Booking) for r in results) == 1
    assert Booking.objects.active().count() == 1
