"""The rep's bookings: the upcoming list, one booking, and the rep's own changes to it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from integrations.zoom.errors import ZoomError

from .. import selectors
from ..forms import CancelForm, RescheduleForm
from ..models import Booking
from ..services.bookings import BookingError, cancel_booking, reschedule_booking
from ..services.zoom_links import host_start_url, retry_link
from .slots import slot_week, time_zone_from


def _own_booking(request, pk: int) -> Booking:
    try:
        return selectors.booking_of(request.user, pk)
    except Booking.DoesNotExist:
        raise Http404("No such booking.") from None


@login_required
def booking_list(request):
    page = Paginator(selectors.upcoming_bookings_of(request.user), selectors.BOOKINGS_PAGE_SIZE)
    return render(
        request,
        "meetings/bookings/list.html",
        {"page": page.get_page(request.GET.get("page")), "past": False},
    )


@login_required
def past_booking_list(request):
    page = Paginator(selectors.past_bookings_of(request.user), selectors.BOOKINGS_PAGE_SIZE)
    return render(
        request,
        "meetings/bookings/list.html",
        {"page": page.get_page(request.GET.get("page")), "past": True},
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


@login_required
def booking_reschedule(request, pk: int):
    booking = _own_booking(request, pk)
    if booking.is_cancelled:
        messages.error(request, "This meeting was cancelled, so it cannot be moved.")
        return redirect("meetings:booking_detail", pk=pk)
    form = RescheduleForm(request.POST if request.method == "POST" else None)
    time_zone = time_zone_from(request.GET.get("tz"), request.user.time_zone)
    if request.method == "POST" and form.is_valid():
        if not form.confirmed:
            return render(
                request,
                "meetings/bookings/reschedule_confirm.html",
                {"booking": booking, "new_start": form.cleaned_data["start"], "tz": time_zone},
            )
        try:
            reschedule_booking(booking, start_at=form.cleaned_data["start"])
        except BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "The meeting is moved; both of you get an updated invite.")
            return redirect("meetings:booking_detail", pk=pk)
    return render(
        request,
        "meetings/bookings/reschedule.html",
        {
            "booking": booking,
            "form": form,
            "week": slot_week(
                booking.meeting_type, time_zone, request.GET.get("from"), exclude=booking
            ),
        },
    )


@login_required
def booking_cancel(request, pk: int):
    booking = _own_booking(request, pk)
    if booking.is_cancelled:
        return redirect("meetings:booking_detail", pk=pk)
    form = CancelForm(request.POST if request.method == "POST" else None, tell=booking.guest_name)
    if request.method == "POST" and form.is_valid():
        try:
            cancel_booking(booking, by=Booking.Actor.REP, reason=form.cleaned_data["reason"])
        except BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "The meeting is cancelled; the guest gets a cancellation.")
        return redirect("meetings:booking_detail", pk=pk)
    return render(request, "meetings/bookings/cancel.html", {"booking": booking, "form": form})


@login_required
@require_POST
def booking_retry(request, pk: int):
    if retry_link(_own_booking(request, pk)):
        messages.success(request, "Trying again to prepare the Zoom link.")
    return redirect("meetings:booking_detail", pk=pk)


@login_required
@require_POST
def booking_start(request, pk: int):
    """Sends the host to a start link fetched just now (it is never stored or shown to guests)."""
    booking = _own_booking(request, pk)
    try:
        url = host_start_url(booking)
    except ZoomError as exc:
        messages.error(request, f"Zoom could not give a start link right now: {exc}")
        return redirect("meetings:booking_detail", pk=pk)
    if not url:
        messages.error(request, "Zoom did not return a start link for this meeting.")
        return redirect("meetings:booking_detail", pk=pk)
    return redirect(url)
