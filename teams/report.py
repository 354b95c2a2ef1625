"""The team report: per member, the bookings the team's Meeting Types gave them over a period, how
often and why they were passed over, and the bookings reassigned away from and to them. A fixed
number of queries, whatever the team's size."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from meetings.models import Booking, HostChange

from .models import AssignmentSkip, SkipReason, Team, TeamMember


@dataclass
class MemberLine:
    rep: object
    booked: int = 0
    cancelled: int = 0
    # Bookings of the team's types reassigned in the period, away from and to the member.
    handed_over: int = 0
    taken_over: int = 0
    skips: dict = field(default_factory=dict)  # SkipReason value -> count

    @property
    def skipped(self) -> int:
        return sum(self.skips.values())

    def skips_in_order(self) -> list[int]:
        return [self.skips.get(reason, 0) for reason in SkipReason.values]


@dataclass
class TeamReport:
    team: Team
    start: datetime
    end: datetime
    lines: list[MemberLine]

    @property
    def reasons(self) -> list[str]:
        return SkipReason.labels

    @property
    def total_booked(self) -> int:
        return sum(line.booked for line in self.lines)

    @property
    def total_skipped(self) -> int:
        return sum(line.skipped for line in self.lines)


def team_report(team: Team, start: datetime, end: datetime) -> TeamReport:
    """Bookings of the team's types made in [start, end) by their host (still confirmed, or
    cancelled since), the skips recorded in it by member and reason, and the reassignments made
    in it. Former members who still
    host bookings of the period are listed after the members."""
    bookings = (
        Booking.objects.filter(meeting_type__team=team, created_at__gte=start, created_at__lt=end)
        .values("rep_id")
        .annotate(
            booked=Count("pk", filter=Q(status=Booking.Status.CONFIRMED)),
            cancelled=Count("pk", filter=Q(status=Booking.Status.CANCELLED)),
        )
        .order_by()
    )
    skips = (
        AssignmentSkip.objects.filter(
            meeting_type__team=team, created_at__gte=start, created_at__lt=end
        )
        .values("rep_id", "reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    changes = list(
        HostChange.objects.filter(
            booking__meeting_type__team=team, created_at__gte=start, created_at__lt=end
        ).values_list("from_rep_id", "to_rep_id")
    )
    lines = {
        m.rep_id: MemberLine(m.rep)
        for m in TeamMember.objects.filter(team=team).select_related("rep").order_by("rep__email")
    }
    booking_rows, skip_rows = list(bookings), list(skips)
    missing = {row["rep_id"] for row in [*booking_rows, *skip_rows]} - lines.keys()
    missing |= {rep_id for pair in changes for rep_id in pair} - lines.keys()
    if missing:
        for rep in get_user_model().objects.filter(pk__in=missing).order_by("email"):
            lines[rep.pk] = MemberLine(rep)
    for row in booking_rows:
        lines[row["rep_id"]].booked = row["booked"]
        lines[row["rep_id"]].cancelled = row["cancelled"]
    for row in skip_rows:
        lines[row["rep_id"]].skips[row["reason"]] = row["n"]
    for from_rep_id, to_rep_id in changes:
        lines[from_rep_id].handed_over += 1
        lines[to_rep_id].taken_over += 1
    return TeamReport(team, start, end, list(lines.values()))
