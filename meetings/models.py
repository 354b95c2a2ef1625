import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

# Models of their own modules, gathered here so Django sees them: import them from their home.
from .questions import Question  # noqa: F401
from .schedules import AvailabilitySchedule, AvailabilityWindow, DateOverride  # noqa: F401

# How many people besides the guest a booking may invite (Calendly's limit too).
MAX_ADDITIONAL_GUESTS = 10

# Zoom accepts longer meetings, but a sales meeting longer than a working day is a typo.
MIN_DURATION_MINUTES = 5
MAX_DURATION_MINUTES = 8 * 60
MAX_BUFFER_MINUTES = 4 * 60
MAX_NOTICE_MINUTES = 30 * 24 * 60
MAX_HORIZON_DAYS = 365

DEFAULT_TITLE_TEMPLATE = "{{ meeting.name }}: {{ guest.name }} and {{ rep.name }}"
DEFAULT_DESCRIPTION_TEMPLATE = (
    "{{ meeting.name }} with {{ rep.name }} ({{ meeting.duration }} minutes).\n"
    "\n"
    "Join Zoom: {{ zoom.join_url }}\n"
    "Meeting ID: {{ zoom.meeting_id }}\n"
    "Passcode: {{ zoom.passcode }}\n"
    "Dial in: {{ zoom.dial_in }}\n"
    "Phone passcode: {{ zoom.phone_passcode }}"
)


class LocationKind(models.TextChoices):
    ZOOM = "zoom", "Zoom"
    PHONE = "phone", "Phone call"
    IN_PERSON = "in_person", "In person"
    CUSTOM_LINK = "custom_link", "Custom link"


class AutoRecording(models.TextChoices):
    NONE = "none", "Off"
    LOCAL = "local", "On this computer"
    CLOUD = "cloud", "In the Zoom cloud"


def _buffer_field(side: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        f"buffer {side} (minutes)",
        default=0,
        validators=[MaxValueValidator(MAX_BUFFER_MINUTES)],
        help_text=f"Free time kept {side} each meeting.",
    )


class Distribution(models.TextChoices):
    """How a team Meeting Type picks the member who hosts a booking (`teams.ranking`)."""

    ROUND_ROBIN = "round_robin", "Round robin: fewest bookings first"
    FIRST_AVAILABLE = "first_available", "First available: highest priority first"


