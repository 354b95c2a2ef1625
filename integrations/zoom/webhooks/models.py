"""What we keep of Zoom's webhook deliveries."""

from django.db import models
from django.utils import timezone

from ..connection.models import ZoomApp


class ZoomWebhookEvent(models.Model):
    """One delivery from Zoom, kept so that Zoom's retries of it are recognised and ignored.

    The payload names Zoom users, so it is cleared once processed (Marketplace data rules).
    """

    class Outcome(models.TextChoices):
        PENDING = "pending", "Waiting to be processed"
        APPLIED = "applied", "Applied"
        IGNORED = "ignored", "Nothing of ours matched"

    fingerprint = models.CharField(max_length=64, unique=True)
    # Which app's endpoint received it: removing that app in Zoom erases its waiting payloads.
    zoom_app = models.CharField(max_length=10, choices=ZoomApp.choices, default=ZoomApp.PERSONAL)
    event = models.CharField(max_length=100)
    payload = models.JSONField(default=dict, blank=True)
    # When Zoom says it happened (the envelope's `event_ts`): late deliveries are ordered by it.
    occurred_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["outcome", "received_at"])]

    def __str__(self) -> str:
        return f"{self.event} ({self.get_outcome_display()})"

    def mark_processed(self, outcome: "ZoomWebhookEvent.Outcome", note: str = "") -> None:
        self.outcome = outcome
        self.note = note[:300]
        self.processed_at = timezone.now()
        self.payload = {}
        self.save(update_fields=["outcome", "note", "processed_at", "payload"])
