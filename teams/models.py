"""Teams of reps, the members of a team's Meeting Types, and why a member was passed over."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.models import validate_time_zone
from meetings.meeting_types import MeetingType


class Team(models.Model):
    """Reps grouped by an admin; the team's Meeting Types book one of its members."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=60, unique=True, help_text="The team's part of its booking links: /team/<slug>/…"
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Booking pages show times in this zone until the visitor's own is known.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        permissions = [
            ("reassign_team_booking", "Can reassign the upcoming bookings of a team"),
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "rep__email"]
        constraints = [
            models.UniqueConstraint(fields=["team", "rep"], name="team_member_once_per_team"),
        ]

    def __str__(self) -> str:
        return f"{self.rep} in {self.team}"


class Priority(models.IntegerChoices):
    LOWEST = 0, "Lowest"
    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"
    HIGHEST = 4, "Highest"


DEFAULT_WEIGHT = 100
MAX_WEIGHT = 1000


class MeetingTypeMember(models.Model):
    """A team member who takes bookings of one of the team's Meeting Types. Priority breaks round
    robin ties and orders "first available"; weight is the member's share of round robin bookings
    (200 takes twice as many as 100)."""

    meeting_type = models.ForeignKey(
        "meetings.MeetingType", on_delete=models.CASCADE, related_name="members"
    )
    # Through the membership, so leaving the team takes the rep off its Meeting Types.
    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="meeting_types")
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MEDIUM)
    weight = models.PositiveSmallIntegerField(
        default=DEFAULT_WEIGHT,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WEIGHT)],
        help_text=f"Share of round robin bookings ({DEFAULT_WEIGHT} is an equal share).",
    )

    class Meta:
        ordering = ["meeting_type", "-priority", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting_type", "member"], name="meeting_type_member_once"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=MAX_WEIGHT),
                name="meeting_type_member_weight_in_range",
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values),
                name="meeting_type_member_priority_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member.rep} on {self.meeting_type}"

    def clean(self):
        # A database constraint cannot compare two rows' teams; every form goes through here.
        if not (self.meeting_type_id and self.member_id):
            return
        if self.meeting_type.team_id != self.member.team_id:
            raise ValidationError("Only members of the Meeting Type's team can take its bookings.")


class TeamMeetingTypeManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(team__isnull=False)


class TeamMeetingType(MeetingType):
    """Team Meeting Types on their own in the admin, with their members."""

    objects = TeamMeetingTypeManager()

    class Meta:
        proxy = True
        verbose_name = "team Meeting Type"


class SkipReason(models.TextChoices):
    BUSY = "busy", "Busy at that time"
    BOOKING_LIMIT = "booking_limit", "Public booking limit reached"
    ZOOM_BROKEN = "zoom_broken", "Zoom not connected or needs reconnecting"
    ZOOM_NOT_SERVED = "zoom_not_served", "Not served by the company's Zoom account"
    ZOOM_ALLOWANCE = "zoom_allowance", "Daily Zoom allowance used up"


class AssignmentSkip(models.Model):
    """A member passed over when a team booking was assigned: one ranked ahead of the host who was
    busy, or one whose Zoom (or booking limit) could not take it. `booking` is the booking that
    went to someone else, empty when nobody could take the time."""

    meeting_type = models.ForeignKey(
        "meetings.MeetingType", on_delete=models.CASCADE, related_name="assignment_skips"
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignment_skips"
    )
    reason = models.CharField(max_length=20, choices=SkipReason.choices)
    slot_start = models.DateTimeField()
    booking = models.ForeignKey(
        "meetings.Booking",
        on_delete=models.SET_NULL,
        related_name="assignment_skips",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["meeting_type", "created_at"], name="skip_type_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=SkipReason.values), name="assignment_skip_reason_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rep} skipped ({self.get_reason_display()})"