class MeetingType(models.Model):
    """What a prospect can book: length, place, weekly hours, invite wording. A rep's own (`rep`),
    or a team's (`team`), whose bookings go to one of its members."""

    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="meeting_types",
        null=True,
        blank=True,
    )
    team = models.ForeignKey(
        "teams.Team",
        on_delete=models.PROTECT,
        related_name="meeting_types",
        null=True,
        blank=True,
    )
    distribution = models.CharField(
        max_length=20,
        choices=Distribution.choices,
        blank=True,
        help_text="Team Meeting Types only: who of the members takes a booking.",
    )
    distribution_window_days = models.PositiveSmallIntegerField(
        "round robin window (days)",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HORIZON_DAYS)],
        help_text="Round robin counts each member's bookings of this type made in these last days.",
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=60, help_text="The last part of the booking link: /book/<you>/<slug>/"
    )
    duration_minutes = models.PositiveSmallIntegerField(
        "duration (minutes)",
        validators=[
            MinValueValidator(MIN_DURATION_MINUTES),
            MaxValueValidator(MAX_DURATION_MINUTES),
        ],
    )
    description = models.TextField(blank=True, help_text="Shown to prospects on the booking page.")
    location_kind = models.CharField(
        "location", max_length=20, choices=LocationKind.choices, default=LocationKind.ZOOM
    )
    location_detail = models.CharField(
        max_length=500,
        blank=True,
        help_text="The phone number, the address or the link (not used for Zoom).",
    )
    is_active = models.BooleanField(
        "bookable", default=True, help_text="Untick to hide the booking page."
    )
    # When it can be booked: weekly hours and date overrides, shared with other types. None: no
    # hours yet (never bookable).
    schedule = models.ForeignKey(
        "meetings.AvailabilitySchedule",
        on_delete=models.PROTECT,
        related_name="meeting_types",
        null=True,
        blank=True,
        verbose_name="availability",
    )
    # Archived types leave the rep's list and take no new bookings; existing ones keep working.
    is_archived = models.BooleanField("archived", default=False)

    # Booking rules (meetings.availability.Rules).
    buffer_before_minutes = _buffer_field("before")
    buffer_after_minutes = _buffer_field("after")
    min_notice_minutes = models.PositiveIntegerField(
        "minimum notice (minutes)",
        default=60,
        validators=[MaxValueValidator(MAX_NOTICE_MINUTES)],
        help_text="How soon before a meeting prospects may still book it.",
    )
    horizon_days = models.PositiveSmallIntegerField(
        "booking horizon (days)",
        default=56,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HORIZON_DAYS)],
        help_text="How far ahead prospects may book.",
    )

    # Zoom meeting settings. A passcode is always set: without one, accounts that require a
    # security option force a waiting room on (see docs/zoom-facts.md, POST /users/me/meetings).
    zoom_waiting_room = models.BooleanField("waiting room", default=False)
    zoom_join_before_host = models.BooleanField("guests may join before the host", default=False)
    zoom_auto_recording = models.CharField(
        "automatic recording",
        max_length=10,
        choices=AutoRecording.choices,
        default=AutoRecording.NONE,
    )

    invite_title_template = models.CharField(
        "invite title", max_length=300, default=DEFAULT_TITLE_TEMPLATE
    )
    invite_description_template = models.TextField(
        "invite description", max_length=4000, default=DEFAULT_DESCRIPTION_TEMPLATE
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rep", "slug"], name="meeting_type_slug_unique_per_rep"
            ),
            models.UniqueConstraint(
                fields=["team", "slug"], name="meeting_type_slug_unique_per_team"
            ),
            # A rep's type or a team's, never both nor neither; only a team's picks a member.
            models.CheckConstraint(
                condition=(Q(rep__isnull=False) & Q(team__isnull=True) & Q(distribution=""))
                | (
                    Q(rep__isnull=True)
                    & Q(team__isnull=False)
                    & Q(distribution__in=Distribution.values)
                ),
                name="meeting_type_of_a_rep_or_a_team",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=MIN_DURATION_MINUTES)
                & Q(duration_minutes__lte=MAX_DURATION_MINUTES),
                name="meeting_type_duration_in_range",
            ),
            models.CheckConstraint(
                condition=Q(location_kind=LocationKind.ZOOM) | ~Q(location_detail=""),
                name="meeting_type_location_detail_unless_zoom",
            ),
            models.CheckConstraint(
                condition=Q(zoom_auto_recording__in=AutoRecording.values),
                name="meeting_type_auto_recording_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_zoom(self) -> bool:
        return self.location_kind == LocationKind.ZOOM

    @property
    def is_team_type(self) -> bool:
        return self.team_id is not None


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


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Booking.Status.CONFIRMED)

    def overlapping(self, start_at, end_at):
        return self.filter(start_at__lt=end_at, end_at__gt=start_at)

    def make_zoom_work_due_now(self, booking_id: int) -> None:
        """A booking whose Zoom work was announced but never reached a worker (broker down) is
        due for the sweeper now rather than after its grace."""
        now = timezone.now()
        self.filter(
            pk=booking_id,
            link_state__in=[LinkState.PENDING, LinkState.REMOVING],
            link_next_attempt_at__gt=now,
        ).update(link_next_attempt_at=now)


