"""Reps who share one Zoom account share its per-second limit: real workers pace their calls
below it, so a burst of bookings queues briefly and meets no 429."""

import pytest

from meetings.models import Booking
from meetings.zoom.state import LinkState
from tests.fixtures.celery_worker import wait_until
from tests.integrations import steps
from tests.meetings.factories import MeetingTypeFactory
from tests.reliability.checks import assert_one_meeting_per_booking
from tests.reliability.conftest import book

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]


def test_a_burst_on_one_account_is_paced_below_its_limit_with_no_429(sandbox, workers):
    meeting_types = [
        MeetingTypeFactory(
            rep=steps.connect_rep(sandbox, f"colleague{n}@acme.example", account_id="acme").user
        )
        for n in range(3)
    ]
    sandbox.set_knobs(qps_limit=5)
    workers(concurrency=6, ZOOM_ACCOUNT_REQUESTS_PER_SECOND=4)
    calls_before = len(sandbox.calls())

    bookings = [book(meeting_types[i % 3], i // 3) for i in range(15)]

    def all_ready():
        states = Booking.objects.filter(pk__in=[b.pk for b in bookings]).values_list(
            "link_state", flat=True
        )
        return set(states) == {LinkState.READY}

    wait_until(all_ready, timeout=60, message="every link")
    calls = sandbox.calls()[calls_before:]
    assert [c for c in calls if c["status"] == 429] == []
    assert [c["method"] for c in calls if "/meetings" in c["path"]] == ["POST"] * 15
    assert_one_meeting_per_booking(sandbox, bookings)
