"""What became of a booked meeting: held, the guest or the host not there, or unknown, with the
times, where it came from, and whether its follow-ups went out.

The evidence kept is the least that decides it (times, a count, whether the guest came): never
names or emails. It came from Zoom, so it goes with the rest of a rep's Zoom data when Zoom tells
us to erase it; the outcome itself is our conclusion and stays with the booking.
"""

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.fields import done_by
from config.timestamps import timestamps

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
    corrected_by = done_by(
        help_text="Who marked the outcome by hand (it then wins over what Zoom says later)."
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
    # Someone other than the host first waited for the host or in the waiting room (evidence),
    # and since when someone is waiting now with the host not in the meeting (the alert's clock;
    # cleared when the host comes or the guest stops waiting).
    guest_waited_at = models.DateTimeField(null=True, blank=True)
    guest_waiting_since = models.DateTimeField(null=True, blank=True)
    # Zoom said a meeting never ran (its participant list: "not held" once the host was due).
    never_started = models.BooleanField(default=False)
    # The meeting ran and Zoom's participant list named nobody: one person came, unnamed.
    lone_participant = models.BooleanField(default=False)

    # The after-meeting check (Zoom's participant list): when it is due, how often it ran, and
    # why Zoom could not tell (shown to the rep; e.g. a scope the grant lacks).
    check_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    check_attempts = models.PositiveSmallIntegerField(default=0)
    # When the check was done for good (the list was read, or Zoom cannot give it).
    checked_at = models.DateTimeField(null=True, blank=True)
    unavailable_reason = models.CharField(max_length=300, blank=True)

    # Follow-ups, each sent once: the guest's "sorry we missed you", the rep's "guest waiting".
    no_show_email_sent_at = models.DateTimeField(null=True, blank=True)
    host_absent_alert_sent_at = models.DateTimeField(null=True, blank=True)

    created_at, updated_at = timestamps()

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
    def holds_zoom_data(self) -> bool:
        return bool(
            self.meeting_started_at
            or self.meeting_ended_at
            or self.host_joined_at
            or self.guest_joined_at
            or self.guest_waited_at
            or self.joined_keys
            or self.never_started
            or self.lone_participant
        )

    @property
    def is_settled(self) -> bool:
        """Sure enough to tell the guest: the rep marked it, or the check after the meeting ran
        (Zoom's list was read, or cannot be). Until then a late or lost event may still turn a
        no-show from the events into a held meeting."""
        return self.source == Source.REP or self.checked_at is not None

    @property
    def host_in_meeting(self) -> bool:
        joined, left = self.host_last_joined_at, self.host_last_left_at
        return joined is not None and (left is None or joined > left)

    def evidence(self, *, guest_may_start: bool) -> Evidence:
        return Evidence(
            host_joined=self.host_joined_at is not None,
            others_joined=self.others_joined,
            guest_waited=self.guest_waited_at is not None,
            meeting_started=False
            if self.never_started
            else (True if self.meeting_started_at or self.lone_participant else None),
            lone_participant=self.lone_participant,
            guest_may_start=guest_may_start,
        )

    # Transitions ------------------------------------------------------------------------------

    def decide(self, outcome: Outcome, source: Source, at: datetime) -> bool:
        """Records what Zoom shows; the rep's own marking is never overwritten, and the same
        outcome again keeps its source and time. Returns whether the outcome changed."""
        if self.is_corrected and source != Source.REP:
            return False
        if outcome == self.outcome and source != Source.REP:
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

    def check_again_at(self, at: datetime) -> None:
        self.check_attempts += 1
        self.check_due_at = at

    def mark_checked(self, at: datetime, *, unavailable_reason: str = "") -> None:
        self.check_attempts += 1
        self.check_due_at = None
        self.checked_at = at
        self.unavailable_reason = unavailable_reason[:300]

    def saw_participant_list(self, *, host_joined_at, others, waited: bool, ended_at) -> None:
        """Zoom's list of who came, once the meeting is over: it ran (someone came); `others`
        are (key, joined at) of the people other than the host who were in it. A list naming
        nobody means one person came, unnamed (Zoom lists nothing for a single participant)."""
        self.never_started = False
        if ended_at is not None:
            self.saw_meeting_end(ended_at)
        if host_joined_at is not None:
            self.saw_host_join(host_joined_at)
        for key, joined_at in others:
            self.saw_other_join(key, joined_at)
        if waited and self.guest_waited_at is None:
            self.guest_waited_at = self.meeting_started_at or timezone.now()
        self.lone_participant = not (host_joined_at or others or waited)

    def saw_never_started(self) -> None:
        """Zoom says the meeting was not held (its participant list, well after the end)."""
        if self.meeting_started_at is None and self.host_joined_at is None:
            self.never_started = True

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
        if self.host_in_meeting:
            self.guest_waiting_since = None
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
        """Someone other than the host waits (for the host, in the waiting room, or alone in a
        meeting they could start): the alert's clock runs while the host is not in."""
        if self.guest_waited_at is None or at < self.guest_waited_at:
            self.guest_waited_at = at
        if not self.host_in_meeting and self.guest_waiting_since is None:
            self.guest_waiting_since = at

    def saw_guest_stop_waiting(self) -> None:
        self.guest_waiting_since = None

    def host_absent_for(self, now: datetime):
        """How long a guest has waited without the host (None: nobody is waiting now)."""
        if self.guest_waiting_since is None or self.host_in_meeting or self.meeting_ended_at:
            return None
        return now - self.guest_waiting_since

    def mark_host_absent_alert_sent(self, at: datetime) -> None:
        self.host_absent_alert_sent_at = at

    def mark_no_show_email_sent(self, at: datetime) -> None:
        self.no_show_email_sent_at = at

    def erase_zoom_data(self) -> None:
        """Forgets every value that came from Zoom (the outcome and its follow-ups stay)."""
        for name in (
            "meeting_started_at",
            "meeting_ended_at",
            "host_joined_at",
            "host_last_joined_at",
            "host_last_left_at",
            "guest_joined_at",
            "guest_waited_at",
            "guest_waiting_since",
        ):
            setattr(self, name, None)
        self.others_joined = 0
        self.joined_keys = []
        self.never_started = False
        self.lone_participant = False
        self.check_due_at = None
        self.unavailable_reason = ""
