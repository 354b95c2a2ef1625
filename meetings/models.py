import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.fields import done_by
from config.timestamps import timestamps

# Models of their own modules, gathered here so Django sees them: import them from their home.
from .host_changes import HostChange  # noqa: F401
from .invite_deliveries import InviteDelivery  # noqa: F401
from .meeting_types import LocationKind, MeetingType
from .questions import Question  # noqa: F401
from .reminders import ReminderDelivery, next_due  # noqa: F401
from .schedules import AvailabilitySchedule, AvailabilityWindow, DateOverride  # noqa: F401
from .zoom.state import LinkState, ZoomLink, ZoomLinkQuerySet


class BookingQuerySet(ZoomLinkQuerySet):
    def active(self):
        return self.filter(status=Booking.Status.CONFIRMED)

    def overlapping(self, start_at, end_at):
        return self.filter(start_at__lt=end_at, end_at__gt=start_at)


class Booking(ZoomLink):
    """A prospect's meeting with a rep. Location is copied from the Meeting Type when booked, so
    editing the type later never moves an existing meeting somewhere else.

    Its Zoom meeting (the link's state, fields and transitions) is `meetings.zoom.state.ZoomLink`.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        CANCELLED = "cancelled", "Cancelled"

    class Actor(models.TextChoices):
        GUEST = "guest", "The guest"
        REP = "rep", "The rep"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The host: the Meeting Type's rep, or the member a team Meeting Type assigned.
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookings"
    )
    meeting_type = models.ForeignKey(MeetingType, on_delete=models.PROTECT, related_name="bookings")
    # Who booked it from inside the app for the guest (an SDR for a teammate); empty when the
    # guest booked on the public page.
    booked_by = done_by("bookings_made")
    guest_name = models.CharField(max_length=200)
    guest_email = models.EmailField()
    guest_time_zone = models.CharField(max_length=64)
    # The guest's language (settings.LANGUAGES): their pages, emails and invites use it.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    # Emails the guest invited along: they get the invite and the join link, not the guest's
    # own link to reschedule or cancel.
    additional_guests = models.JSONField(default=list, blank=True)
    # The Meeting Type's questions as asked at booking time: [{"question": …, "answer": …}].
    answers = models.JSONField(default=list, blank=True)
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=10, choices=Actor.choices, blank=True)
    # Told to the other person in the cancellation email, if the canceller gave one.
    cancel_reason = models.TextField(blank=True, max_length=1000)
    # The start before the last reschedule, so the update email can say "moved from … to …".
    previous_start_at = models.DateTimeField(null=True, blank=True)

    location_kind = models.CharField(max_length=20, choices=LocationKind.choices)
    location_detail = models.CharField(max_length=500, blank=True)

    # Why an invite could never be delivered (a refused address), for the rep to see; the sweeper
    # does not retry it.
    invite_error = models.CharField(max_length=300, blank=True)

    # Bumped on every change a calendar must see (RFC 5545 SEQUENCE).
    invite_sequence = models.PositiveIntegerField(default=0)
    # The last version whose invites (or cancellation) went out; behind `invite_sequence` = due.
    invites_sent_sequence = models.PositiveIntegerField(null=True, blank=True)

    # Reminders (meetings.reminders): the next one is due then; none due before `reminders_from`.
    next_reminder_at = models.DateTimeField(null=True, blank=True)
    reminders_from = models.DateTimeField(null=True, blank=True)

    created_at, updated_at = timestamps()

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["start_at", "pk"]
        indexes = [
            *ZoomLink.Meta.indexes,
            models.Index(fields=["rep", "start_at"], name="booking_rep_start"),
            # The admin's list order: the first page without sorting every booking.
            models.Index(fields=["start_at", "id"], name="booking_start"),
            models.Index(
                fields=["next_reminder_at"],
                condition=Q(next_reminder_at__isnull=False),
                name="booking_reminder_due",
            ),
        ]
        constraints = [
            *ZoomLink.Meta.constraints,
            models.CheckConstraint(
                condition=Q(end_at__gt=F("start_at")), name="booking_ends_after_start"
            ),
            # Portable half of "no double booking": two confirmed bookings of one rep never share
            # a start. On PostgreSQL, migration 0002 adds an exclusion constraint that also
            # refuses overlapping times across Meeting Types.
            models.UniqueConstraint(
                fields=["rep", "start_at"],
                condition=Q(status="confirmed"),
                name="booking_one_confirmed_per_rep_start",
            ),
            models.CheckConstraint(
                condition=Q(location_kind=LocationKind.ZOOM) | Q(link_state=LinkState.NOT_NEEDED),
                name="booking_link_state_only_for_zoom",
            ),
            models.CheckConstraint(
                condition=Q(status="confirmed") | Q(cancelled_at__isnull=False),
                name="booking_cancelled_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guest_name}, {self.start_at:%Y-%m-%d %H:%M} UTC ({self.reference})"

    # Reads ------------------------------------------------------------------------------------

    @property
    def is_zoom(self) -> bool:
        return self.location_kind == LocationKind.ZOOM

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def duration_minutes(self) -> int:
        return int((self.end_at - self.start_at).total_seconds() // 60)

    @property
    def reference(self) -> str:
        """Short booking reference shown to people and written into the Zoom agenda, so a
        meeting in Zoom can be traced back to its booking."""
        return self.public_id.hex[:12].upper()

    @property
    def location_text(self) -> str:
        """Where to meet, as an invite's LOCATION: the join URL for Zoom (empty until ready)."""
        return self.zoom_join_url if self.is_zoom else self.location_detail

    # Transitions (in-memory; services save them inside their transactions) --------------------

    def mark_invite_undeliverable(self, recipient_label: str, reason: str) -> None:
        self.invite_error = f"The invite to the {recipient_label} could not be sent: {reason}"[:300]

    # What `renew_invite_for_new_link` writes besides the link.
    NEW_LINK_INVITE_FIELDS = ("invite_sequence", "previous_start_at")

    def renew_invite_for_new_link(self) -> bool:
        """The booking's meeting was made anew (the one the invites point at is gone in Zoom):
        when this version's invite went out already, a new version (same UID, next SEQUENCE)
        carries the new link. True when it did; a version still due carries it anyway."""
        sent = self.invites_sent_sequence
        if self.is_cancelled or sent is None or sent < self.invite_sequence:
            return False
        self.invite_sequence += 1
        # The time did not move: the update must not say it did.
        self.previous_start_at = None
        return True

    def move_to(self, start_at, end_at) -> None:
        self.previous_start_at = self.start_at
        self.start_at = start_at
        self.end_at = end_at
        self.invite_sequence += 1
        if self.is_zoom:
            self.reschedule_link()

    def hand_over(self, to_rep, now) -> "HostChange":
        """The booking goes to `to_rep` at the same time: everyone's calendar gets a new version,
        a Zoom booking a new meeting in the new host's Zoom. Returns the change (unsaved), which
        carries the former meeting for its own removal: one a worker may still be creating (its
        lease not yet over) or one an earlier create may have left unrecorded is searched for."""
        change = HostChange(
            booking=self,
            from_rep_id=self.rep_id,
            to_rep=to_rep,
            removal=HostChange.Removal.NOT_NEEDED,
        )
        if self.is_zoom:
            in_doubt = self.zoom_create_in_doubt or self.link_lease_until is not None
            if self.zoom_meeting_id or in_doubt:
                change.zoom_meeting_id = self.zoom_meeting_id
                change.zoom_chain = self.zoom_chain
                change.in_doubt = in_doubt
                change.removal = HostChange.Removal.PENDING
                # A create for the former host lands, if at all, before its lease ends.
                change.next_attempt_at = max(now, self.link_lease_until or now)
            self.start_link_for_new_host()
        self.rep = to_rep
        # The time did not move: the update must not say it did.
        self.previous_start_at = None
        self.invite_sequence += 1
        change.sequence = self.invite_sequence
        return change

    def cancel(self, by: "Booking.Actor", reason: str = "") -> None:
        self.status = self.Status.CANCELLED
        self.cancelled_at = timezone.now()
        self.cancelled_by = by
        self.cancel_reason = reason.strip()[:1000]
        self.invite_sequence += 1
        if self.is_zoom:
            self.cancel_link()
        self.next_reminder_at = None

    def plan_reminders(self, now) -> None:
        """Reminders for the current start: the type's offsets still ahead of `now` (a time booked
        or moved 3 hours ahead gets its 1-hour reminder, never a late 24-hour one)."""
        self.reminders_from = now
        self.next_reminder_at = (
            None
            if self.is_cancelled
            else next_due(self.start_at, self.meeting_type.reminder_minutes, now)
        )
