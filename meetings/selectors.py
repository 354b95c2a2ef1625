"""Reads. Each helper runs a fixed number of queries, whatever the number of bookings."""

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from config.compiled_reads import ByKeys, Rows

from .availability import Busy, Rules, Slot, Window, free_slots, within_hours
from .meeting_types import MAX_BUFFER_MINUTES, MeetingType
from .models import Booking, InviteDelivery
from .questions import Question
from .schedules import AvailabilitySchedule, AvailabilityWindow, DateOverride
from .zoom.retries import due_and_unheld
from .zoom.state import LinkState

# Rows per page of the rep's bookings list.
BOOKINGS_PAGE_SIZE = 50
# Invites normally leave within seconds; after this the sweeper sends them.
INVITE_GRACE = timedelta(minutes=5)


def with_hours(meeting_types: QuerySet[MeetingType]) -> QuerySet[MeetingType]:
    """Meeting Types with their schedule and its weekly hours loaded (two queries in all), for
    `windows_of`."""
    return meeting_types.select_related("schedule").prefetch_related(
        Prefetch("schedule__windows", queryset=AvailabilityWindow.objects.order_by())
    )


def meeting_types_of(rep) -> QuerySet[MeetingType]:
    return (
        MeetingType.objects.filter(rep=rep)
        .select_related("schedule")
        .annotate(
            upcoming_count=Count(
                "bookings",
                filter=Q(bookings__status=Booking.Status.CONFIRMED)
                & Q(bookings__end_at__gte=timezone.now()),
            )
        )
    )


def meeting_types_with_hours_of(rep) -> QuerySet[MeetingType]:
    """The rep's Meeting Types with their weekly hours: another rep's is as missing as a missing
    one."""
    return with_hours(MeetingType.objects.filter(rep=rep))


def questions_of(meeting_type: MeetingType) -> list[Question]:
    """The type's own questions for the booking form, in their order (one query)."""
    return _QUESTIONS.of(meeting_type.pk)


# The booking page's and the booking POST's first read: compiled once per web process thread.
_BOOKABLE = ByKeys(
    lambda: with_hours(MeetingType.objects.select_related("rep")).filter(
        is_active=True, is_archived=False, rep__is_active=True
    ),
    "rep__booking_slug",
    "slug",
)


def bookable_meeting_type(rep_slug: str, slug: str) -> MeetingType:
    """The active type `slug` of the active rep whose booking handle is `rep_slug`, with its rep
    and weekly hours (two queries)."""
    return _BOOKABLE.get(rep_slug, slug)


def windows_of(meeting_type: MeetingType) -> list[Window]:
    """The weekly hours of the type's schedule (none without one). Uses the windows `with_hours`
    loaded."""
    if meeting_type.schedule_id is None:
        return []
    return [
        Window(w.weekday, w.start_time, w.end_time) for w in meeting_type.schedule.windows.all()
    ]


def busy_times(rep, start: datetime, end: datetime, exclude: Booking | None = None) -> list[Busy]:
    """The rep's confirmed bookings of any Meeting Type whose time or buffers reach into
    [start, end), each with its own type's buffers (one query)."""
    return busy_times_of([rep.pk], start, end, exclude=exclude).get(rep.pk, [])


def _busy_rows(rep_ids, start: datetime, end: datetime, exclude_pk: int | None) -> QuerySet:
    rows = Booking.objects.active().filter(rep__in=rep_ids).overlapping(start, end)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return rows.values_list(
        "rep_id",
        "start_at",
        "end_at",
        "meeting_type__buffer_before_minutes",
        "meeting_type__buffer_after_minutes",
    )


# The booking POST's reads after the Meeting Type's, each compiled once per thread and shape.
_BUSY = Rows(_busy_rows)
_DATE_OVERRIDES = Rows(
    lambda schedule_id: (
        DateOverride.objects.filter(schedule_id=schedule_id)
        .order_by()
        .values_list("date", "start_time", "end_time")
    )
)
_QUESTIONS = Rows(lambda meeting_type_id: Question.objects.filter(meeting_type_id=meeting_type_id))


