"""Many prospects booking one team slot at once, on PostgreSQL with real threads (each its own
connection): every member hosts at most once, the rest hear "just taken"; reassignments racing
each other and prospects never double-book anyone."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from meetings.models import Booking, HostChange
from meetings.services.bookings import BookingError, SlotUnavailable, book_meeting
from teams.assignment import book_team_meeting
from teams.models import AssignmentSkip, SkipReason
from teams.reassignment import reassign_booking
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot
from tests.teams.factories import member_reps, team_type

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PHONE = {"location_kind": "phone", "location_detail": "+1 415 555 0100"}


def at_once(calls):
    """Runs each callable in its own thread and connection, released together; returns each
    one's booking or SlotUnavailable."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except SlotUnavailable as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def prospect(meeting_type, start, n, book=book_team_meeting):
    def call():
        return book(
            meeting_type,
            start_at=start,
            guest_name=f"Prospect {n}",
            guest_email=f"prospect{n}@example.org",
            guest_time_zone="UTC",
        )

    return call


def test_twenty_prospects_on_one_slot_of_a_five_member_team_get_five_hosts():
    meeting_type = team_type(size=5, **PHONE)
    start = next_slot()
    results = at_once([prospect(meeting_type, start, n) for n in range(20)])

    booked = [r for r in results if isinstance(r, Booking)]
    taken = [r for r in results if isinstance(r, SlotUnavailable)]
    assert len(booked) == 5 and len(taken) == 15
    assert {b.rep_id for b in booked} == {rep.pk for rep in member_reps(meeting_type)}
    assert all("a moment ago" in str(exc) for exc in taken)
    hosts = list(Booking.objects.active().filter(start_at=start).values_list("rep_id", flat=True))
    assert sorted(hosts) == sorted(set(hosts)) and len(hosts) == 5


def test_a_members_own_page_and_the_team_page_never_double_book_them():
    meeting_type = team_type(size=2, **PHONE)
    first, second = member_reps(meeting_type)
    own_first = MeetingTypeFactory(rep=first, **PHONE)
    own_second = MeetingTypeFactory(rep=second, **PHONE)
    start = next_slot()
    calls = [prospect(meeting_type, start, n) for n in range(6)]
    calls += [prospect(own_first, start, 10 + n, book_meeting) for n in range(3)]
    calls += [prospect(own_second, start, 20 + n, book_meeting) for n in range(3)]
    results = at_once(calls)

    assert sum(isinstance(r, Booking) for r in results) == 2
    by_rep = {}
    for rep_id in Booking.objects.active().filter(start_at=start).values_list("rep_id", flat=True):
        by_rep[rep_id] = by_rep.get(rep_id, 0) + 1
    assert by_rep == {first.pk: 1, second.pk: 1}


def test_two_team_types_sharing_members_book_at_once_without_deadlock():
    shared = team_type(size=4, **PHONE)
    reps = member_reps(shared)
    other = team_type(reps=list(reversed(reps)), **PHONE)
    start = next_slot()
    calls = [prospect(shared, start, n) for n in range(5)] + [
        prospect(other, start, 10 + n) for n in range(5)
    ]
    results = at_once(calls)
    assert sum(isinstance(r, Booking) for r in results) == 4
    assert Booking.objects.active().filter(start_at=start).values("rep").distinct().count() == 4


def test_a_member_booked_past_the_lock_is_passed_over_when_the_booking_starts_over():
    """A path that skips the members' lock (an edit moving the first member's other meeting onto
    the slot) commits between the team booking's free check and its insert: the database refuses
    the overlap, the booking starts over, sees that member busy and goes to the next."""
    meeting_type = team_type(size=2, **PHONE)
    first, second = sorted(member_reps(meeting_type), key=lambda rep: rep.pk)
    start = next_slot()
    other_meeting = BookingFactory(
        meeting_type=MeetingTypeFactory(rep=first, **PHONE), start_at=start + timedelta(hours=3)
    )

    def move_onto_the_slot():
        Booking.objects.filter(pk=other_meeting.pk).update(
            start_at=start, end_at=start + timedelta(minutes=30)
        )
        connections.close_all()

    def before_the_first_insert(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "meetings_booking"') and not moved.is_set():
            moved.set()
            mover = threading.Thread(target=move_onto_the_slot)
            mover.start()
            mover.join(timeout=30)
        return execute(sql, params, many, context)

    moved = threading.Event()
    with connection.execute_wrapper(before_the_first_insert):
        booking = prospect(meeting_type, start, 1)()

    assert moved.is_set()
    assert booking.rep_id == second.pk
    skips = AssignmentSkip.objects.filter(booking=booking)
    assert [(skip.rep_id, skip.reason) for skip in skips] == [(first.pk, SkipReason.BUSY)]


def test_reassignments_racing_each_other_and_a_prospect_never_double_book_anyone():
    """Two admins hand one booking to different members while a prospect books one of those
    members at the same time: one hand-over wins, the other hears the booking changed hands, and
    nobody ends up with two meetings at once."""
    meeting_type = team_type(size=3, **PHONE)
    start = next_slot()
    booking = book_team_meeting(
        meeting_type,
        start_at=start,
        guest_name="Grace",
        guest_email="grace@example.org",
        guest_time_zone="UTC",
    )
    others = [rep for rep in member_reps(meeting_type) if rep.pk != booking.rep_id]
    own = MeetingTypeFactory(rep=others[0], **PHONE)

    def hand_to(rep):
        def call():
            try:
                return reassign_booking(booking, rep, by=None)
            except BookingError as exc:
                return exc

        return call

    results = at_once(
        [hand_to(others[0]), hand_to(others[1]), prospect(own, start, 1, book_meeting)]
    )

    handed = [r for r in results[:2] if isinstance(r, Booking)]
    assert (
        len(handed) <= 1
        and len(handed) + sum(isinstance(r, BookingError) for r in results[:2]) == 2
    )
    hosts = list(Booking.objects.active().filter(start_at=start).values_list("rep_id", flat=True))
    assert len(hosts) == len(set(hosts))
    booking.refresh_from_db()
    assert HostChange.objects.filter(booking=booking).count() == len(handed)
    if handed:
        assert booking.rep_id == handed[0].rep_id
