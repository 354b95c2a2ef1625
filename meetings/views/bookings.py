"""The rep's bookings: the upcoming list, one booking, and the rep's own changes to it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import selectors
from ..models import Booking
from ..zoom.pages import StartLinkUnavailable, host_start_url
from ..zoom.resume import create_link_anew, retry_link
from .changes import ChangePages, cancel_page, reschedule_page
from .slots import time_zone_from


def _own_booking(request, pk: int) -> Booking:
    return get_object_or_404(selectors.bookings_of(request.user), pk=pk)


@login_required
def booking_list(request):
    return _list_page(request, selectors.upcoming_bookings_of(request.user), past=False)


@login_required
def past_booking_list(request):
    return _list_page(request, selectors.past_bookings_of(request.user), past=True)


def _list_page(request, bookings, *, past: bool):
    page = Paginator(bookings, selectors.BOOKINGS_PAGE_SIZE)
    return render(
        request,
        "meetings/bookings/list.html",
        {"page": page.get_page(request.GET.get("page")), "past": past},
    )


@login_required
def booking_detail(request, pk: int):
    return render(request, "meetings/bookings/detail.html", {"booking": _own_booking(request, pk)})


@login_required
def booking_link(request, pk: int):
    """The link panel alone, polled while the link settles."""
    return render(
        request, "meetings/includes/rep_link.html", {"booking": _own_booking(request, pk)}
    )


def _change_pages(booking: Booking) -> ChangePages:
    return ChangePages(
        by=Booking.Actor.REP,
        templates="meetings/bookings",
        back_to=reverse("meetings:booking_detail", kwargs={"pk": booking.pk}),
        tell=booking.guest_name,
        moved="The meeting is moved; both of you get an updated invite.",
        cancelled="The meeting is cancelled; the guest gets a cancellation.",
    )


@login_required
def booking_reschedule(request, pk: int):
    booking = _own_booking(request, pk)
    time_zone = time_zone_from(request.GET.get("tz"), request.user.time_zone)
    return reschedule_page(request, booking, _change_pages(booking), time_zone=time_zone)


@login_required
def booking_cancel(request, pk: int):
    booking = _own_booking(request, pk)
    return cancel_page(request, booking, _change_pages(booking), time_zone=request.user.time_zone)


@login_required
@require_POST
def booking_retry(request, pk: int):
    return _back_in_line(request, pk, retry_link, "Trying again to prepare the Zoom link.")


@login_required
@require_POST
def booking_create_anew(request, pk: int):
    """A booking in doubt (Zoom may have made its meeting): the rep found none in Zoom."""
    return _back_in_line(request, pk, create_link_anew, "Creating a new Zoom meeting.")


def _back_in_line(request, pk: int, put_back, done: str):
    """The booking's Zoom link put back in line (`meetings.zoom.resume`); nothing is said when
    it no longer needed it."""
    if put_back(_own_booking(request, pk)):
        messages.success(request, done)
    return redirect("meetings:booking_detail", pk=pk)


@login_required
@require_POST
def booking_start(request, pk: int):
    """Sends the host to a start link fetched just now (it is never stored or shown to guests)."""
    booking = _own_booking(request, pk)
    try:
        url = host_start_url(booking)
    except StartLinkUnavailable as exc:
        messages.error(request, f"Zoom could not give a start link right now: {exc}")
        return redirect("meetings:booking_detail", pk=pk)
    if not url:
        messages.error(request, "Zoom did not return a start link for this meeting.")
        return redirect("meetings:booking_detail", pk=pk)
    return redirect(url)
