"""Compare-and-swap UPDATEs compiled once per shape (config/compiled_updates.py): the ORM's own
statement and parameters, landing only while the row holds what was read."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config import compiled_updates
from config.compiled_updates import update_if_as_read
from meetings.models import Booking
from meetings.zoom.state import LinkState
from tests.meetings.factories import BookingFactory

pytestmark = pytest.mark.django_db


def test_the_row_is_updated_only_while_it_holds_what_was_read():
    booking = BookingFactory(link_state=LinkState.PENDING, link_attempts=2)
    as_read = {"link_state": LinkState.PENDING, "link_attempts": 2, "link_lease_until": None}
    lease = timezone.now() + timedelta(minutes=5)

    assert update_if_as_read(Booking, booking.pk, as_read, {"link_lease_until": lease}) == 1
    # The lease is no longer None: the same condition finds nothing.
    assert update_if_as_read(Booking, booking.pk, as_read, {"link_attempts": 9}) == 0

    booking.refresh_from_db()
    assert (booking.link_lease_until, booking.link_attempts) == (lease, 2)


def test_the_same_statement_and_parameters_as_the_orms_update():
    booking = BookingFactory(link_state=LinkState.PENDING)
    now = timezone.now()
    as_read = {"link_state": LinkState.PENDING, "link_lease_until": None, "rep_id": booking.rep_id}
    values = {
        "link_state": LinkState.READY,
        "link_lease_until": None,
        "link_ready_at": now,
        "zoom_join_url": "https://zoom.example/j/1",
        "zoom_dial_in": [{"number": "+1 646 558 8656"}],
        "zoom_create_in_doubt": False,
    }
    condition = Q(pk=booking.pk)
    for name, value in as_read.items():
        condition &= Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})

    with CaptureQueriesContext(connection) as orm:
        Booking.objects.filter(condition).update(**values)
    Booking.objects.filter(pk=booking.pk).update(link_state=LinkState.PENDING)
    for _ in range(2):  # compiled by Django, then the compiled statement
        with CaptureQueriesContext(connection) as compiled:
            assert update_if_as_read(Booking, booking.pk, as_read, values) == 1
        Booking.objects.filter(pk=booking.pk).update(link_state=LinkState.PENDING)
        assert compiled[0]["sql"] == orm[0]["sql"]

    booking.refresh_from_db()
    assert booking.zoom_dial_in == [{"number": "+1 646 558 8656"}]
    assert booking.link_ready_at == now


def test_each_shape_is_compiled_once(monkeypatch):
    first, second = BookingFactory(), BookingFactory()
    compiled = []
    original = compiled_updates._compile
    monkeypatch.setattr(compiled_updates, "_compile", lambda *a: compiled.append(1) or original(*a))
    monkeypatch.setattr(compiled_updates, "_compiled", {})

    for booking in (first, second):
        update_if_as_read(Booking, booking.pk, {"link_attempts": 0}, {"link_attempts": 1})
    assert len(compiled) == 1
    # None compares by IS NULL, and sets NULL: other statements.
    update_if_as_read(Booking, first.pk, {"link_lease_until": None}, {"link_attempts": 2})
    update_if_as_read(Booking, first.pk, {"link_attempts": 2}, {"link_lease_until": None})
    assert len(compiled) == 3
    assert Booking.objects.get(pk=second.pk).link_attempts == 1


def test_expressions_and_joins_are_the_orms():
    booking = BookingFactory()
    with pytest.raises(TypeError):
        update_if_as_read(Booking, booking.pk, {}, {"link_attempts": F("link_attempts") + 1})
    with pytest.raises(TypeError):
        update_if_as_read(Booking, booking.pk, {"rep__email": "x@example.com"}, {})
