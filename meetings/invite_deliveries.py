"""The record of each calendar invite sent: one row per person and version of a booking."""

from django.db import models
from django.utils import timezone

from .zoom.state import ZoomChain


class InviteDelivery(models.Model):
    """One calendar invite sent to one person for one version (SEQUENCE) of a booking.

    Makes sending idempotent (a retried task never re-sends a version) and is the record tests and
    support read when mail leaves from a worker process.
    """

    class Method(models.TextChoices):
        REQUEST = "REQUEST", "Invitation"
        CANCEL = "CANCEL", "Cancellation"
        # Not an iTIP method: the plain "you're booked" email a Zoom booking's guest gets at once.
        CONFIRMATION = "CONFIRM", "Confirmation (Zoom details to follow)"

    class Recipient(models.TextChoices):
        GUEST = "guest", "Guest"
        REP = "rep", "Rep"
        # Someone the guest invited along (Booking.additional_guests): invites, no manage link.
        OTHER_GUEST = "other", "Other guest"

    booking = models.ForeignKey(
        "meetings.Booking", on_delete=models.CASCADE, related_name="invite_deliveries"
    )
    sequence = models.PositiveIntegerField()
    method = models.CharField(max_length=10, choices=Method.choices)
    recipient = models.CharField(max_length=10, choices=Recipient.choices)
    email = models.EmailField()
    location = models.CharField(max_length=2000, blank=True)
    # The Zoom app whose meeting's join URL `location` is ("" for other places): removing that app
    # in Zoom erases it here too.
    zoom_chain = models.CharField(max_length=10, choices=ZoomChain.choices, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name_plural = "invite deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "sequence", "method", "recipient", "email"],
                name="invite_sent_once_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method} #{self.sequence} to {self.recipient} for booking {self.booking_id}"
