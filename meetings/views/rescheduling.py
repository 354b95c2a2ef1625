"""The one reschedule flow, for the rep's page and the guest's: the same form, the same service,
the same week of slots; only the page, the way back and the words differ."""

from django.contrib import messages
from django.shortcuts import redirect, render

from ..forms import RescheduleForm
from ..models import Booking
from ..services.bookings import BookingError, reschedule_booking
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
