"""A team booking handed from one host to another, and what became of the former host's Zoom
meeting (deleted apart from the booking, by meetings/zoom/former.py)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from accounts.fields import done_by

from .zoom.state import ZoomChain


class HostChange(models.Model):
    """A booking handed from one host to another (a team booking reassigned), and what became of
    the Zoom meeting the former host's Zoom made for it.

    The booking itself goes on at once with the new host (its link is made afresh in their Zoom);
    the former meeting is deleted apart from it, through the token chain that made it, by its own
    background work with its own lease, so a former host whose Zoom is broken never holds up the
    guest's new link. The former host's cancellation is owed while this row says they hosted.
    """

    class Removal(models.TextChoices):
        NOT_NEEDED = "not_needed", "No Zoom meeting to remove"
        PENDING = "pending", "Removing the former host's Zoom meeting"
        WAITING = "waiting", "Waiting for the former host's Zoom to work again"
        REMOVED = "removed", "Former host's Zoom meeting removed"
        FAILED = "failed", "Could not remove the former host's Zoom meeting"

    booking = models.ForeignKey(
        "meetings.Booking", on_delete=models.CASCADE, related_name="host_changes"
    )
    from_rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookings_handed_over"
    )
    to_rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookings_taken_over"
    )
    changed_by = done_by("host_changes_made")
    # The former meeting, as the booking had it: deleted through `zoom_chain` only (the chain
    # that made it). `in_doubt`: a create may have left a meeting the booking never recorded, so
    # the former host's meetings are searched for the booking's reference too.
    zoom_meeting_id = models.CharField(max_length=32, blank=True)
    zoom_chain = models.CharField(max_length=10, choices=ZoomChain.choices, blank=True)
    in_doubt = models.BooleanField(default=False)
    # The booking's invite version the change made: its invites say the host changed.
    sequence = models.PositiveIntegerField()
    removal = models.CharField(max_length=12, choices=Removal.choices)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["removal", "next_attempt_at"], name="host_change_removal_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_rep=F("to_rep")), name="host_change_to_another_rep"
            ),
            models.CheckConstraint(
                condition=Q(zoom_meeting_id="") | Q(zoom_chain__in=ZoomChain.values),
                name="host_change_meeting_has_chain",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking} from {self.from_rep} to {self.to_rep}"

    @property
    def removal_is_open(self) -> bool:
        return self.removal in (self.Removal.PENDING, self.Removal.WAITING)