def busy_times_of(
    rep_ids, start: datetime, end: datetime, exclude: Booking | None = None
) -> dict[int, list[Busy]]:
    """`busy_times` of several reps at once, by rep id (one query)."""
    reach = timedelta(minutes=MAX_BUFFER_MINUTES)
    rows = _BUSY.of(
        list(rep_ids), start - reach, end + reach, None if exclude is None else exclude.pk
    )
    busy: dict[int, list[Busy]] = {}
    for rep_id, start_at, end_at, before, after in rows:
        busy.setdefault(rep_id, []).append(
            Busy(start_at, end_at, timedelta(minutes=before), timedelta(minutes=after))
        )
    return busy


def rules_of(meeting_type: MeetingType) -> Rules:
    """The type's booking rules, its schedule's date overrides included (one query)."""
    overrides: dict = {}
    for day, opens, closes in _DATE_OVERRIDES.of(meeting_type.schedule_id):
        hours = overrides.setdefault(day, [])
        if opens is not None:
            hours.append((opens, closes))
    return Rules(
        min_notice=timedelta(minutes=meeting_type.min_notice_minutes),
        horizon=timedelta(days=meeting_type.horizon_days),
        buffer_before=timedelta(minutes=meeting_type.buffer_before_minutes),
        buffer_after=timedelta(minutes=meeting_type.buffer_after_minutes),
        overrides={day: sorted(hours) for day, hours in overrides.items()},
    )


def own_hours_of(rep_ids, start: datetime, end: datetime) -> dict[int, tuple[list[Window], dict]]:
    """Each rep's own working hours, which their team Meeting Types keep to: the weekly windows
    of the schedule they marked default and its date overrides around [start, end), by rep id
    (a rep without one is absent: the type's hours alone apply). Two plain queries: a union of
    the two compiles at twice their cost."""
    hours: dict[int, tuple[list[Window], dict]] = {}
    weekly = AvailabilitySchedule.objects.filter(rep__in=rep_ids, is_default=True).values_list(
        "rep_id", "windows__weekday", "windows__start_time", "windows__end_time"
    )
    for rep_id, weekday, opens, closes in weekly.order_by():
        windows, _ = hours.setdefault(rep_id, ([], {}))
        if weekday is not None:  # a default schedule without hours: never free
            windows.append(Window(weekday, opens, closes))
    # A day either side: a member's calendar day and UTC's differ by up to 14 hours.
    dated = DateOverride.objects.filter(
        schedule__rep__in=rep_ids,
        schedule__is_default=True,
        date__range=(start.date() - timedelta(days=1), end.date() + timedelta(days=1)),
    ).values_list("schedule__rep_id", "date", "start_time", "end_time")
    for rep_id, day, opens, closes in dated.order_by("start_time"):
        day_hours = hours[rep_id][1].setdefault(day, [])
        if opens is not None:  # none: a day off
            day_hours.append((opens, closes))
    return hours


def available_slots(
    meeting_type: MeetingType,
    start: datetime,
    end: datetime,
    *,
    host=None,
    exclude: Booking | None = None,
    now: datetime | None = None,
) -> list[Slot]:
    """The free slots of the type with its rep, or with `host` (a member of a team type)."""
    host = host or meeting_type.rep
    return slot_finder(meeting_type, [host], start, end, exclude=exclude, now=now)(host)


def slot_finder(
    meeting_type: MeetingType,
    hosts,
    start: datetime,
    end: datetime,
    *,
    exclude: Booking | None = None,
    now: datetime | None = None,
) -> Callable[[Any], list[Slot]]:
    """Each host's free slots of the type within [start, end), a host at a time: the type's hours
    in the host's zone, less the host's bookings of every type. The three queries for all `hosts`
    (five for a team type: its members' own hours too) run now, however many; each host's slots
    are worked out only when asked for (a team's booking asks the members in line until one is
    free, not the whole team)."""
    rules = rules_of(meeting_type)
    windows = windows_of(meeting_type)
    # A slot starting just before `end` runs past it, and buffers reach further on both sides:
    # busy time that far matters too (busy_times_of adds the longest booked buffer).
    busy = busy_times_of(
        [host.pk for host in hosts],
        start - rules.buffer_before,
        end + timedelta(minutes=meeting_type.duration_minutes) + rules.buffer_after,
        exclude=exclude,
    )
    now = now or timezone.now()
    # A team type's member keeps to their own working hours and days off as well as the type's.
    own_hours = {}
    if meeting_type.team_id:
        own_hours = own_hours_of([host.pk for host in hosts], start, end)

    def slots_of(host) -> list[Slot]:
        slots = free_slots(
            windows,
            host.time_zone,
            meeting_type.duration_minutes,
            busy.get(host.pk, []),
            start,
            end,
            now,
            rules,
        )
        if slots and host.pk in own_hours:
            weekly, overrides = own_hours[host.pk]
            slots = within_hours(slots, weekly, host.time_zone, overrides)
        return slots

    return slots_of


