"""Where a booking's Zoom meeting stands: the state, the fields that hold it, and every transition.

`ZoomLink` is an abstract model the booking inherits: its fields are columns of the booking's own
table, its index and constraints the booking's. The transitions change the row in memory; the
services and the worker (`links`) save them inside their transactions. They read what every
booking has: `is_zoom`, `is_cancelled`, `end_at`.

Nothing here talks to Zoom or imports the Zoom integration: `meetings.models` builds on it.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class LinkState(models.TextChoices):
    """Where the booking's Zoom meeting stands. Non-Zoom bookings are "not needed" from birth."""

    NOT_NEEDED = "not_needed", "No Zoom link needed"
    PENDING = "pending", "Preparing the Zoom link"
    READY = "ready", "Zoom link ready"
    WAITING_FOR_RECONNECT = "waiting_for_reconnect", "Waiting for the rep to reconnect Zoom"
    FAILED = "failed", "Zoom link failed"
    REMOVING = "removing", "Removing the Zoom meeting"
    REMOVED = "removed", "Zoom meeting removed"


class ZoomChain(models.TextChoices):
    """Which Zoom authorization made a booking's meeting: only that one may move or delete it, and
    removing that app in Zoom erases the meeting's details (and nothing of the other's)."""

    PERSONAL = "personal", "The rep's own Zoom connection"
    COMPANY = "company", "The company's Zoom account"


class ZoomLinkQuerySet(models.QuerySet):
    def make_zoom_work_due_now(self, booking_id: int) -> None:
        """A booking whose Zoom work was announced but never reached a worker (broker down) is
        due for the sweeper now rather than after its grace."""
        now = timezone.now()
        self.filter(
            pk=booking_id,
            link_state__in=[LinkState.PENDING, LinkState.REMOVING],
            link_next_attempt_at__gt=now,
        ).update(link_next_attempt_at=now)


