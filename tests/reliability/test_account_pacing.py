"""Reps who share one Zoom account share its per-second limit: real workers pace their calls
below it, so a burst of bookings queues briefly and meets no 429. An account whose plan allows
less than the product's default pace (a Free one) is paced under the limit its first 429 names."""

import json
from datetime import datetime, timedelta

import pytest

from integrations.zoom.api.account_pace import ZoomAccountPace
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


def _body_of(call) -> dict:
    return json.loads(call["request_body"] or "{}")


def _retry_after_sent_with(call) -> datetime:
    """The earliest Retry-After (and X-RateLimit-Reset) the sandbox can have sent with a
    per-second 429: a whole second, no earlier than the moment it answered."""
    started = datetime.fromisoformat(call["started_at"])
    whole = started.replace(microsecond=0)
    return whole if whole == started else whole + timedelta(seconds=1)


def test_a_free_accounts_limit_is_learned_from_its_429_and_no_booking_is_lost(sandbox, workers):
    # A rep whose own Zoom user is Basic: a Free account, 2 meeting creates (Medium) a second.
    rep = steps.connect_rep(sandbox, "solo@free.example", user_type=1, plan="free").user
    account_id = sandbox.user("solo@free.example")["account_id"]
    meeting_type = MeetingTypeFactory(rep=rep)
    # The product's default pace (18/s) suits a Pro account, so the burst meets Zoom's 429.
    workers(concurrency=4)
    calls_before = len(sandbox.calls())

    bookings = [book(meeting_type, i) for i in range(8)]

    def all_ready():
        states = Booking.objects.filter(pk__in=[b.pk for b in bookings]).values_list(
            "link_state", flat=True
        )
        return set(states) == {LinkState.READY}

    wait_until(all_ready, timeout=90, message="every link")
    calls = [c for c in sandbox.calls()[calls_before:] if c["path"].startswith("/v2/")]
    refused = [c for c in calls if c["status"] == 429]
    assert refused, "the burst never met Zoom's per-second limit"
    assert {c["method"] for c in refused} == {"POST"}

    pace = ZoomAccountPace.objects.get(zoom_account_id=account_id)
    assert (pace.learned_limit, pace.learned_category) == (2, "Medium")
    assert pace.learned_rate == pytest.approx(1.8)

    # Every refused create was tried again only once Zoom's Retry-After had come.
    creates = [c for c in calls if c["method"] == "POST"]
    for refusal in refused:
        agenda = _body_of(refusal)["agenda"]
        later = [c for c in creates if c["id"] > refusal["id"] and _body_of(c)["agenda"] == agenda]
        assert later, f"a refused create was never tried again: {agenda!r}"
        assert datetime.fromisoformat(later[0]["started_at"]) >= _retry_after_sent_with(refusal)

    # Once Zoom's Retry-After of the first 429 passed, the account was paced under its limit.
    learned_by = _retry_after_sent_with(refused[0])
    after = [c for c in calls if datetime.fromisoformat(c["started_at"]) >= learned_by]
    assert after, "no call came after the account's pace was learned"
    assert [c for c in after if c["status"] == 429] == [], [
        (c["id"], c["method"], c["status"], c["started_at"][11:], c["duration_ms"]) for c in calls
    ]

    assert len(creates) == 8 + len(refused)
    assert_one_meeting_per_booking(sandbox, bookings)
