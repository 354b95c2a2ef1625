"""Reads: teams, their Meeting Types and members, and each member's standing in the rotation."""

from datetime import datetime, timedelta
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from config.compiled_reads import ByKeys
from integrations.zoom.connection.hosts import with_zoom_state
from meetings.meeting_types import MeetingType
from meetings.models import Booking
from meetings.selectors import with_hours

from .models import MeetingTypeMember, Team
from .ranking import Candidate

# The team booking page's and booking POST's first read: compiled once per web process thread,
# as a rep's (meetings.selectors.bookable_meeting_type).
_BOOKABLE = ByKeys(
    lambda: with_hours(MeetingType.objects.select_related("team")).filter(
        is_active=True, is_archived=False
    ),
    "team__slug",
    "slug",
)


def bookable_team_type(team_slug: str, slug: str) -> MeetingType:
    """A team's Meeting Type open for booking, with its team and weekly hours (two queries)."""
    return _BOOKABLE.get(team_slug, slug)


def members_of(
    meeting_type: MeetingType, *, only_rep_id: int | None = None
) -> list[MeetingTypeMember]:
    """The type's members whose rep account is active, with their reps (one query); with
    `only_rep_id`, just that rep (a guest booking again with the rep they had)."""
    found = MeetingTypeMember.objects.filter(meeting_type=meeting_type, member__rep__is_active=True)
    if only_rep_id is not None:
        found = found.filter(member__rep_id=only_rep_id)
    return list(found.select_related("member__rep").order_by("member__rep_id"))


def member_rep(meeting_type: MeetingType, booking_slug: str):
    """The type's active member with this booking slug, or None (no longer on the type)."""
    member = (
        MeetingTypeMember.objects.filter(
            meeting_type=meeting_type,
            member__rep__is_active=True,
            member__rep__booking_slug=booking_slug,
        )
        .select_related("member__rep")
        .first()
    )
    return member.member.rep if member else None


class Member(NamedTuple):
    """A member as a booking weighs them: their rep's id (`pk`, as meetings.selectors.slot_finder
    reads a host) and time zone, and their priority and weight on the type."""

    pk: int
    time_zone: str
    priority: int
    weight: int


def lock_members(meeting_type: MeetingType, *, only_rep_id: int | None = None) -> list[Member]:
    """The type's members whose rep account is active, locked for a booking (one query: the lock
    meetings.services.bookings.lock_reps takes, on their reps' rows, in the same rep id order).
    Call it inside a transaction; `only_rep_id`: that member alone."""
    member = "team_memberships__meeting_types__"
    found = get_user_model().objects.filter(
        **{f"{member}meeting_type": meeting_type}, is_active=True
    )
    if only_rep_id is not None:
        found = found.filter(pk=only_rep_id)
    locked = (
        found.only("time_zone")
        .annotate(priority=F(f"{member}priority"), weight=F(f"{member}weight"))
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    return [Member(rep.pk, rep.time_zone, rep.priority, rep.weight) for rep in locked]


def hosts_among(meeting_type: MeetingType, rep_ids) -> dict:
    """The reps of these members, by id, as hosts of a booking of the type: a Zoom type's with
    their Zoom state (availability.refusals_among) (one query)."""
    reps = get_user_model().objects.filter(pk__in=rep_ids)
    if meeting_type.is_zoom:
        reps = with_zoom_state(reps)
    return {rep.pk: rep for rep in reps}


def candidates(meeting_type: MeetingType, reps, now: datetime | None = None) -> list[Candidate]:
    """Each member (`lock_members`) with their bookings of the type in its round robin
    window and their latest booking of it (one query)."""
    since = (now or timezone.now()) - timedelta(days=meeting_type.distribution_window_days)
    standing = {
        row["rep_id"]: row
        for row in Booking.objects.filter(
            meeting_type=meeting_type, rep__in=[rep.pk for rep in reps]
        )
        .values("rep_id")
        .annotate(
            recent=Count("pk", filter=Q(status=Booking.Status.CONFIRMED, created_at__gte=since)),
            latest=Max("created_at"),
        )
        .order_by()
    }
    return [
        Candidate(
            rep_id=rep.pk,
            priority=rep.priority,
            weight=rep.weight,
            bookings=standing.get(rep.pk, {}).get("recent", 0),
            last_booked_at=standing.get(rep.pk, {}).get("latest"),
        )
        for rep in reps
    ]


def teams_of(rep) -> QuerySet[Team]:
    return Team.objects.filter(memberships__rep=rep)


def team_types_of(rep) -> QuerySet[MeetingType]:
    """The open Meeting Types of the rep's teams."""
    return (
        MeetingType.objects.filter(team__memberships__rep=rep, is_active=True, is_archived=False)
        .select_related("team")
        .order_by("team__name", "name", "pk")
    )


def teammates_of(rep) -> QuerySet:
    """Active reps who share a team with the rep (the rep excluded)."""
    return (
        get_user_model()
        .objects.filter(team_memberships__team__memberships__rep=rep, is_active=True)
        .exclude(pk=rep.pk)
        .distinct()
    )


def bookable_for(rep, pk: int) -> MeetingType:
    """A Meeting Type the rep may book a prospect into from inside the app: an open type of one of
    their teams, or of a teammate (DoesNotExist otherwise, another team's included)."""
    teammates = teammates_of(rep)
    return (
        with_hours(MeetingType.objects.select_related("team", "rep"))
        .filter(Q(team__memberships__rep=rep) | Q(rep__in=teammates))
        .distinct()
        .get(pk=pk, is_active=True, is_archived=False)
    )


def teammates_types_of(rep) -> QuerySet[MeetingType]:
    """The open Meeting Types of the rep's teammates."""
    return (
        MeetingType.objects.filter(rep__in=teammates_of(rep), is_active=True, is_archived=False)
        .select_related("rep")
        .order_by("rep__first_name", "rep__last_name", "rep__email", "name", "pk")
    )


def bookings_made_by(rep, now: datetime | None = None) -> QuerySet[Booking]:
    """Upcoming bookings the rep made for others, soonest first."""
    return (
        Booking.objects.filter(booked_by=rep, end_at__gte=now or timezone.now())
        .exclude(rep=rep)
        .select_related("rep", "meeting_type")
        .order_by("start_at", "pk")
    )


def upcoming_bookings_of(teams, now: datetime | None = None) -> QuerySet[Booking]:
    """The confirmed bookings of the teams' Meeting Types (a team, or a list) not over yet,
    soonest first."""
    teams = teams if isinstance(teams, list | tuple) else [teams]
    return (
        Booking.objects.filter(
            meeting_type__team__in=teams,
            status=Booking.Status.CONFIRMED,
            end_at__gt=now or timezone.now(),
        )
        .select_related("rep", "meeting_type")
        .order_by("start_at", "pk")
    )
