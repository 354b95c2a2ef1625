"""The company's outgoing webhook: booking created, moved, cancelled and its outcome, each signed,
written with the change itself, retried with growing waits, logged, and stopped by a 410."""

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from booking_webhooks import deliveries, signing
from booking_webhooks.models import EventType, WebhookDelivery, WebhookEndpoint
from booking_webhooks.tasks import sweep_webhook_deliveries
from meetings.models import Booking
from meetings.services.bookings import book_meeting, cancel_booking, reschedule_booking
from outcomes.rules import Outcome
from outcomes.services import mark_outcome
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot

pytestmark = pytest.mark.django_db
GUEST = {
    "guest_name": "Ada Lovelace",
    "guest_email": "ada@example.org",
    "guest_time_zone": "Europe/London",
}


@pytest.fixture
def phone_type(db):
    return MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")


def _book(meeting_type, capture) -> Booking:
    with capture(execute=True):
        return book_meeting(meeting_type, start_at=next_slot(), **GUEST)


def test_a_new_booking_is_sent_signed_once_it_commits(
    endpoint, crm, phone_type, django_capture_on_commit_callbacks
):
    booking = _book(phone_type, django_capture_on_commit_callbacks)
    [request] = crm.requests
    assert signing.verify(endpoint.secret, request["headers"], request["body"])
    event = json.loads(request["body"])
    assert event["type"] == "booking.created"
    sent = event["data"]["booking"]
    assert sent["id"] == str(booking.public_id)
    assert sent["guest"] == {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "time_zone": "Europe/London",
    }
    assert sent["host"]["email"] == phone_type.rep.email
    assert sent["outcome"] is None
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    assert request["headers"]["webhook-id"] == f"msg_{delivery.message_id.hex}"
    [attempt] = delivery.attempt_log.all()
    assert attempt.status_code == 200 and '"ok"' in attempt.response_excerpt