class ZoomLink(models.Model):
    """A booking's Zoom meeting. `start_url` is deliberately absent: it carries the host key, so it
    is fetched from Zoom when the host asks for it and never stored."""

    link_state = models.CharField(max_length=24, choices=LinkState.choices)
    link_attempts = models.PositiveIntegerField(default=0)
    link_last_error = models.TextField(blank=True)
    link_next_attempt_at = models.DateTimeField(null=True, blank=True)
    # A worker holds the booking's Zoom work until then; an expired lease means the worker died.
    link_lease_until = models.DateTimeField(null=True, blank=True)
    # When the link last became ready (set with the state, so it times the pipeline exactly).
    link_ready_at = models.DateTimeField(null=True, blank=True)
    # A create was sent whose answer was never recorded (a timeout, a 5xx, a worker that died):
    # the meeting may exist in Zoom, so the next run looks for it before creating. A refusal
    # (a 429, a 4xx) means nothing was created and leaves this as it was.
    zoom_create_in_doubt = models.BooleanField(default=False)
    zoom_meeting_id = models.CharField(max_length=32, blank=True)
    # Set with the meeting, cleared with it: a rep can be served by both chains over a booking's
    # life, and the one used today for new meetings may not be the one that made this one.
    zoom_chain = models.CharField(
        "Zoom meeting made by", max_length=10, choices=ZoomChain.choices, blank=True
    )
    zoom_join_url = models.URLField(max_length=2000, blank=True)
    zoom_passcode = models.CharField(max_length=32, blank=True)
    # Phone participants key in Zoom's numeric `pstn_password`, never the alphanumeric passcode.
    zoom_phone_passcode = models.CharField(max_length=32, blank=True)
    zoom_dial_in = models.JSONField(default=list, blank=True)
    # What the host did to the meeting inside Zoom (webhooks), for the rep to see and act on.
    zoom_changed_at = models.DateTimeField(null=True, blank=True)
    zoom_change_note = models.CharField(max_length=300, blank=True)

    # All that the transitions below write (the worker saves just these; a full row is ~40
    # columns on the hottest write path).
    ZOOM_LINK_FIELDS = (
        "link_state",
        "link_attempts",
        "link_lease_until",
        "link_next_attempt_at",
        "link_last_error",
        "link_ready_at",
        "zoom_create_in_doubt",
        "zoom_meeting_id",
        "zoom_chain",
        "zoom_join_url",
        "zoom_passcode",
        "zoom_phone_passcode",
        "zoom_dial_in",
        "zoom_changed_at",
        "zoom_change_note",
        "updated_at",
    )

    class Meta:
        abstract = True
        indexes = [
            models.Index(fields=["link_state", "link_next_attempt_at"], name="booking_link_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(link_state=LinkState.READY) | ~Q(zoom_join_url=""),
                name="booking_ready_has_join_url",
            ),
            models.CheckConstraint(
                condition=Q(zoom_meeting_id="") | Q(zoom_chain__in=ZoomChain.values),
                name="booking_meeting_has_chain",
            ),
        ]

    # Reads ------------------------------------------------------------------------------------

    @property
    def link_is_settling(self) -> bool:
        """The guest should keep waiting: a link is being created or refreshed."""
        return self.link_state == LinkState.PENDING

    # Transitions ------------------------------------------------------------------------------

    def start_link(self, sweep_after) -> None:
        """A new booking: Zoom bookings wait for their link (due for the sweeper at
        `sweep_after`, should their first run never start), others need none."""
        if self.is_zoom:
            self.link_state = LinkState.PENDING
            self.link_next_attempt_at = sweep_after
        else:
            self.link_state = LinkState.NOT_NEEDED

    def begin_zoom_work(self, lease_until) -> bool:
        """Claims the Zoom work; returns whether an earlier run may have created a meeting that
        was never recorded (the caller looks for it before creating)."""
        in_doubt = self.zoom_create_in_doubt
        self.link_attempts += 1
        self.link_lease_until = lease_until
        # If this worker dies, the booking is due again when the lease runs out.
        self.link_next_attempt_at = lease_until
        if self.link_state == LinkState.PENDING:
            # Until this run records Zoom's answer, what it asks for may exist unrecorded.
            self.zoom_create_in_doubt = True
        return in_doubt

    def record_zoom_refusal(self, was_in_doubt: bool) -> None:
        """Zoom refused this run's request (a 429, a 4xx): it created nothing, so the doubt is
        what it was before the run."""
        self.zoom_create_in_doubt = was_in_doubt

    def mark_link_ready(self, meeting, chain: ZoomChain, *, moved: bool = False) -> None:
        """The meeting, made (or found) through `chain`, is stored. `moved`: the booking was
        rescheduled while Zoom answered."""
        # Zoom matches the booking again, so an earlier change made inside Zoom no longer applies.
        self.zoom_changed_at = None
        self.zoom_change_note = ""
        self.zoom_meeting_id = meeting.id
        self.zoom_chain = chain
        self.zoom_join_url = meeting.join_url
        self.zoom_passcode = meeting.passcode
        self.zoom_phone_passcode = meeting.phone_passcode
        self.zoom_dial_in = meeting.dial_in
        self.link_state = LinkState.READY
        self.link_ready_at = timezone.now()
        self.zoom_create_in_doubt = False
        self.link_last_error = ""
        self.link_next_attempt_at = None
        self.link_lease_until = None
        if self.is_cancelled:
            # Cancelled while the meeting was being created: delete what was just made.
            self.link_state = LinkState.REMOVING
            self.link_next_attempt_at = timezone.now()
        elif moved:
            # PATCH the meeting to the new time.
            self.link_state = LinkState.PENDING
            self.link_next_attempt_at = timezone.now()

    def retry_link(self) -> bool:
        """A failed or parked link goes back in line now (the rep's or an admin's "Try
        again"); False when it is neither."""
        if self.link_state not in (LinkState.FAILED, LinkState.WAITING_FOR_RECONNECT):
            return False
        self.link_state = LinkState.REMOVING if self.is_cancelled else LinkState.PENDING
        self.link_attempts = 0
        self.link_next_attempt_at = timezone.now()
        return True

    def mark_link_retry(self, error: str, next_attempt_at) -> None:
        self.link_state = LinkState.REMOVING if self.is_cancelled else LinkState.PENDING
        self.link_last_error = error[:2000]
        self.link_next_attempt_at = next_attempt_at
        self.link_lease_until = None

    def mark_link_waiting_for_reconnect(self, error: str) -> None:
        self.link_state = LinkState.WAITING_FOR_RECONNECT
        self.link_last_error = error[:2000]
        self.link_next_attempt_at = None
        self.link_lease_until = None

    def mark_link_failed(self, reason: str) -> None:
        self.link_state = LinkState.FAILED
        self.link_last_error = reason[:2000]
        self.link_next_attempt_at = None
        self.link_lease_until = None

    def mark_link_in_doubt(self, reason: str) -> None:
        """A create whose answer was lost may have made the meeting and nobody can look: failed,
        still in doubt, so nothing creates again until the meeting turns up (`meeting.created`)
        or the rep, told why, creates a new one (`create_link_anew`)."""
        self.mark_link_failed(reason)
        self.zoom_create_in_doubt = True

    @property
    def link_in_doubt(self) -> bool:
        return self.link_state == LinkState.FAILED and self.zoom_create_in_doubt

    def create_link_anew(self) -> bool:
        """The rep found no meeting in Zoom for a booking in doubt: the next run creates one
        without looking. False when the booking is not in doubt."""
        if not self.link_in_doubt or self.is_cancelled:
            return False
        self.zoom_create_in_doubt = False
        return self.retry_link()

    def record_zoom_change(self, note: str) -> None:
        self.zoom_changed_at = timezone.now()
        self.zoom_change_note = note[:300]

    def mark_deleted_in_zoom(self) -> None:
        """The host deleted the meeting inside Zoom: its link is dead; the rep decides what next."""
        self.record_zoom_change(
            "The host deleted this meeting in Zoom. Create a new link, or cancel the booking."
        )
        self.link_state = LinkState.FAILED
        self.link_last_error = "Deleted in Zoom by the host."
        self._forget_zoom_meeting()
        self.link_next_attempt_at = None
        self.link_lease_until = None

    def forget_zoom_meeting(self, reason: str) -> None:
        """The Zoom authorization that made the meeting is gone (removed in Zoom): every Zoom value
        goes, and the booking waits for a Zoom connection (a cancelled one has nothing to wait
        for: its meeting is gone with the authorization's data)."""
        self._forget_zoom_meeting()
        self.zoom_changed_at = None
        self.zoom_change_note = ""
        if self.is_cancelled:
            self.mark_zoom_removed()
        else:
            self.mark_link_waiting_for_reconnect(reason)

    def mark_zoom_removed(self) -> None:
        self.link_state = LinkState.REMOVED
        self.zoom_create_in_doubt = False
        self.zoom_join_url = ""
        self.zoom_passcode = ""
        self.zoom_phone_passcode = ""
        self.zoom_dial_in = []
        self.link_last_error = ""
        self.link_next_attempt_at = None
        self.link_lease_until = None

    def erase_zoom_data(self, reason: str) -> None:
        """The Zoom app that made the meeting was removed: every value Zoom gave us goes
        (Marketplace data rules); the booking stays. A booking still ahead waits for a Zoom
        connection; one that is over or cancelled needs nothing more."""
        self._forget_zoom_meeting()
        self.zoom_changed_at = None
        self.zoom_change_note = ""
        self.link_lease_until = None
        self.link_next_attempt_at = None
        if self.is_cancelled or self.end_at <= timezone.now():
            self.link_state = LinkState.REMOVED
            self.link_last_error = ""
        else:
            self.link_state = LinkState.WAITING_FOR_RECONNECT
            self.link_last_error = reason[:2000]
            # Removing the app in Zoom does not delete its meetings, and the prospects' invites
            # point at them: the next run looks for the one carrying this booking's reference
            # (ours, in the agenda) and adopts it; only a meeting that is really gone is made anew.
            self.zoom_create_in_doubt = True

    def _forget_zoom_meeting(self) -> None:
        self.zoom_meeting_id = ""
        self.zoom_chain = ""
        self.zoom_join_url = ""
        self.zoom_passcode = ""
        self.zoom_phone_passcode = ""
        self.zoom_dial_in = []

    def reschedule_link(self) -> None:
        """The booking moved: the existing meeting is PATCHed (or recreated) by the same background
        work, which counts its attempts afresh."""
        self.link_state = LinkState.PENDING
        self.link_attempts = 0
        self.link_next_attempt_at = timezone.now()
        self.link_last_error = ""

    def start_link_for_new_host(self) -> None:
        """The booking went to another host: its meeting (the former host's, removed apart from
        the booking) is forgotten, and the new host's is made by the same background work, its
        attempts counted afresh."""
        self._forget_zoom_meeting()
        self.zoom_changed_at = None
        self.zoom_change_note = ""
        self.zoom_create_in_doubt = False
        self.link_state = LinkState.PENDING
        self.link_attempts = 0
        self.link_lease_until = None
        self.link_next_attempt_at = timezone.now()
        self.link_last_error = ""

    def cancel_link(self) -> None:
        """The booking is cancelled: its meeting goes, or there is nothing to remove."""
        if self.zoom_meeting_id or self.link_lease_until or self.zoom_create_in_doubt:
            # A meeting exists, or a worker may be creating one right now, or an earlier
            # create's answer never came: remove it.
            self.link_state = LinkState.REMOVING
            self.link_next_attempt_at = timezone.now()
            self.link_attempts = 0
        else:
            self.link_state = LinkState.REMOVED
            self.link_next_attempt_at = None
