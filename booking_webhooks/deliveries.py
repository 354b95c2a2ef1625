"""Sending the company's webhooks: each booking event is written as a delivery per endpoint in
the same transaction as the change (so none is lost or sent for a change that rolled back), then
POSTed by a worker, retried with growing waits, and every attempt logged.

A receiver answers 2xx to accept. 410 Gone switches the endpoint off (Standard Webhooks: "the
endpoint no longer exists"); anything else (another status, a timeout, a refused connection, a
redirect) is retried: after 1 and 5 minutes, then 30 minutes, 2, 5 and 10 hours, 10 hours again,
each ±10 %, then the delivery has failed for good. Staff can send it again from the admin.
"""

import json
import logging
import random
import time
from collections.abc import Callable
from datetime import timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from config.compiled_reads import Rows
from meetings.models import Booking, HostChange

from . import signing
from .models import DeliveryAttempt, WebhookDelivery, WebhookEndpoint
from .payloads import event_payload

logger = logging.getLogger(__name__)

RETRY_AFTER = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
# A worker sending a delivery holds it this long; past it, a sweeper may send it again.
HOLD = timedelta(minutes=2)
# (connect, read): a slow receiver must not hold a worker.
TIMEOUT = (5, 10)
# Deliveries the broker never got are picked up by the sweeper after this.
GRACE = timedelta(minutes=1)

# Read in every booking change's transaction (most companies have no endpoint): compiled once per
# thread.
_ACTIVE_ENDPOINTS = Rows(lambda: WebhookEndpoint.objects.filter(is_active=True))


def announce(
    event_type: str,
    booking: Booking,
    *,
    on_commit: Callable[[int], None],
    host_change: HostChange | None = None,
) -> int:
    """Writes a delivery of `event_type` about `booking` for every active endpoint that wants it;
    call it inside the change's transaction. `on_commit(delivery_id)` runs once it commits.
    `host_change`: the reassignment a booking.reassigned tells of."""
    endpoints = [e for e in _ACTIVE_ENDPOINTS.of() if e.subscribes_to(event_type)]
    if not endpoints:
        return 0
    payload = event_payload(event_type, booking, host_change=host_change)
    for endpoint in endpoints:
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_type=event_type,
            booking=booking,
            payload=payload,
            next_attempt_at=timezone.now() + GRACE,
        )
        transaction.on_commit(lambda pk=delivery.pk: on_commit(pk))
    return len(endpoints)


def deliver(delivery_id: int) -> str | None:
    """One attempt at a due delivery; returns its status after, or None when it was not due (sent
    already, or held by another worker)."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        if delivery is None or delivery.next_attempt_at > timezone.now() + GRACE:
            return None
        if not delivery.endpoint.is_active:
            delivery.mark_attempt_failed(None, "The endpoint is switched off.", None)
            delivery.save()
            return delivery.status
        delivery.claim(HOLD)
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    attempt = _post(delivery)
    with transaction.atomic():
        attempt.save()
        _record(delivery, attempt)
    return delivery.status


def _post(delivery: WebhookDelivery) -> DeliveryAttempt:
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    headers = signing.headers(
        delivery.endpoint.secret, f"msg_{delivery.message_id.hex}", int(time.time()), body
    )
    headers["User-Agent"] = f"{settings.ZOOM_APP_NAME} webhooks"
    attempt = DeliveryAttempt(delivery=delivery)
    started = time.monotonic()
    try:
        response = requests.post(
            delivery.endpoint.url,
            data=body,
            headers=headers,
            timeout=TIMEOUT,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        attempt.error = f"{type(exc).__name__}: the endpoint could not be reached"
    else:
        attempt.status_code = response.status_code
        attempt.response_excerpt = response.text[:500]
    attempt.duration_ms = int((time.monotonic() - started) * 1000)
    return attempt


def _record(delivery: WebhookDelivery, attempt: DeliveryAttempt) -> None:
    code = attempt.status_code
    if code is not None and 200 <= code < 300:
        delivery.mark_delivered(code)
    elif code == 410:
        delivery.mark_attempt_failed(code, "The endpoint answered 410 Gone.", None)
        endpoint = delivery.endpoint
        endpoint.disable("It answered 410 Gone: it no longer takes deliveries.")
        endpoint.save(update_fields=["is_active", "disabled_reason"])
    else:
        error = attempt.error or f"The endpoint answered {code}."
        delivery.mark_attempt_failed(code, error, _next_try(delivery.attempts))
    delivery.save()
    logger.info(
        "Webhook %s %s to endpoint %s: %s",
        delivery.event_type,
        delivery.message_id,
        delivery.endpoint_id,
        code or attempt.error,
    )


def _next_try(attempts: int):
    if attempts > len(RETRY_AFTER):
        return None
    wait = RETRY_AFTER[attempts - 1].total_seconds()
    return timezone.now() + timedelta(seconds=wait * random.uniform(0.9, 1.1))  # noqa: S311


def due_deliveries(limit: int = 500) -> list[int]:
    return list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def send_again(delivery: WebhookDelivery, *, on_commit: Callable[[int], None]) -> None:
    with transaction.atomic():
        locked = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        locked.send_again()
        locked.save()
        transaction.on_commit(lambda: on_commit(locked.pk))


def forget_old_deliveries(days: int) -> int:
    """Deliveries carry guests' names and emails: finished ones go after `days`."""
    cutoff = timezone.now() - timedelta(days=days)
    done = WebhookDelivery.objects.exclude(status=WebhookDelivery.Status.PENDING)
    deleted, _ = done.filter(created_at__lt=cutoff).delete()
    return deleted
