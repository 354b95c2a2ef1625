"""What became of a booked meeting: held, the guest or the host not there, or unknown, with the
times, where it came from, and whether its follow-ups went out.

The evidence kept is the least that decides it (times, a count, whether the guest came): never
names or emails. It came from Zoom, so it goes with the rest of a rep's Zoom data when Zoom tells
us to erase it; the outcome itself is our conclusion and stays with the booking.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from .rules import Evidence, Outcome


class Source(models.TextChoices):
    EVENTS = "events", "Zoom's meeting events"
    PARTICIPANTS = "participants", "Zoom's participant list"
    REP = "rep", "Marked by the rep"


class MeetingOutcome(models.Model):
    booking = models.OneToOneField(
        "meetings.Booking", on_delete=models.CASCADE, primary_key=True, related_name="outcome"
    )
    # Empty until decided.
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who marked the outcome by hand (it then wins over what Zoom says later).",
    )

    # What Zoom said about the meeting.
    meeting_started_at = models.DateTimeField(null=True, blank=True)
    meeting_ended_at = models.DateTimeField(null=True, blank=True)
    host_joined_at = models.DateTimeField(null=True, blank=True)
    # The host's latest join and leave, whatever order Zoom's events arrive in: the host is in
    # the meeting when the join is the later of the two.
    host_last_joined_at = models.DateTimeField(null=True, blank=True)
    host_last_left_at = models.DateTimeField(null=True, blank=True)
    guest_joined_at = models.DateTimeField(null=True, blank=True)
    # People other than the host who joined, each counted once (by a keyed hash of Zoom's
    # per-meeting participant id, in `joined_keys`: never their name or email).
    others_joined = models.PositiveSmallIntegerField(default=0)
    joined_keys = models.JSONField(default=list, blank=True)
    # Someone other than the host waited for the host or in the waiting room, since then.
    guest_waiting_since = models.DateTimeField(null=True, blank=True)
    # Zoom said a meeting never ran (its participant list: "not held" once the host was due).
    never_started = models.BooleanField(default=False)
    # The meeting ran and Zoom's participant list named nobody: one person came, unnamed.
    lone_participant = models.BooleanField(default=False)

    # The after-meeting check (Zoom's participant list): when it is due, how often it ran, and
    # why Zoom could not tell (shown to the rep; e.g. a scope the grant lacks).
    check_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    check_attempts = models.PositiveSmallIntegerField(default=0)
    unavailable_reason = models.CharField(max_length=300, blank=True)

    # Follow-ups, each sent once: the guest's "sorry we missed you", the rep's "guest waiting".
    no_show_email_sent_at = models.DateTimeField(null=True, blank=True)
    host_absent_alert_sent_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome="") & Q(source="") & Q(decided_at__isnull=True))
                | (~Q(outcome="") & ~Q(source="") & Q(decided_at__isnull=False)),
                name="outcome_decided_with_source_and_time",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["", *Outcome.values]), name="outcome_known"
            ),
            models.CheckConstraint(
                condition=Q(source__in=["", *Source.values]), name="outcome_source_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display() or 'Undecided'} (booking {self.booking_id})"

    # Reads ------------------------------------------------------------------------------------

    @property
    def is_decided(self) -> bool:
        return bool(self.outcome)

    @property
    def is_corrected(self) -> bool:
        return self.source == Source.REP

    @property
    def host_in_meeting(self) -> bool:
        joined, left = self.host_last_joined_at, self.host_last_left_at
        return joined is not None and (left is None or joined > left)

    def evidence(self, *, guest_may_start: bool) -> Evidence:
        return Evidence(
            host_joined=self.host_joined_at is not None,
            others_joined=self.others_joined,
            guest_waited=self.guest_waiting_since is not None,
            meeting_started=False
            if self.never_started
            else (True if self.meeting_started_at or self.lone_participant else None),
            lone_participant=self.lone_participant,
            guest_may_start=guest_may_start,
        )

    # Transitions ------------------------------------------------------------------------------

    def decide(self, outcome: Outcome, source: Source, at: datetime) -> bool:
        """Records what Zoom shows; the rep's own marking is never overwritten. Returns whether
        the outcome changed."""
        if self.is_corrected and source != Source.REP:
            return False
        changed = outcome != self.outcome
        self.outcome, self.source, self.decided_at = outcome, source, at
        return changed

    def correct(self, outcome: Outcome, by, at: datetime) -> bool:
        """The rep marks the outcome by hand: it wins over every later event or check."""
        changed = self.decide(outcome, Source.REP, at)
        self.corrected_by = by
        self.check_due_at = None
        return changed

    def saw_meeting_start(self, at: datetime) -> None:
        if self.meeting_started_at is None or at < self.meeting_started_at:
            self.meeting_started_at = at
        self.never_started = False

    def saw_meeting_end(self, at: datetime) -> None:
        if self.meeting_ended_at is None or at > self.meeting_ended_at:
            self.meeting_ended_at = at

    def saw_host_join(self, at: datetime) -> None:
        if self.host_joined_at is None or at < self.host_joined_at:
            self.host_joined_at = at
        if self.host_last_joined_at is None or at > self.host_last_joined_at:
            self.host_last_joined_at = at
        self.never_started = False

    def saw_host_leave(self, at: datetime) -> None:
        if self.host_last_left_at is None or at > self.host_last_left_at:
            self.host_last_left_at = at

    def saw_other_join(self, key: str, at: datetime) -> None:
        """Someone other than the host joined; `key` tells the same person's stays apart from
        others' (a keyed hash, never an identity)."""
        if self.guest_joined_at is None or at < self.guest_joined_at:
            self.guest_joined_at = at
        if key not in self.joined_keys:
            self.joined_keys = [*self.joined_keys, key]
            self.others_joined = len(self.joined_keys)
        self.never_started = False

    def saw_guest_waiting(self, at: datetime) -> None:
        if self.guest_waiting_since is None or at < self.guest_waiting_since:
            self.guest_waiting_since = at

    def erase_zoom_data(self) -> None:
        """Forgets every value that came from Zoom (the outcome and its follow-ups stay)."""
        for name in (
            "meeting_started_at",
            "meeting_ended_at",
            "host_joined_at",
            "host_last_joined_at",
            "host_last_left_at",
            "guest_joined_at",
            "guest_waiting_since",
        ):
            setattr(self, name, None)
        self.others_joined = 0
        self.joined_keys = []
        self.never_started = False
        self.lone_participant = False
        self.check_due_at = None