def test_moving_and_cancelling_are_sent_with_the_old_time_and_the_reason(
    endpoint, crm, phone_type, django_capture_on_commit_callbacks
):
    booking = _book(phone_type, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        reschedule_booking(booking, start_at=next_slot(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking, by=Booking.Actor.GUEST, reason="Found another vendor")
    created, moved, cancelled = crm.events()
    assert [created["type"], moved["type"], cancelled["type"]] == [
        "booking.created",
        "booking.moved",
        "booking.cancelled",
    ]
    assert moved["data"]["booking"]["previous_start"] == created["data"]["booking"]["start"]
    assert cancelled["data"]["booking"]["status"] == "cancelled"
    assert cancelled["data"]["booking"]["cancelled_by"] == "guest"
    assert cancelled["data"]["booking"]["cancel_reason"] == "Found another vendor"


def test_an_outcome_is_sent_with_its_result_and_source(
    endpoint, crm, django_capture_on_commit_callbacks
):
    now = timezone.now()
    booking = BookingFactory(start_at=now - timedelta(hours=1), end_at=now - timedelta(minutes=30))
    with django_capture_on_commit_callbacks(execute=True):
        mark_outcome(booking, Outcome.HELD, by=booking.rep)
    [event] = crm.events()
    assert event["type"] == "booking.outcome"
    assert event["data"]["booking"]["outcome"]["result"] == "held"
    assert event["data"]["booking"]["outcome"]["source"] == "rep"
    # The same marking again changes nothing and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        mark_outcome(booking, Outcome.HELD, by=booking.rep)
    assert len(crm.requests) == 1


def test_a_change_that_rolls_back_sends_nothing(endpoint, crm, phone_type):
    with pytest.raises(RuntimeError), transaction.atomic():
        book_meeting(phone_type, start_at=next_slot(), **GUEST)
        raise RuntimeError("the request failed after booking")
    assert WebhookDelivery.objects.count() == 0
    assert crm.requests == []


def test_only_endpoints_that_want_the_event_get_it(
    crm, phone_type, django_capture_on_commit_callbacks
):
    WebhookEndpoint.objects.create(url=crm.url, event_types=[EventType.OUTCOME])
    WebhookEndpoint.objects.create(url=crm.url, is_active=False)
    _book(phone_type, django_capture_on_commit_callbacks)
    assert WebhookDelivery.objects.count() == 0


def test_a_failing_endpoint_is_retried_with_growing_waits_until_it_gives_up(
    endpoint, crm, phone_type, django_capture_on_commit_callbacks
):
    crm.statuses = [500] * 8
    _book(phone_type, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    waits = []
    for _ in range(7):
        delivery.refresh_from_db()
        assert delivery.status == "pending"
        waits.append(delivery.next_attempt_at - timezone.now())
        _make_due(delivery)
        assert sweep_webhook_deliveries() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 8, None)
    assert delivery.last_error == "The endpoint answered 500."
    assert delivery.attempt_log.count() == 8
    # 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, each within ±10 %.
    expected = [60, 300, 1800, 7200, 18000, 36000, 36000]
    for wait, seconds in zip(waits, expected, strict=True):
        assert 0.85 * seconds <= wait.total_seconds() <= 1.1 * seconds
    # Every retry carried the same webhook-id, so the receiver can drop repeats.
    assert len({r["headers"]["webhook-id"] for r in crm.requests}) == 1


def test_a_retry_that_succeeds_is_delivered(
    endpoint, crm, phone_type, django_capture_on_commit_callbacks
):
    crm.statuses = [503]
    _book(phone_type, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert sweep_webhook_deliveries() == 0  # not due yet: it waits a minute
    _make_due(delivery)
    sweep_webhook_deliveries()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert [a.status_code for a in delivery.attempt_log.all()] == [503, 200]


def test_an_unreachable_endpoint_is_logged_and_retried(
    crm, phone_type, django_capture_on_commit_callbacks
):
    WebhookEndpoint.objects.create(url="http://127.0.0.1:9/nobody-listens")
    _book(phone_type, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending"
    assert "could not be reached" in delivery.last_error
    assert delivery.attempt_log.get().status_code is None


def test_410_gone_switches_the_endpoint_off(
    endpoint, crm, phone_type, django_capture_on_commit_callbacks
):
    crm.statuses = [410]
    booking = _book(phone_type, django_capture_on_commit_callbacks)
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "410" in endpoint.disabled_reason
    assert WebhookDelivery.objects.get().status == "failed"
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking, by=Booking.Actor.REP)
    assert len(crm.requests) == 1


def test_a_delivery_held_by_a_worker_is_not_sent_twice(
    endpoint, crm, phone_type, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        book_meeting(phone_type, start_at=next_slot(), **GUEST)
    delivery = WebhookDelivery.objects.get()
    delivery.claim(deliveries.HOLD)  # another worker is sending it right now
    delivery.save()
    assert deliveries.deliver(delivery.pk) is None
    assert crm.requests == []


def test_staff_send_a_failed_delivery_again(
    endpoint, crm, phone_type, django_capture_on_commit_callbacks
):
    crm.statuses = [410]
    _book(phone_type, django_capture_on_commit_callbacks)
    endpoint.is_active = True
    endpoint.save()
    delivery = WebhookDelivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        deliveries.send_again(delivery, on_commit=deliveries.deliver)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    assert delivery.attempt_log.count() == 2


def test_finished_deliveries_are_forgotten_after_the_keeping_time(
    endpoint, crm, phone_type, django_capture_on_commit_callbacks, settings
):
    _book(phone_type, django_capture_on_commit_callbacks)
    WebhookDelivery.objects.update(created_at=timezone.now() - timedelta(days=31))
    settings.BOOKING_WEBHOOK_LOG_DAYS = 30
    sweep_webhook_deliveries()
    assert WebhookDelivery.objects.count() == 0


def _make_due(delivery: WebhookDelivery) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
