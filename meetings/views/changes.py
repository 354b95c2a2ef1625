"""The one reschedule flow and the one cancel flow, for the rep's pages and the guest's: the same
form, the same services, the same week of slots; only the page, the way back and the words
differ."""

from django.contrib import messages
from django.shortcuts import redirect, render

from ..forms import RescheduleForm
from ..models import Booking
from ..services.bookings import BookingError, cancel_booking, reschedule_booking
from .slots import slot_week, time_zone_from


def reschedule_page(
    request,
    booking: Booking,
    *,
    template: str,
    back_to: str,
    time_zone: str,
    moved_message: str,
    context: dict | None = None,
):
    """Shows the free slots (in `?tz=` or `time_zone`) and moves the booking to the one posted,
    then goes `back_to` the booking."""
    if booking.is_cancelled:
        messages.error(request, "This meeting was cancelled, so it cannot be moved.")
        return redirect(back_to)
    form = RescheduleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            reschedule_booking(booking, start_at=form.cleaned_data["start"])
        except BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, moved_message)
            return redirect(back_to)
    viewer_zone = time_zone_from(request.GET.get("tz"), time_zone)
    week = slot_week(booking.meeting_type, viewer_zone, request.GET.get("from"), exclude=booking)
    return render(
        request, template, {"booking": booking, "form": form, "week": week, **(context or {})}
    )


def cancel_and_go_back(
    request, booking: Booking, *, by: Booking.Actor, back_to: str, cancelled_message: str
):
    """Cancels the booking (the other side gets a cancellation) and goes `back_to` it."""
    try:
        cancel_booking(booking, by=by)
    except BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, cancelled_message)
    return redirect(back_to)