class Booking(models.Model):
    """A prospect's meeting with a rep. Location is copied from the Meeting Type when booked, so
    editing the type later never moves an existing meeting somewhere else."""

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
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="bookings_made",
        null=True,
        blank=True,
    )
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

    # The Zoom meeting. `start_url` is deliberately absent: it carries the host key, so it is
    # fetched from Zoom when the host asks for it and never stored.
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

    # Why an invite could never be delivered (a refused address), for the rep to see; the sweeper
    # does not retry it.
    invite_error = models.CharField(max_length=300, blank=True)

    # Bumped on every change a calendar must see (RFC 5545 SEQUENCE).
    invite_sequence = models.PositiveIntegerField(default=0)
    # The last version whose invites (or cancellation) went out; behind `invite_sequence` = due.
    invites_sent_sequence = models.PositiveIntegerField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["start_at", "pk"]
        indexes = [
            models.Index(fields=["rep", "start_at"], name="booking_rep_start"),
            models.Index(fields=["link_state", "link_next_attempt_at"], name="booking_link_due"),
            # The admin's list order: the first page without sorting every booking.
            models.Index(fields=["start_at", "id"], name="booking_start"),
        ]
        constraints = [
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
                condition=~Q(link_state=LinkState.READY) | ~Q(zoom_join_url=""),
                name="booking_ready_has_join_url",
            ),
            models.CheckConstraint(
                condition=Q(status="confirmed") | Q(cancelled_at__isnull=False),
                name="booking_cancelled_has_time",
            ),
            models.CheckConstraint(
                condition=Q(zoom_meeting_id="") | Q(zoom_chain__in=ZoomChain.values),
                name="booking_meeting_has_chain",
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

    @property
    def link_is_settling(self) -> bool:
        """The guest should keep waiting: a link is being created or refreshed."""
        return self.link_state == LinkState.PENDING

    # Transitions (in-memory; services save them inside their transactions) --------------------

    # All that the Zoom link's transitions below write (the worker saves just these; a full row
    # is ~40 columns on the hottest write path).
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

    def mark_invite_undeliverable(self, recipient_label: str, reason: str) -> None:
        self.invite_error = f"The invite to the {recipient_label} could not be sent: {reason}"[:300]

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
        self.zoom_meeting_id = ""
        self.zoom_chain = ""
        self.zoom_join_url = ""
        self.zoom_passcode = ""
        self.zoom_dial_in = []
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
        """The rep's Zoom user removed the app: every value Zoom gave us goes (Marketplace data
        rules); the booking stays. A booking still ahead waits for a reconnect, which makes it a
        new meeting; one that is over or cancelled needs nothing more."""
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

    def _forget_zoom_meeting(self) -> None:
        self.zoom_meeting_id = ""
        self.zoom_chain = ""
        self.zoom_join_url = ""
        self.zoom_passcode = ""
        self.zoom_phone_passcode = ""
        self.zoom_dial_in = []

    def move_to(self, start_at, end_at) -> None:
        self.previous_start_at = self.start_at
        self.start_at = start_at
        self.end_at = end_at
        self.invite_sequence += 1
        if self.is_zoom:
            # The existing meeting is PATCHed (or recreated) by the same background work, which
            # counts its attempts afresh.
            self.link_state = LinkState.PENDING
            self.link_attempts = 0
            self.link_next_attempt_at = timezone.now()
            self.link_last_error = ""

    def cancel(self, by: "Booking.Actor", reason: str = "") -> None:
        self.status = self.Status.CANCELLED
        self.cancelled_at = timezone.now()
        self.cancelled_by = by
        self.cancel_reason = reason.strip()[:1000]
        self.invite_sequence += 1
        if self.is_zoom:
            if self.zoom_meeting_id or self.link_lease_until or self.zoom_create_in_doubt:
                # A meeting exists, or a worker may be creating one right now, or an earlier
                # create's answer never came: remove it.
                self.link_state = LinkState.REMOVING
                self.link_next_attempt_at = timezone.now()
                self.link_attempts = 0
            else:
                self.link_state = LinkState.REMOVED
                self.link_next_attempt_at = None


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

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="invite_deliveries")
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
                fields=["booking", "sequence", "method", "recipient"],
                name="invite_sent_once_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method} #{self.sequence} to {self.recipient} for booking {self.booking_id}"
