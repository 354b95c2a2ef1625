"""A rep's teams, and booking a prospect into a teammate's or a team's Meeting Type from inside
the app: the meeting is the host's, the booking records who booked it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from meetings import guest_access
from meetings.forms import TimeZonePickForm, parse_slot
from meetings.meeting_types import MeetingType
from meetings.models import Booking
from meetings.selectors import available_slots
from meetings.services.bookings import BookingError, book_meeting
from meetings.views.slots import slot_month, time_zone_from

from .. import selectors
from ..assignment import book_team_meeting
from ..availability import team_slots
from ..forms import ProspectForm
from ..reassignment import PERMISSION

# A teammate with the permission to reassign sees their teams' next bookings.
UPCOMING_SHOWN = 20


@login_required
def my_teams(request):
    teams = list(selectors.teams_of(request.user))
    may_reassign = bool(teams) and request.user.has_perm(PERMISSION)
    return render(
        request,
        "teams/my_teams.html",
        {
            "teams": teams,
            "team_types": list(selectors.team_types_of(request.user)),
            "teammates_types": list(selectors.teammates_types_of(request.user)),
            "booked": list(selectors.bookings_made_by(request.user)[:20]),
            "may_reassign": may_reassign,
            "team_bookings": (
                list(selectors.upcoming_bookings_of(teams)[:UPCOMING_SHOWN]) if may_reassign else []
            ),
        },
    )


def _bookable(request, pk: int) -> MeetingType:
    try:
        return selectors.bookable_for(request.user, pk)
    except MeetingType.DoesNotExist:
        raise Http404("You cannot book into this Meeting Type.") from None


def _slots(meeting_type: MeetingType):
    if meeting_type.is_team_type:
        # Booked from inside the app, as `_book` books it: Zoom's reserve is open to it.
        return lambda start, end: team_slots(meeting_type, start, end, public=False)
    return lambda start, end: available_slots(meeting_type, start, end)


def _book(meeting_type: MeetingType, booked_by, **details):
    if meeting_type.is_team_type:
        return book_team_meeting(meeting_type, booked_by=booked_by, **details)
    return book_meeting(meeting_type, booked_by=booked_by, **details)


@login_required
def book_for(request, pk: int):
    """Pick a time (in the rep's zone, or the one picked), then the prospect's details."""
    meeting_type = _bookable(request, pk)
    time_zone = time_zone_from(request.GET.get("tz"), request.user.time_zone)
    here = reverse("teams:book_for", args=[pk])
    data = request.POST if request.method == "POST" else None
    start = parse_slot((data or request.GET).get("start", ""))
    if start is None:
        return render(
            request,
            "teams/book_for.html",
            {
                "meeting_type": meeting_type,
                "slots": slot_month(meeting_type, time_zone, request.GET, _slots(meeting_type)),
                "tz_form": TimeZonePickForm(time_zone),
                "here": here,
            },
        )
    form = ProspectForm(data, initial={"start": start.isoformat(), "time_zone": time_zone})
    if data is not None and form.is_valid():
        try:
            booking = _book(
                meeting_type,
                request.user,
                start_at=form.cleaned_data["start"],
                guest_name=form.cleaned_data["name"],
                guest_email=form.cleaned_data["email"],
                guest_time_zone=form.cleaned_data["time_zone"],
            )
        except BookingError as exc:
            messages.error(request, str(exc))
        else:
            return redirect("teams:booked_for", pk=booking.pk)
    return render(
        request,
        "teams/book_for_details.html",
        {
            "meeting_type": meeting_type,
            "form": form,
            "start": start,
            "time_zone": time_zone,
            "back": f"{here}?tz={time_zone}",
        },
    )


@login_required
def booked_for(request, pk: int):
    """A booking the rep made for a prospect: who hosts it, and the prospect's own link."""
    booking = get_object_or_404(
        Booking.objects.select_related("rep", "meeting_type"), pk=pk, booked_by=request.user
    )
    return render(
        request,
        "teams/booked_for.html",
        {"booking": booking, "guest_url": guest_access.manage_url(booking)},
    )
