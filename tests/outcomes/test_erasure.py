"""Who came is Zoom data: the app removed in Zoom (without data retention) erases the times,
counts and keys of the rep's outcomes with the rest; the outcomes stay; Zoom allowing retention
keeps them; the erasure is recorded."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.zoom.connection.models import ZoomDataErasure
from integrations.zoom.webhooks.models import ZoomWebhookEvent
from outcomes.models import MeetingOutcome
from outcomes.rules import Outcome
from tests.fixtures.celery_worker import wait_until

from .conftest import ZOOM_EMAIL, outcome_of, wait_for_outcome

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]


def _held(live_sandbox, booking):
    live_sandbox.start_meeting(booking.zoom_meeting_id)
    live_sandbox.join_meeting(booking.zoom_meeting_id, "Pat Prospect")
    live_sandbox.end_meeting(booking.zoom_meeting_id)
    return wait_for_outcome(booking, Outcome.HELD)


def test_removing_the_app_erases_who_came_and_keeps_the_outcome(
    live_sandbox, zoom_booking, worker_mail
):
    booking = zoom_booking()
    record = _held(live_sandbox, booking)
    assert record.holds_zoom_data
    live_sandbox.uninstall(ZOOM_EMAIL)
    wait_until(ZoomDataErasure.objects.exists, message="the erasure")
    record = outcome_of(booking)
    assert record.outcome == Outcome.HELD
    assert not record.holds_zoom_data
    assert (record.host_joined_at, record.others_joined, record.joined_keys) == (None, 0, [])
    erasure = ZoomDataErasure.objects.get()
    assert erasure.records_erased >= 2  # the booking's links and its outcome's evidence


def test_zoom_allowing_retention_keeps_it(live_sandbox, zoom_booking, worker_mail):
    booking = zoom_booking()
    _held(live_sandbox, booking)
    live_sandbox.uninstall(ZOOM_EMAIL, user_data_retention=True)
    wait_until(ZoomDataErasure.objects.exists, message="the deauthorization")
    assert outcome_of(booking).holds_zoom_data


def test_payloads_of_meeting_events_are_cleared_once_applied(
    live_sandbox, zoom_booking, worker_mail
):
    booking = zoom_booking()
    _held(live_sandbox, booking)
    wait_until(
        lambda: not ZoomWebhookEvent.objects.filter(outcome="pending").exists(),
        message="every event applied",
    )
    payloads = list(ZoomWebhookEvent.objects.values_list("payload", flat=True))
    assert payloads and all(payload == {} for payload in payloads)
    assert MeetingOutcome.objects.get(booking=booking).joined_keys
    assert timezone.now() - timedelta(minutes=5) < outcome_of(booking).decided_at
