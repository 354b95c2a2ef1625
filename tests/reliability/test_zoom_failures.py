"""Zoom misbehaving: 500s that heal, one host's daily limit spent, a token revoked mid-way."""

from datetime import UTC, datetime, timedelta

import pytest

from meetings import tasks
from meetings.models import Booking
from meetings.zoom.state import LinkState
from tests.fixtures.celery_worker import tasks_settled, wait_until
from tests.meetings.factories import MeetingTypeFactory
from tests.reliability.checks import assert_one_meeting_per_booking, settled
from tests.reliability.conftest import book, reconnect

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]


def states(bookings) -> list[str]:
    return list(
        Booking.objects.filter(pk__in=[b.pk for b in bookings])
        .order_by("pk")
        .values_list("link_state", flat=True)
    )


def all_ready(bookings) -> bool:
    return set(states(bookings)) == {LinkState.READY}


def test_zoom_failing_with_500s_then_recovering_gives_each_booking_one_meeting(
    sandbox, zoom_type, workers
):
    meeting_type = zoom_type("flaky@example.com")
    workers(concurrency=2)
    # Every kind of "Zoom did not answer usefully" on the meetings endpoint, then health.
    sandbox.fail_next("/users/me/meetings", status=500, count=4)
    sandbox.fail_next("/users/me/meetings", status=502, count=1, kind="non_json")
    sandbox.fail_next("/users/me/meetings", count=1, kind="drop")

    bookings = [book(meeting_type, i) for i in range(3)]

    wait_until(lambda: all_ready(bookings), timeout=45, message="every link after the 500s")
    injected = [c for c in sandbox.calls("/users/me/meetings") if c["injected"]]
    assert len(injected) == 6
    assert (
        max(
            Booking.objects.filter(pk__in=[b.pk for b in bookings]).values_list(
                "link_attempts", flat=True
            )
        )
        > 1
    )
    assert_one_meeting_per_booking(sandbox, bookings)


def test_one_reps_daily_limit_leaves_other_reps_bookings_going(sandbox, zoom_type, workers):
    limited_type = zoom_type("limited@example.com")
    other_type = zoom_type("unlimited@example.com")
    sandbox.set_daily_usage("limited@example.com", 100)
    started = workers(concurrency=2)

    limited = [book(limited_type, i) for i in range(2)]
    others = [book(other_type, i) for i in range(3)]

    wait_until(lambda: all_ready(others), timeout=30, message="the other rep's links")
    wait_until(lambda: settled(limited), timeout=30, message="the limited rep's bookings")
    tomorrow = datetime.combine(datetime.now(UTC).date() + timedelta(days=1), datetime.min.time())
    for booking in Booking.objects.filter(pk__in=[b.pk for b in limited]):
        assert booking.link_state == LinkState.PENDING
        assert "daily limit" in booking.link_last_error
        # The sandbox's Retry-After: the next 00:00 UTC, not a hot loop.
        assert booking.link_next_attempt_at == tomorrow.replace(tzinfo=UTC)
    wait_until(lambda: tasks_settled(started), timeout=30, message="the workers to settle")
    limited_creates = [
        c
        for c in sandbox.calls("/users/me/meetings")
        if c["method"] == "POST" and c["user_email"] == "limited@example.com"
    ]
    assert len(limited_creates) == 2  # one refused attempt each, then waiting
    assert_one_meeting_per_booking(sandbox, limited + others)


def test_a_token_revoked_mid_way_parks_bookings_until_the_rep_reconnects(
    sandbox, connect_zoom, workers
):
    zoom_email = "revoked@example.com"
    rep = connect_zoom(zoom_email=zoom_email).user
    meeting_type = MeetingTypeFactory(rep=rep)
    workers(concurrency=2)

    before = [book(meeting_type, i) for i in range(2)]
    wait_until(lambda: all_ready(before), message="the links before the revocation")

    # The rep removes the app in Zoom: every token of the connection dies at once.
    sandbox.uninstall(zoom_email)
    after = [book(meeting_type, i) for i in range(2, 4)]
    wait_until(
        lambda: set(states(after)) == {LinkState.WAITING_FOR_RECONNECT},
        message="the bookings to wait for a reconnect",
    )
    assert all(
        "reconnect" in b.link_last_error
        for b in Booking.objects.filter(pk__in=[b.pk for b in after])
    )
    assert_one_meeting_per_booking(sandbox, before + after)

    reconnect(rep, sandbox, zoom_email)
    # What Celery beat does every minute: parked bookings of a reconnected rep go back in line.
    tasks.sweep_due_work.delay()
    wait_until(lambda: all_ready(after), timeout=30, message="the links after reconnecting")
    assert_one_meeting_per_booking(sandbox, before + after)
