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


class ZoomMeetingCreated(models.Model):
    """What a `meeting.created` event said of a meeting, kept for KEEP_FOR.

    A create whose answer was lost (a timeout, a dropped connection) may have made the meeting in
    Zoom. A connection that may list its meetings finds it by the agenda's reference; one that may
    not (the help article's classic pair, where Zoom refuses the list) finds it here: Zoom sends
    this event for meetings made through the API too. The event carries no agenda (Zoom's SDK
    `zoom/rivet-javascript`, `meetings/meetings.d.ts`, `MeetingCreatedEvent`), so a meeting is
    matched by its host, topic, start time and length. Erased with its Zoom user
    (`app_deauthorized`) and pruned after KEEP_FOR.
    """

    KEEP_FOR_DAYS = 7

    meeting_id = models.CharField(max_length=32, unique=True)
    host_id = models.CharField(max_length=64, db_index=True)
    topic = models.CharField(max_length=300, blank=True)
    start_time = models.CharField(max_length=32, blank=True)
    duration = models.IntegerField(null=True, blank=True)
    join_url = models.URLField(max_length=2000, blank=True)
    password = models.CharField(max_length=32, blank=True)
    heard_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Zoom meeting {self.meeting_id} created"

    def as_meeting(self) -> dict:
        """In the shape of Zoom's meeting object, as far as the event told."""
        return {
            "id": self.meeting_id,
            "host_id": self.host_id,
            "topic": self.topic,
            "start_time": self.start_time,
            "duration": self.duration,
            "join_url": self.join_url,
            "password": self.password,
            "created_at": self.heard_at.isoformat(),
        }
