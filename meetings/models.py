import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Models of their own modules, gathered here so Django sees them: import them from their home.
from .host_changes import HostChange  # noqa: F401
from .invite_deliveries import InviteDelivery  # noqa: F401
from .questions import Question  # noqa: F401
from .reminders import ReminderDelivery, default_reminders, next_due  # noqa: F401
from .schedules import AvailabilitySchedule, AvailabilityWindow, DateOverride  # noqa: F401
from .zoom.state import LinkState, ZoomLink, ZoomLinkQuerySet

# How many people besides the guest a booking may invite (Calendly's limit too).
MAX_ADDITIONAL_GUESTS = 10

# Zoom accepts longer meetings, but a sales meeting longer than a working day is a typo.
MIN_DURATION_MINUTES = 5
MAX_DURATION_MINUTES = 8 * 60
MAX_BUFFER_MINUTES = 4 * 60
MAX_NOTICE_MINUTES = 30 * 24 * 60
MAX_HORIZON_DAYS = 365

# Marked for translation: a type that keeps them gets them in each guest's language
# (placeholders.in_language); a rep's own wording is used as written.
DEFAULT_TITLE_TEMPLATE = gettext_noop("{{ meeting.name }}: {{ guest.name }} and {{ rep.name }}")
DEFAULT_DESCRIPTION_TEMPLATE = gettext_noop(
    "{{ meeting.name }} with {{ rep.name }} ({{ meeting.duration }} minutes).\n"
    "\n"
    "Join Zoom: {{ zoom.join_url }}\n"
    "Meeting ID: {{ zoom.meeting_id }}\n"
    "Passcode: {{ zoom.passcode }}\n"
    "Dial in: {{ zoom.dial_in }}\n"
    "Phone passcode: {{ zoom.phone_passcode }}"
)


class LocationKind(models.TextChoices):
    # Guests read these in their language (booking page, emails).
    ZOOM = "zoom", _("Zoom")
    PHONE = "phone", _("Phone call")
    IN_PERSON = "in_person", _("In person")
    CUSTOM_LINK = "custom_link", _("Custom link")


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

    # What happens after (or during) the meeting, from Zoom's view of who came (outcomes/).
    no_show_email = models.BooleanField(
        "email guests who miss the meeting",
        default=False,
        help_text="A “sorry we missed you” email with a link to book again with you, sent once.",
    )
    host_absent_alert_minutes = models.PositiveSmallIntegerField(
        "alert me when a guest waits for",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Minutes a guest waits in the Zoom meeting without you before you are emailed.",
    )

    invite_title_template = models.CharField(
        "invite title", max_length=300, default=DEFAULT_TITLE_TEMPLATE
    )
    invite_description_template = models.TextField(
        "invite description", max_length=4000, default=DEFAULT_DESCRIPTION_TEMPLATE
    )
    # Minutes before the start (meetings.reminders.CHOICES) the guest, their other guests and the
    # rep are reminded.
    reminder_minutes = models.JSONField("reminders", default=default_reminders, blank=True)

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

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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
