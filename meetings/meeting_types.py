"""What a prospect can book: a Meeting Type (length, place, weekly hours, invite wording), its
choices and limits."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.fields import own_rep
from config.timestamps import timestamps

from .reminders import default_reminders

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


def _days_field(label: str, default: int, help_text: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HORIZON_DAYS)],
        help_text=help_text,
    )


def _in_use_by_types(model: str, **options) -> models.ForeignKey:
    """What a Meeting Type may have (a team, a schedule), kept while a type has it."""
    return models.ForeignKey(
        model,
        on_delete=models.PROTECT,
        related_name="meeting_types",
        null=True,
        blank=True,
        **options,
    )


class Distribution(models.TextChoices):
    """How a team Meeting Type picks the member who hosts a booking (`teams.ranking`)."""

    ROUND_ROBIN = "round_robin", "Round robin: fewest bookings first"
    FIRST_AVAILABLE = "first_available", "First available: highest priority first"


class MeetingType(models.Model):
    """What a prospect can book: length, place, weekly hours, invite wording. A rep's own (`rep`),
    or a team's (`team`), whose bookings go to one of its members."""

    rep = own_rep("meeting_types")
    team = _in_use_by_types("teams.Team")
    distribution = models.CharField(
        max_length=20,
        choices=Distribution.choices,
        blank=True,
        help_text="Team Meeting Types only: who of the members takes a booking.",
    )
    distribution_window_days = _days_field(
        "round robin window (days)",
        30,
        "Round robin counts each member's bookings of this type made in these last days.",
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
    schedule = _in_use_by_types("meetings.AvailabilitySchedule", verbose_name="availability")
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
    horizon_days = _days_field("booking horizon (days)", 56, "How far ahead prospects may book.")

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

    created_at, updated_at = timestamps()

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
