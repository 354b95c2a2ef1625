"""End to end through a real worker: the delivery written with the booking reaches the receiver
once the booking commits, and a delivery whose enqueue was lost is sent by the sweeper."""

from datetime import timedelta

from django.utils import timezone

from booking_webhooks.models import WebhookDelivery
from booking_webhooks.tasks import sweep_webhook_deliveries
from meetings.services.bookings import book_meeting
from tests.fixtures.celery_worker import wait_until
from tests.meetings.factories import MeetingTypeFactory, next_slot

GUEST = {"guest_name": "Ada", "guest_email": "ada@example.org", "guest_time_zone": "UTC"}


def _delivered():
    return WebhookDelivery.objects.filter(status="delivered").count()


def test_a_worker_sends_the_delivery_after_the_booking_commits(celery_worker, endpoint, crm):
    meeting_type = MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")
    book_meeting(meeting_type, start_at=next_slot(), **GUEST)
    wait_until(_delivered, message="the webhook delivered by the worker")
    assert [e["type"] for e in crm.events()] == ["booking.created"]


def test_the_sweeper_sends_a_delivery_whose_enqueue_was_lost(
    celery_worker, endpoint, crm, monkeypatch
):
    monkeypatch.setattr("booking_webhooks.tasks.publish", lambda task, *args: False)
    meeting_type = MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")
    book_meeting(meeting_type, start_at=next_slot(), **GUEST)
    assert crm.requests == []
    monkeypatch.undo()
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert sweep_webhook_deliveries() == 1
    wait_until(_delivered, message="the swept delivery sent by the worker")
