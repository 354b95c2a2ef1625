"""Reads for the admin's Zoom roster: every rep with their connection's health, worst first.

One query returns a page of reps with their connection joined and everything the page shows
annotated, so the roster runs the same number of queries for 10 reps as for 10,000. Tokens are
deferred: the roster never loads (or decrypts) them.
"""

import re
from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from integrations.models import ZoomRosterEntry
from meetings.models import Booking
from meetings.zoom.state import LinkState

from ..api.reasons import ReconnectReason
from ..company.models import ZoomCompanyMember
from ..connection.models import PENDING_CONNECT_WINDOW, ZoomConnection
from ..connection.token_chain import TOKEN_FIELDS

_Status = ZoomConnection.Status

# Link states that mean a guest is, or may soon be, without a working Zoom link.
LINK_STATES_AT_RISK = (LinkState.PENDING, LinkState.WAITING_FOR_RECONNECT, LinkState.FAILED)


class RosterStatus(TextChoices):
    """A rep's Zoom state as an admin needs it, declared worst first (the roster's order)."""

    NEEDS_RECONNECT = _Status.NEEDS_RECONNECT.value, _Status.NEEDS_RECONNECT.label
    REMOVED = _Status.REMOVED.value, _Status.REMOVED.label
    # Zoom never sends back a rep it blocks for lack of admin pre-approval, so a Connect click
    # that never came back is shown as that (see `ZoomConnection.connect_started_at`).
    AWAITING_APPROVAL = "awaiting_approval", "Blocked by Zoom pre-approval"
    NEVER_CONNECTED = "never_connected", "Never connected"
    DISCONNECTED = "disconnected", "Disconnected"
    # Meetings made by the company's Zoom account (`hosts.zoom_host_for`): whatever became of the
    # rep's own connection, new meetings do not wait for it (a booking that connection made
    # still counts among the bookings at risk).
    COMPANY = "company", "Served by the company's Zoom account"
    CONNECTED = _Status.CONNECTED.value, _Status.CONNECTED.label

    @property
    def rank(self) -> int:
        return list(RosterStatus).index(self)

    @property
    def is_problem(self) -> bool:
        return self in (self.NEEDS_RECONNECT, self.REMOVED, self.AWAITING_APPROVAL)


def _status_rules(now: datetime) -> list[tuple[Q, RosterStatus]]:
    """Which RosterStatus a rep has, as conditions tried in order (first match wins)."""
    connection = "zoom_connection__"
    member = "zoom_company_member__"
    own_works = Q(**{f"{connection}status": _Status.CONNECTED}) & ~Q(
        **{f"{connection}zoom_user_id": ""}
    )
    # `hosts.zoom_host_for`'s precedence: the company's account serves the rep (a Zoom user, the
    # account working) and their own connection does not work.
    served_by_company = (
        Q(**{f"{member}state": ZoomCompanyMember.State.SERVED})
        & ~Q(**{f"{member}zoom_user_id": ""})
        & Q(**{f"{member}account__status": _Status.CONNECTED})
        & ~Q(**{f"{member}account__zoom_account_id": ""})
        & ~own_works
    )
    return [
        (served_by_company, RosterStatus.COMPANY),
        (Q(**{f"{connection}status": _Status.NEEDS_RECONNECT}), RosterStatus.NEEDS_RECONNECT),
        (Q(**{f"{connection}status": _Status.REMOVED}), RosterStatus.REMOVED),
        # A connected rep who clicked Connect again and did not come back still works: connected.
        (Q(**{f"{connection}status": _Status.CONNECTED}), RosterStatus.CONNECTED),
        (
            Q(**{f"{connection}connect_started_at__gt": now - PENDING_CONNECT_WINDOW}),
            RosterStatus.AWAITING_APPROVAL,
        ),
        (Q(**{f"{connection}connected_at__isnull": False}), RosterStatus.DISCONNECTED),
    ]


def roster_status_expression(now: datetime | None = None) -> Case:
    rules = _status_rules(now or timezone.now())
    return Case(
        *[When(condition, then=Value(status.value)) for condition, status in rules],
        default=Value(RosterStatus.NEVER_CONNECTED.value),
    )