def upcoming_bookings_of(rep, now: datetime | None = None) -> QuerySet[Booking]:
    """The rep's confirmed bookings that have not ended yet, soonest first."""
    return (
        Booking.objects.active()
        .filter(rep=rep, end_at__gte=now or timezone.now())
        .select_related("meeting_type", "outcome")
        .order_by("start_at", "pk")
    )


def past_bookings_of(rep, now: datetime | None = None) -> QuerySet[Booking]:
    """The rep's bookings that ended or were cancelled, latest first."""
    return (
        Booking.objects.filter(rep=rep)
        .filter(Q(end_at__lt=now or timezone.now()) | Q(status=Booking.Status.CANCELLED))
        .select_related("meeting_type", "outcome")
        .order_by("-start_at", "-pk")
    )


def bookings_of(rep) -> QuerySet[Booking]:
    """The rep's bookings with their Meeting Type: another rep's is as missing as a missing one."""
    return Booking.objects.select_related("meeting_type", "rep", "booked_by", "outcome").filter(
        rep=rep
    )


def booking_by_public_id(public_id: uuid.UUID) -> Booking:
    return Booking.objects.select_related("meeting_type", "rep").get(public_id=public_id)


def bookings_with_zoom_work_due(now: datetime | None = None) -> QuerySet[Booking]:
    """Bookings whose Zoom meeting should be created, updated or deleted by now and that no
    worker holds: lost enqueues, crashed workers and waits (rate limits, backoff) that ran out."""
    return due_and_unheld(
        Booking.objects.filter(link_state__in=[LinkState.PENDING, LinkState.REMOVING]),
        lease="link_lease_until",
        next_attempt="link_next_attempt_at",
        now=now,
    )


def bookings_with_invites_due(now: datetime | None = None) -> QuerySet[Booking]:
    """Upcoming bookings whose current version's invites should have gone out by now (their
    enqueue was lost or the mail server was down), and not in the last minutes' normal flow."""
    now = now or timezone.now()
    return Booking.objects.filter(
        Q(status=Booking.Status.CANCELLED)
        | Q(link_state__in=[LinkState.NOT_NEEDED, LinkState.READY]),
        Q(invites_sent_sequence__isnull=True) | Q(invites_sent_sequence__lt=F("invite_sequence")),
        end_at__gte=now,
        updated_at__lte=now - INVITE_GRACE,
    )


def link_problems_of(rep, now: datetime | None = None) -> dict[str, int]:
    """How many of the rep's upcoming bookings lack their Zoom link, by why (one query)."""
    upcoming = Booking.objects.filter(
        rep=rep, status=Booking.Status.CONFIRMED, end_at__gte=now or timezone.now()
    )
    return upcoming.aggregate(
        failed=Count("pk", filter=Q(link_state=LinkState.FAILED)),
        waiting_for_reconnect=Count("pk", filter=Q(link_state=LinkState.WAITING_FOR_RECONNECT)),
        # Still pending after a failure: Zoom's daily limit, an outage being retried.
        delayed=Count("pk", filter=Q(link_state=LinkState.PENDING) & ~Q(link_last_error="")),
    )


def guest_was_emailed(booking: Booking) -> bool:
    """Whether any message about this booking (confirmation or invite) went to the guest."""
    return booking.invite_deliveries.filter(recipient=InviteDelivery.Recipient.GUEST).exists()


def schedules_of(rep) -> QuerySet[AvailabilitySchedule]:
    """The rep's availability schedules, the default first, each with how many of the rep's
    Meeting Types use it and its weekly hours (two queries)."""
    return (
        AvailabilitySchedule.objects.filter(rep=rep)
        .annotate(used_by=Count("meeting_types", distinct=True))
        .prefetch_related(Prefetch("windows", queryset=AvailabilityWindow.objects.order_by()))
    )


def default_schedule_of(rep) -> AvailabilitySchedule | None:
    """What a new Meeting Type of the rep starts with: their default schedule, else their first."""
    return AvailabilitySchedule.objects.filter(rep=rep).order_by("-is_default", "pk").first()
