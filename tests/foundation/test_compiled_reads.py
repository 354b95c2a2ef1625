"""Reads by key compiled once (config/compiled_reads.py): the same objects as the ORM's get(),
one query each (and one per prefetch), the SQL compiled once per thread, Django's rules kept."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.db.models import Count
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from config import compiled_reads
from config.compiled_reads import ByKeys, ByPrimaryKey, Rows
from meetings import selectors
from meetings.meeting_types import MeetingType
from meetings.models import Booking
from tests.meetings.factories import BookingFactory, MeetingTypeFactory

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
    monkeypatch.setattr(compiled_reads, "_compile", lambda *a: compiled.append(1) or original(*a))

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


def test_text_keys_and_prefetching_as_get_does():
    """The public booking page's read: by the rep's handle and the type's slug, with the rep, the
    schedule and its weekly hours."""
    first, second = MeetingTypeFactory(), MeetingTypeFactory()
    read = ByKeys(
        lambda: selectors.with_hours(MeetingType.objects.select_related("rep")).filter(
            is_active=True
        ),
        "rep__booking_slug",
        "slug",
    )
    for meeting_type in (first, second):
        handle, slug = meeting_type.rep.booking_slug, meeting_type.slug
        expected = selectors.with_hours(MeetingType.objects.select_related("rep")).get(
            rep__booking_slug=handle, slug=slug
        )
        with CaptureQueriesContext(connection) as queries:
            got = read.get(handle, slug)
            windows = selectors.windows_of(got)
            rep = got.rep
        assert len(queries) == 2  # the type with its rep and schedule, then the hours
        assert _fields(got) == _fields(expected) and _fields(rep) == _fields(expected.rep)
        assert windows == selectors.windows_of(expected) and windows

    with pytest.raises(MeetingType.DoesNotExist):
        read.get(first.rep.booking_slug, second.slug)  # another rep's slug
    with pytest.raises(TypeError):
        read.get(first.rep.booking_slug)


def test_the_booking_page_finds_only_active_types_of_active_reps():
    meeting_type = MeetingTypeFactory()
    handle, slug = meeting_type.rep.booking_slug, meeting_type.slug
    assert selectors.bookable_meeting_type(handle, slug).pk == meeting_type.pk
    MeetingType.objects.filter(pk=meeting_type.pk).update(is_archived=True)
    with pytest.raises(MeetingType.DoesNotExist):
        selectors.bookable_meeting_type(handle, slug)
    MeetingType.objects.filter(pk=meeting_type.pk).update(is_archived=False)
    type(meeting_type.rep).objects.filter(pk=meeting_type.rep.pk).update(is_active=False)
    with pytest.raises(MeetingType.DoesNotExist):
        selectors.bookable_meeting_type(handle, slug)


def test_a_sliced_query_is_refused():
    read = ByPrimaryKey(lambda: Booking.objects.all()[:1])
    with pytest.raises(ValueError, match="no slicing"):
        read.get(1)


def _busy_rows(rep_ids, start, end, exclude_pk):
    rows = Booking.objects.filter(rep__in=rep_ids, start_at__lt=end, end_at__gt=start)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return rows.order_by("start_at").values_list("pk", "start_at")


def test_rows_are_the_orms_rows_for_each_shape_of_the_values(monkeypatch):
    """Lists of any length, moments, and a None that changes the query: each shape compiled once,
    the values of the same shape only substituted."""
    read = Rows(_busy_rows)
    first, second = BookingFactory(), BookingFactory()
    third = BookingFactory(
        meeting_type=first.meeting_type, start_at=first.start_at + timedelta(days=1)
    )
    start, end = first.start_at - timedelta(days=400), first.start_at + timedelta(days=400)
    compiled = []
    original = compiled_reads._compile
    monkeypatch.setattr(compiled_reads, "_compile", lambda *a: compiled.append(1) or original(*a))

    for values in (
        ([first.rep_id], start, end, None),
        ([second.rep_id], start, end, None),
        ([first.rep_id, second.rep_id], start, end, None),
        ([first.rep_id], start, end, third.pk),
        ([first.rep_id], first.end_at, end, None),
        ([], start, end, None),
    ):
        with CaptureQueriesContext(connection) as queries:
            got = read.of(*values)
        assert got == list(_busy_rows(*values)) and len(queries) <= 1
    assert {pk for pk, _ in read.of([first.rep_id], start, end, None)} == {first.pk, third.pk}
    assert len(compiled) == 4  # one rep, two reps, one rep but one booking, no rep

    with pytest.raises(TypeError):
        read.of([first.rep_id], start.replace(tzinfo=None), end, None)


def test_rows_as_model_instances_in_the_querysets_order():
    read = Rows(lambda rep_id: Booking.objects.filter(rep_id=rep_id).select_related("rep"))
    booking = BookingFactory()
    later = BookingFactory(
        meeting_type=booking.meeting_type, start_at=booking.start_at + timedelta(days=1)
    )
    got = read.of(booking.rep_id)
    expected = list(Booking.objects.filter(rep_id=booking.rep_id).select_related("rep"))
    assert [_fields(b) for b in got] == [_fields(b) for b in expected]
    assert {b.pk for b in got} == {booking.pk, later.pk}
    with CaptureQueriesContext(connection) as queries:
        assert got[0].rep.pk == booking.rep_id  # loaded with it
    assert len(queries) == 0


def test_a_value_the_query_does_not_pass_as_it_is_is_refused():
    read = Rows(lambda name: Booking.objects.filter(guest_name__contains=name))
    with pytest.raises(ValueError, match="appears 0 times"):
        read.of("Ada")


def test_weekly_windows_are_prefetched_as_django_prefetches_them(monkeypatch):
    """The schedule's windows, reached through select_related objects, are read by a compiled
    query too, and cached where Django's prefetch caches them."""
    first, second = MeetingTypeFactory(), MeetingTypeFactory()
    read = Rows(
        lambda rep_ids: selectors.with_hours(MeetingType.objects.select_related("rep")).filter(
            rep_id__in=rep_ids
        )
    )
    expected = list(
        selectors.with_hours(MeetingType.objects.select_related("rep")).filter(
            rep_id__in=[first.rep_id, second.rep_id]
        )
    )
    compiled = []
    original = compiled_reads._compile
    monkeypatch.setattr(compiled_reads, "_compile", lambda *a: compiled.append(1) or original(*a))
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            got = read.of([first.rep_id, second.rep_id])
        assert len(queries) == 2
        with CaptureQueriesContext(connection) as queries:
            for meeting_type, same in zip(got, expected, strict=True):
                windows = list(meeting_type.schedule.windows.all())
                assert [_fields(w) for w in windows] == [
                    _fields(w) for w in same.schedule.windows.all()
                ]
                assert windows and all(w.schedule is meeting_type.schedule for w in windows)
        assert len(queries) == 0
    assert len(compiled) == 2  # the types, then their windows: each once


def test_a_prefetch_not_through_select_related_objects_is_djangos():
    booking = BookingFactory()
    read = Rows(
        lambda pk: Booking.objects.filter(pk=pk).prefetch_related("meeting_type__questions")
    )
    with CaptureQueriesContext(connection) as queries:
        [got] = read.of(booking.pk)
        assert list(got.meeting_type.questions.all()) == []
    assert len(queries) == 3  # the booking, its type, the type's questions


def test_model_instances_with_annotations_are_refused():
    read = Rows(lambda pk: Booking.objects.filter(pk=pk).annotate(n=Count("pk")))
    with pytest.raises(TypeError, match="annotate"):
        read.of(1)