def roster_rank_expression(now: datetime | None = None) -> Case:
    rules = _status_rules(now or timezone.now())
    return Case(
        *[When(condition, then=Value(status.rank)) for condition, status in rules],
        default=Value(RosterStatus.NEVER_CONNECTED.rank),
        output_field=IntegerField(),
    )


def _bookings_at_risk_count(now: datetime) -> Coalesce:
    """Per rep: upcoming confirmed bookings whose Zoom link is not there (yet)."""
    per_rep = (
        Booking.objects.filter(
            rep=OuterRef("pk"),
            status=Booking.Status.CONFIRMED,
            end_at__gte=now,
            link_state__in=LINK_STATES_AT_RISK,
        )
        .order_by()
        .values("rep")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_rep, output_field=IntegerField()), Value(0))


# Worst first; within a status, the longest broken first, then by email (unique: a total order).
ROSTER_ORDERING = (
    F("roster_rank").asc(),
    F("zoom_connection__needs_reconnect_since").asc(nulls_last=True),
    F("email").asc(),
)


def roster_entries(now: datetime | None = None) -> QuerySet[ZoomRosterEntry]:
    """Every rep, connected or not, with `roster_status`, `roster_rank` and
    `bookings_at_risk` annotated and the connection (without tokens) joined, worst first."""
    now = now or timezone.now()
    return (
        ZoomRosterEntry.objects.select_related("zoom_connection", "zoom_company_member__account")
        .defer(
            *(f"zoom_connection__{name}" for name in TOKEN_FIELDS),
            *(f"zoom_company_member__account__{name}" for name in TOKEN_FIELDS),
        )
        .annotate(
            roster_status=roster_status_expression(now),
            roster_rank=roster_rank_expression(now),
            bookings_at_risk=_bookings_at_risk_count(now),
        )
        .order_by(*ROSTER_ORDERING)
    )


def connection_of(entry) -> ZoomConnection | None:
    """The rep's connection as loaded with the roster (no query), or None if they never started."""
    try:
        return entry.zoom_connection
    except ObjectDoesNotExist:
        return None


def served_by(entry) -> str:
    """Which connection creates the rep's meetings, as `hosts.zoom_host_for` decides (their own
    working connection wins; else the company's Zoom account if it serves them), from the rows
    loaded with the roster (no query)."""
    connection = connection_of(entry)
    if connection is not None and connection.is_usable:
        return f"Own Zoom connection ({connection.zoom_email})"
    member = company_member_of(entry)
    if member is not None and member.is_served and member.account.is_usable:
        return f"Company Zoom account (as {member.zoom_email})"
    if member is not None and member.is_served:
        return "Nobody yet: the company Zoom account needs reconnecting"
    if member is not None:
        return f"Nobody yet: company Zoom account: {member.get_state_display().lower()}"
    return "Nobody yet: no working Zoom connection"


def company_member_of(entry):
    """The rep's row in the company's Zoom account as loaded with the roster (no query), or None."""
    try:
        return entry.zoom_company_member
    except ObjectDoesNotExist:
        return None


def is_served_by_company(entry) -> bool:
    connection = connection_of(entry)
    if connection is not None and connection.is_usable:
        return False
    member = company_member_of(entry)
    return member is not None and member.is_served and member.account.is_usable


def own_connection_unused(entry) -> str:
    """For a rep the company's account serves: what became of their own connection, which no
    meeting waits for ("" when they have none, or never connected)."""
    connection = connection_of(entry)
    if connection is None or connection.status not in (_Status.NEEDS_RECONNECT, _Status.REMOVED):
        return ""
    return connection.get_status_display().lower()


def status_of(entry) -> RosterStatus:
    return RosterStatus(entry.roster_status)


