"""Real Celery workers (over Redis, on PostgreSQL) creating the links of many reps served by the
company's Zoom account, whose one token chain expires under them: one refresh reaches Zoom at a
time, no worker spends a rotated refresh token (no broken chain), every booking gets one meeting.
"""

from datetime import datetime

import pytest
from django.utils import timezone

from integrations.zoom.company.models import ZoomCompanyAccount
from meetings.models import Booking
from meetings.zoom.state import LinkState
from tests.factories import RepFactory
from tests.fixtures.celery_worker import wait_until
from tests.integrations import steps
from tests.integrations.company_steps import connected_company
from tests.meetings.factories import MeetingTypeFactory
from tests.reliability.checks import assert_one_meeting_per_booking
from tests.reliability.conftest import book

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]
REPS = 12
ROUNDS = 3


def _span(call) -> tuple[datetime, float]:
    start = datetime.fromisoformat(call["started_at"])
    return start, start.timestamp() + call["duration_ms"] / 1000


def all_ready(bookings) -> bool:
    states = Booking.objects.filter(pk__in=[b.pk for b in bookings]).values_list(
        "link_state", flat=True
    )
    return set(states) == {LinkState.READY}


def test_many_workers_and_reps_share_one_chain_refreshed_one_at_a_time(sandbox, workers):
    emails = [f"rep{i}@corp.example" for i in range(REPS)]
    types = [MeetingTypeFactory(rep=RepFactory(email=email)) for email in emails]
    workers(count=3, concurrency=2)
    company = connected_company(sandbox, *emails)
    # Zoom slowed down, so many workers are inside a call while the refresh is in flight.
    sandbox.set_knobs(latency_ms=150)

    bookings = []
    for round_ in range(ROUNDS):
        ZoomCompanyAccount.objects.filter(pk=company.pk).update(
            access_token_expires_at=timezone.now()
        )
        batch = [book(meeting_type, round_) for meeting_type in types]
        bookings += batch
        wait_until(
            lambda batch=batch: all_ready(batch),
            timeout=120,
            message=f"round {round_}: every served rep's link",
        )

    refreshes = steps.token_calls(sandbox, "refresh_token")
    assert len(refreshes) == ROUNDS
    assert [call["status"] for call in refreshes] == [200] * ROUNDS
    spans = sorted(_span(call) for call in refreshes)
    for (_, ended), (started, _) in zip(spans, spans[1:], strict=False):
        assert started.timestamp() >= ended - 0.05, "two refreshes of one chain overlapped"
    assert sandbox.token_stats("admin@corp.example")["refresh_count"] == ROUNDS
    company.refresh_from_db()
    assert company.is_usable and company.token_generation == 1 + ROUNDS
    assert_one_meeting_per_booking(sandbox, bookings)
    creates = [c for c in sandbox.calls("/meetings") if c["method"] == "POST"]
    assert {c["client_id"] for c in creates} == {"test-account-client-id"}
    assert all(c["path"] != "/v2/users/me/meetings" for c in creates)
