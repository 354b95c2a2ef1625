"""The Zoom admin's own records: the roster of reps (a proxy of the user, with the permissions of
the roster's actions) and the reconnect emails sent. They belong to this app, whose label their
tables, admin URLs and permission names ("integrations.check_zoom_connection", …) carry."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.fields import done_by
from accounts.models import User
from integrations.zoom.api.reasons import ReconnectReason
from integrations.zoom.connection.models import ZoomConnection
from meetings.meeting_types import MeetingType


class RosterManager(models.Manager):
    """Reps only: staff who never connected Zoom nor made a Meeting Type are admins, not reps, and
    would otherwise swell "never connected"."""

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(
                Q(is_staff=False)
                | models.Exists(ZoomConnection.objects.filter(user=models.OuterRef("pk")))
                | models.Exists(MeetingType.objects.filter(rep=models.OuterRef("pk")))
            )
        )


class ZoomRosterEntry(User):
    """A rep as the admin's Zoom roster sees them: a proxy, so every rep is listed (also those who
    never connected and so have no ZoomConnection row), under permissions of its own."""

    objects = RosterManager()

    class Meta:
        proxy = True
        verbose_name = "rep on the Zoom roster"
        verbose_name_plural = "reps on the Zoom roster"
        # Rows appear when reps sign up and connect, never through the admin: only "view".
        default_permissions = ("view",)
        permissions = [
            ("check_zoom_connection", "Can test and refresh reps' Zoom connections"),
            ("disconnect_zoom_connection", "Can disconnect reps' Zoom connections"),
            ("email_zoom_reconnect", "Can email reps a Zoom reconnect link"),
            ("export_zoom_roster", "Can export the Zoom roster"),
        ]


class ReconnectNotice(models.Model):
    """One "reconnect Zoom" email sent to a rep. The once-a-day limit is read from these rows, and
    support reads them to answer "did they get told?"."""

    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="zoom_reconnect_notices",
    )
    email = models.EmailField(help_text="The address the email went to.")
    connection_status = models.CharField(max_length=20, choices=ZoomConnection.Status.choices)
    reason = models.CharField(max_length=32, choices=ReconnectReason.choices, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    # The admin who sent it from the roster (bypassing the daily limit); empty when automatic.
    sent_by = done_by()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["rep", "-sent_at"], name="reconnect_notice_rep_sent")]

    def __str__(self) -> str:
        return f"Reconnect email to {self.email} at {self.sent_at:%Y-%m-%d %H:%M}Z"