# The sidebar lists this many accounts at most: with every rep on an account of their own, a
# list of all of them is a page of links nobody reads (and the page's slowest part).
SHARED_ACCOUNTS_LISTED = 20


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def account_labels(account_ids) -> dict[str, str]:
    """A name people read for each Zoom account: the email domain most of its reps' Zoom users
    share ("acme.example"), numbered when two accounts share a domain (one query). Zoom's account
    ids mean nothing to an admin."""
    domains: dict[str, dict[str, int]] = {}
    for account, email in ZoomConnection.objects.filter(
        zoom_account_id__in=list(account_ids)
    ).values_list("zoom_account_id", "zoom_email"):
        counts = domains.setdefault(account, {})
        if email:
            counts[email_domain(email)] = counts.get(email_domain(email), 0) + 1
    labels: dict[str, str] = {}
    taken: dict[str, int] = {}
    for account in sorted(domains):
        counts = domains[account]
        domain = max(sorted(counts), key=counts.get) if counts else "Zoom account"
        taken[domain] = taken.get(domain, 0) + 1
        labels[account] = domain if taken[domain] == 1 else f"{domain} ({taken[domain]})"
    return labels


def shared_zoom_accounts(selected: str = "") -> list[tuple[str, int]]:
    """(Zoom account id, number of reps) for the accounts shared by the most reps (two or more),
    most reps first, at most SHARED_ACCOUNTS_LISTED; plus `selected`, if given, wherever it is.
    Any account is reached from its link in the roster's "Zoom" column."""
    accounts = (
        ZoomConnection.objects.exclude(zoom_account_id="")
        .values("zoom_account_id")
        .annotate(reps=Count("pk"))
    )
    rows = accounts.filter(reps__gt=1).order_by("-reps", "zoom_account_id")
    listed = [(row["zoom_account_id"], row["reps"]) for row in rows[:SHARED_ACCOUNTS_LISTED]]
    if selected and selected not in {account for account, _ in listed}:
        chosen = accounts.filter(zoom_account_id=selected).values_list("reps", flat=True)
        listed.append((selected, next(iter(chosen), 0)))
    return listed


def blocked_by_approval(entries: QuerySet) -> QuerySet:
    """Reps that a Zoom admin's Marketplace approval would unblock: their Connect never came back,
    or Zoom said an admin withdrew the app's approval (4738)."""
    return entries.filter(
        Q(roster_status=RosterStatus.AWAITING_APPROVAL)
        | Q(
            roster_status=RosterStatus.NEEDS_RECONNECT,
            zoom_connection__needs_reconnect_reason=ReconnectReason.APPROVAL_WITHDRAWN,
        )
    )


# What exports contain, by name: a whitelist, so a field added to the connection later (a token,
# say) can never leak into an export by accident.
EXPORT_COLUMNS = (
    "rep_email",
    "rep_name",
    "status",
    "reason",
    "zoom_email",
    "zoom_account_id",
    "plan",
    "scopes",
    "connected_at",
    "last_success_at",
    "last_refreshed_at",
    "last_error",
    "last_error_at",
    "bookings_at_risk",
)


def export_row(entry) -> dict:
    """One rep as an export row: only EXPORT_COLUMNS, as plain strings and numbers."""
    connection = connection_of(entry)

    def at(name: str) -> str:
        value = getattr(connection, name, None) if connection else None
        return value.isoformat() if value else ""

    return {
        "rep_email": entry.email,
        "rep_name": entry.get_full_name(),
        "status": entry.roster_status,
        "reason": connection.needs_reconnect_reason if connection else "",
        "zoom_email": connection.zoom_email if connection else "",
        "zoom_account_id": connection.zoom_account_id if connection else "",
        "plan": (connection.get_zoom_user_type_display() or "") if connection else "",
        "scopes": " ".join(connection.granted_scope_list) if connection else "",
        "connected_at": at("connected_at"),
        "last_success_at": at("last_success_at"),
        "last_refreshed_at": at("last_refreshed_at"),
        "last_error": connection.last_error if connection else "",
        "last_error_at": at("last_error_at"),
        "bookings_at_risk": entry.bookings_at_risk,
    }


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection). A file read
# with `;` or tab as the separator (the European default) splits a value at them, so a piece after
# one of those, or after a comma, must not start with one either: each such start gets a leading
# apostrophe, shown as typed; every cell is quoted besides.
_FORMULA_START = re.compile(r"(^|[;,\t])(\s*)(?=[=+\-@\t\r])")


def spreadsheet_safe(row: dict) -> dict:
    return {
        key: _FORMULA_START.sub(r"\1\2'", value) if isinstance(value, str) else value
        for key, value in row.items()
    }
