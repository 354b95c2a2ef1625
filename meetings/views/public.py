"""The prospect's pages: pick a slot, book, and the booking's own page (link, reschedule,
cancel) reached through a signed link."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import guest_access, selectors
from ..forms import BookingForm, parse_slot
from ..models import Booking, MeetingType
from ..services.bookings import BookingError, book_meeting
from .changes import cancel_and_go_back, reschedule_page
from .slots import common_time_zones, slot_week, time_zone_from


def _meeting_type(rep_slug: str, slug: str) -> MeetingType:
    try:
        return selectors.bookable_meeting_type(rep_slug, slug)
    except MeetingType.DoesNotExist:
        raise Http404("This booking page does not exist.") from None


def book(request, rep: str, meeting_type: str):
    meeting_type = _meeting_type(rep, meeting_type)
    time_zone = time_zone_from(request.GET.get("tz"), meeting_type.rep.time_zone)
    return render(
        request,
        "meetings/public/book.html",
        {
            "meeting_type": meeting_type,
            "rep": meeting_type.rep,
            "week": slot_week(meeting_type, time_zone, request.GET.get("from")),
            "time_zone_detected": "tz" in request.GET,
            "time_zones": common_time_zones(),
        },
    )


def book_confirm(request, rep: str, meeting_type: str):
    meeting_type = _meeting_type(rep, meeting_type)
    data = request.POST if request.method == "POST" else None
    time_zone = time_zone_from(
        (data or request.GET).get("time_zone") or request.GET.get("tz"),
        meeting_type.rep.time_zone,
    )
    start = parse_slot((data or request.GET).get("start", ""))
    back = reverse("meetings:book", args=[rep, meeting_type.slug]) + f"?tz={time_zone}"
    if start is None:
        messages.error(request, "Please pick a time first.")
        return redirect(back)
    form = BookingForm(data, initial={"start": start.isoformat(), "time_zone": time_zone})
    if data is not None and form.is_valid():
        try:
            booking = book_meeting(
                meeting_type,
                start_at=form.cleaned_data["start"],
                guest_name=form.cleaned_data["name"],
                guest_email=form.cleaned_data["email"],
                guest_time_zone=form.cleaned_data["time_zone"],
            )
        except BookingError as exc:
            messages.error(request, str(exc))
            return redirect(back)
        return redirect(guest_access.manage_path(booking))
    return render(
        request,
        "meetings/public/confirm.html",
        {
            "meeting_type": meeting_type,
            "rep": meeting_type.rep,
            "form": form,
            "start": start,
            "time_zone": time_zone,
            "back": back,
        },
    )


def _guest_booking(token: str) -> Booking:
    public_id = guest_access.public_id_from(token)
    if public_id is None:
        raise Http404("This booking link is not valid.")
    try:
        return selectors.booking_by_public_id(public_id)
    except Booking.DoesNotExist:
        raise Http404("This booking does not exist.") from None


def guest_booking(request, token: str):
    booking = _guest_booking(token)
    return render(request, "meetings/public/booking.html", {"booking": booking, "token": token})


def guest_link(request, token: str):
    """The link panel alone, polled by the booking page until the link settles."""
    booking = _guest_booking(token)
    return render(
        request,
        "meetings/includes/guest_link.html",
        {"booking": booking, "token": token},
    )


def guest_reschedule(request, token: str):
    booking = _guest_booking(token)
    return reschedule_page(
        request,
        booking,
        template="meetings/public/reschedule.html",
        back_to=guest_access.manage_path(booking),
        time_zone=booking.guest_time_zone,
        moved_message="Your meeting is moved. An updated invite is on its way.",
        context={"token": token},
    )


@require_POST
def guest_cancel(request, token: str):
    booking = _guest_booking(token)
    return cancel_and_go_back(
        request,
        booking,
        by=Booking.Actor.GUEST,
        back_to=guest_access.manage_path(booking),
        cancelled_message="Your meeting is cancelled. We let the host know.",
    )
