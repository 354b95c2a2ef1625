"""Reads by primary key compiled once (config/compiled_reads.py): the same objects as the ORM's
get(), one query each, the SQL compiled once per thread, and Django's rules kept."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from config import compiled_reads
from config.compiled_reads import ByPrimaryKey
from meetings.models import Booking
from tests.meetings.factories import BookingFactory

pytestmark = pytest.mark.django_db


def _fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_same_booking_rep_and_meeting_type_as_get_in_one_query():
    read = ByPrimaryKey(lambda: Booking.objects.select_related("rep", "meeting_type"))
    first, second = BookingFactory(), BookingFactory()

    for booking in (first, second):  # the second read runs the first's SQL with another key
        expected = Booking.objects.select_related("rep", "meeting_type").get(pk=booking.pk)
        with CaptureQueriesContext(connection) as queries:
            got = read.get(booking.pk)
            rep, meeting_type = got.rep, got.meeting_type  # loaded with it
        assert len(queries) == 1
        assert _fields(got) == _fields(expected)
        assert _fields(rep) == _fields(expected.rep)
        assert _fields(meeting_type) == _fields(expected.meeting_type)
        assert got._state.adding is False and got._state.db == "default"

    got.guest_name = "Saved through the read"
    got.save(update_fields=["guest_name"])
    assert Booking.objects.get(pk=second.pk).guest_name == "Saved through the read"


@pytest.mark.django_db(transaction=True)
def test_the_sql_is_compiled_once_per_thread(monkeypatch):
    read = ByPrimaryKey(lambda: Booking.objects.select_related("rep"))
    bookings = [BookingFactory() for _ in range(3)]
    compiled = []
    original = compiled_reads._compile
    monkeypatch.setattr(compiled_reads, "_compile", lambda qs: compiled.append(1) or original(qs))

    assert [read.get(b.pk).pk for b in bookings] == [b.pk for b in bookings]
    assert len(compiled) == 1

    # Another thread has its own database connection, so its own compiled query.
    other_thread = {}

    def in_another_thread():
        try:
            other_thread["rep"] = read.get(bookings[1].pk).rep.pk
        finally:
            connections.close_all()

    worker = threading.Thread(target=in_another_thread)
    worker.start()
    worker.join(timeout=30)
    assert other_thread["rep"] == bookings[1].rep_id
    assert len(compiled) == 2


def test_a_missing_row_is_does_not_exist():
    read = ByPrimaryKey(lambda: Booking.objects.all())
    with pytest.raises(Booking.DoesNotExist):
        read.get(987654321)


@pytest.mark.django_db(transaction=True)
def test_a_locking_read_runs_in_a_transaction_only():
    read = ByPrimaryKey(lambda: Booking.objects.select_for_update(of=("self",)))
    booking = BookingFactory()
    # Compiled outside a transaction (Django compiles a locking read only inside one).
    with pytest.raises(TransactionManagementError):
        read.get(booking.pk)
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            assert read.get(booking.pk).pk == booking.pk
        assert len(queries) == 1
        assert 'FOR UPDATE OF "meetings_booking"' in queries[0]["sql"]
    with pytest.raises(TransactionManagementError):
        read.get(booking.pk)  # compiled now, and still refused outside a transaction


def test_a_query_with_prefetching_is_refused():
    read = ByPrimaryKey(lambda: Booking.objects.prefetch_related("invites"))
    with pytest.raises(ValueError, match="no slicing or prefetching"):
        read.get(1)
