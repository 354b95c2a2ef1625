"""Reads: a booking's outcome in the words pages show, the guests waiting for their rep now, and
held and no-show rates per rep and per Meeting Type."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from integrations.zoom.connection.hosts import zoom_host_for
from meetings.models import Booking

from .models import MeetingOutcome, Source
from .rules import Outcome
from .services import CHECK_WINDOW
from .zoom.check import missing_scope, scope_needed

_TONES = {
    Outcome.HELD: "ok",
    Outcome.GUEST_NO_SHOW: "bad",
    Outcome.HOST_NO_SHOW: "bad",
    Outcome.UNKNOWN: "idle",
}
_SOURCES = {
    Source.EVENTS: "from Zoom",
    Source.PARTICIPANTS: "from Zoom's list of who joined",
    Source.REP: "marked by you",
}


@dataclass(frozen=True)
class OutcomeView:
    label: str
    tone: str  # ok, warn, bad, idle: the badge's colour
    note: str = ""
    # The rep may mark it (the meeting has started and was not cancelled).
    markable: bool = False
    record: MeetingOutcome | None = None


def outcome_of(
    booking: Booking, now: datetime | None = None, *, scope_missing: str = ""
) -> OutcomeView | None:
    """What to show about the booking's outcome; None before the meeting or when cancelled.
    Reads `booking.outcome` (select_related("outcome") to list many). `scope_missing`: what the
    rep's grant lacks for Zoom's list of who joined (`list_unavailable_reason`), said at once
    rather than after the check finds it out."""
    now = now or timezone.now()
    if booking.is_cancelled or booking.start_at > now:
        return None
    try:
        record = booking.outcome
    except MeetingOutcome.DoesNotExist:
        record = None
    unavailable = (record.unavailable_reason if record else "") or (
        scope_missing if booking.is_zoom and booking.zoom_meeting_id else ""
    )
    if record is not None and record.is_decided:
        source = "marked by you" if record.source == Source.REP else _SOURCES[record.source]
        if record.outcome == Outcome.UNKNOWN and record.source != Source.REP and unavailable:
            # Zoom's events could not tell: say what would let Zoom's list tell.
            source = unavailable
        return OutcomeView(
            record.get_outcome_display(), _TONES[record.outcome], source, True, record
        )
    if booking.end_at > now:
        if record is not None and record.host_absent_for(now) is not None:
            return OutcomeView("Guest waiting for you", "warn", "", False, record)
        return None
    if unavailable:
        return OutcomeView("Outcome unavailable", "warn", unavailable, True, record)
    if booking.is_zoom and booking.zoom_meeting_id and now - booking.end_at < CHECK_WINDOW:
        return OutcomeView("Asking Zoom…", "idle", "Zoom's answer comes soon after the end.", True)
    return OutcomeView("Not marked", "idle", "", True, record)


def list_unavailable_reason(rep) -> str:
    """Why Zoom's list of who joined cannot be read for the rep's meetings (the scope their
    grant lacks, in its family), or empty: it can, or Zoom is not connected (which the pages
    say elsewhere)."""
    host = zoom_host_for(rep, with_tokens=False)
    if host is None or not host.is_usable:
        return ""
    scope = missing_scope(host)
    return scope_needed(scope) if scope else ""


def guests_waiting_for(rep, now: datetime | None = None) -> list[Booking]:
    """The rep's meetings where a guest has waited past the Meeting Type's alert, without the
    rep (the dashboard's banner; the rep was emailed too)."""
    now = now or timezone.now()
    waiting = (
        Booking.objects.active()
        .filter(
            rep=rep,
            start_at__lte=now + timedelta(minutes=30),
            end_at__gt=now,
            outcome__guest_waiting_since__isnull=False,
            outcome__meeting_ended_at__isnull=True,
        )
        .select_related("outcome", "meeting_type")
        .order_by("start_at")
    )
    return [
        booking
        for booking in waiting
        if (waited := booking.outcome.host_absent_for(now)) is not None
        and waited >= timedelta(minutes=booking.meeting_type.host_absent_alert_minutes)
    ]


@dataclass(frozen=True)
class Rates:
    held: int
    guest_no_show: int
    host_no_show: int
    unknown: int

    @property
    def decided(self) -> int:
        return self.held + self.guest_no_show + self.host_no_show

    def _share(self, count: int) -> float | None:
        return count / self.decided if self.decided else None

    @property
    def held_rate(self) -> float | None:
        return self._share(self.held)

    @property
    def guest_no_show_rate(self) -> float | None:
        return self._share(self.guest_no_show)

    @property
    def host_no_show_rate(self) -> float | None:
        return self._share(self.host_no_show)


def _counts() -> dict:
    return {
        name: Count("pk", filter=Q(outcome__outcome=value))
        for name, value in (
            ("held", Outcome.HELD),
            ("guest_no_show", Outcome.GUEST_NO_SHOW),
            ("host_no_show", Outcome.HOST_NO_SHOW),
            ("unknown", Outcome.UNKNOWN),
        )
    }


def _decided_bookings(since: datetime) -> QuerySet[Booking]:
    return Booking.objects.filter(start_at__gte=since, outcome__isnull=False).exclude(
        outcome__outcome=""
    )


def rates_per_rep(since: datetime) -> list[tuple[str, Rates]]:
    """(rep's name, rates) for every rep with a decided meeting since `since`, busiest first."""
    rows = (
        _decided_bookings(since)
        .values("rep__first_name", "rep__last_name", "rep__email")
        .annotate(total=Count("pk"), **_counts())
        .order_by("-total", "rep__email")
    )
    return [
        (
            f"{row['rep__first_name']} {row['rep__last_name']}".strip() or row["rep__email"],
            Rates(row["held"], row["guest_no_show"], row["host_no_show"], row["unknown"]),
        )
        for row in rows
    ]


def rates_per_meeting_type(since: datetime) -> list[tuple[str, Rates]]:
    """(Meeting Type's name and owner, rates), busiest first."""
    rows = (
        _decided_bookings(since)
        .values(
            "meeting_type_id",
            "meeting_type__name",
            "meeting_type__rep__email",
            "meeting_type__team__name",
        )
        .annotate(total=Count("pk"), **_counts())
        .order_by("-total", "meeting_type__name")
    )
    return [
        (
            f"{row['meeting_type__name']} "
            f"({row['meeting_type__rep__email'] or row['meeting_type__team__name']})",
            Rates(row["held"], row["guest_no_show"], row["host_no_show"], row["unknown"]),
        )
        for row in rows
    ]
