"""The company's outgoing webhooks: where to send booking events (endpoints), each event's
delivery to each endpoint with its retries, and the log of every attempt."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from integrations.zoom.connection.fields import StrictEncryptedTextField

from .signing import new_secret


class EventType(models.TextChoices):
    CREATED = "booking.created", "Booking created"
    MOVED = "booking.moved", "Booking moved to another time"
    REASSIGNED = "booking.reassigned", "Booking handed to another host"
    CANCELLED = "booking.cancelled", "Booking cancelled"
    OUTCOME = "booking.outcome", "Meeting outcome recorded or changed"


def _every_event_type() -> list[str]:
    return list(EventType.values)


class WebhookEndpoint(models.Model):
    """A URL of the company's (a CRM's, an automation tool's) that is told about bookings."""

    url = models.URLField("URL", max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    # Signs every delivery (signing.py); shown to staff so they can set up the receiver.
    secret = StrictEncryptedTextField(default=new_secret)
    event_types = models.JSONField(
        default=_every_event_type, help_text="The events sent to this URL."
    )
    is_active = models.BooleanField(default=True)
    # Why it was switched off by the app (a 410 Gone), for staff to read.
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "webhook endpoint"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description or self.url

    def clean(self):
        # Deliveries carry guests' names and emails: never in clear text outside development.
        if not settings.DEBUG and not self.url.startswith("https://"):
            raise ValidationError({"url": "Use an https:// URL."})
        unknown = set(self.event_types or []) - set(EventType.values)
        if not isinstance(self.event_types, list) or unknown:
            raise ValidationError({"event_types": "Choose among the listed events."})

    def subscribes_to(self, event_type: str) -> bool:
        return event_type in self.event_types

    def roll_secret(self) -> None:
        self.secret = new_secret()

    def disable(self, reason: str) -> None:
        self.is_active = False
        self.disabled_reason = reason[:300]


class WebhookDelivery(models.Model):
    """One event for one endpoint, tried until it is delivered or its retries run out."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed (no more retries)"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    # `webhook-id`: the same on every retry, so the receiver can drop duplicates.
    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    booking = models.ForeignKey(
        "meetings.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="webhook_deliveries",
    )
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When it is due (again); while a worker sends it, when that worker's hold runs out.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="pending") | Q(next_attempt_at__isnull=False),
                name="webhook_pending_is_due_sometime",
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_at__isnull=False),
                name="webhook_delivered_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} to {self.endpoint} ({self.get_status_display()})"

    def claim(self, hold: timedelta) -> None:
        """A worker takes this attempt; if it dies, the delivery is due again after `hold`."""
        self.attempts += 1
        self.next_attempt_at = timezone.now() + hold

    def mark_delivered(self, status_code: int) -> None:
        self.status = self.Status.DELIVERED
        self.delivered_at = timezone.now()
        self.next_attempt_at = None
        self.last_status_code = status_code
        self.last_error = ""

    def mark_attempt_failed(self, status_code: int | None, error: str, retry_at) -> None:
        """`retry_at` None: no retry is left."""
        self.last_status_code = status_code
        self.last_error = error[:300]
        self.next_attempt_at = retry_at
        if retry_at is None:
            self.status = self.Status.FAILED

    def send_again(self) -> None:
        """Staff send a failed (or delivered) event once more: retries start over, same id."""
        self.status = self.Status.PENDING
        self.attempts = 0
        self.next_attempt_at = timezone.now()


class DeliveryAttempt(models.Model):
    """The log: one row per try, with what the endpoint answered."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    # The start of the answer, for staff to see what the receiver said.
    response_excerpt = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["attempted_at", "pk"]

    def __str__(self) -> str:
        return f"attempt at {self.attempted_at:%Y-%m-%d %H:%M:%S}: {self.status_code or self.error}"
