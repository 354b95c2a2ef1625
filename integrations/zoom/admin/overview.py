"""Reads for the overview at the top of the admin index: what needs an admin today.

A fixed handful of queries, whatever the number of reps and bookings.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from meetings.models import Booking
from meetings.zoom.state import LinkState

from . import roster

# A Zoom link normally arrives within seconds of booking. A pending booking nobody touched for this
# long (its work was lost or is backing off), or one tried this often, needs a look.
PENDING_TOO_LONG = timedelta(minutes=10)
PENDING_TOO_MANY_ATTEMPTS = 3
# Bookings listed per section; the counts and the links to the booking admin cover the rest.
BOOKINGS_LISTED = 10


@dataclass
class StatusCount:
    status: roster.RosterStatus
    count: int


@dataclass
class BlockedAccount:
    """Reps one Zoom admin could unblock. `account_id` is empty when Zoom never told us the account
    (the rep never got through); they are then grouped by email domain, a colleague's best hint."""

    account_id: str
    domain: str = ""
    reps: list = field(default_factory=list)


@dataclass
class BookingsAtRisk:
    failed: list
    failed_count: int
    stuck: list
    stuck_count: int
    waiting_for_reconnect_count: int


def status_counts(now: datetime | None = None) -> list[StatusCount]:
    """How many reps are in each roster status (all statuses, zeros included), worst first."""
    rows = (
        roster.ZoomRosterEntry.objects.annotate(roster_status=roster.roster_status_expression(now))
        .values("roster_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row["roster_status"]: row["n"] for row in rows}
    return [StatusCount(status, counts.get(status.value, 0)) for status in roster.RosterStatus]


def blocked_by_approval_by_account(now: datetime | None = None) -> list[BlockedAccount]:
    entries = roster.blocked_by_approval(roster.roster_entries(now)).order_by(
        "zoom_connection__zoom_account_id", "email"
    )
    groups: dict[tuple[str, str], BlockedAccount] = {}
    for entry in entries:
        account_id = roster.connection_of(entry).zoom_account_id
        domain = "" if account_id else entry.email.rpartition("@")[2].lower()
        group = groups.setdefault((account_id, domain), BlockedAccount(account_id, domain))
        group.reps.append(entry)
    # Known accounts first: those are the ones an admin can name to the customer.
    return sorted(groups.values(), key=lambda g: (not g.account_id, g.account_id, g.domain))


def _upcoming_zoom_bookings(now: datetime) -> QuerySet[Booking]:
    return Booking.objects.filter(
        status=Booking.Status.CONFIRMED, end_at__gte=now, link_state__in=roster.LINK_STATES_AT_RISK
    )


def bookings_at_risk(now: datetime | None = None) -> BookingsAtRisk:
    """Upcoming bookings whose Zoom link failed, or is pending for too long."""
    now = now or timezone.now()
    upcoming = _upcoming_zoom_bookings(now).select_related("rep").order_by("start_at", "pk")
    failed = upcoming.filter(link_state=LinkState.FAILED)
    stuck = upcoming.filter(link_state=LinkState.PENDING).filter(
        Q(updated_at__lte=now - PENDING_TOO_LONG) | Q(link_attempts__gte=PENDING_TOO_MANY_ATTEMPTS)
    )
    return BookingsAtRisk(
        failed=list(failed[:BOOKINGS_LISTED]),
        failed_count=failed.count(),
        stuck=list(stuck[:BOOKINGS_LISTED]),
        stuck_count=stuck.count(),
        waiting_for_reconnect_count=upcoming.filter(
            link_state=LinkState.WAITING_FOR_RECONNECT
        ).count(),
    )
