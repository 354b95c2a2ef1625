"""The one reschedule flow and the one cancel flow, for the rep's pages and the guest's: the same
form, the same services, the same week of slots, the same confirmation step; only the pages, the
way back and the words differ."""

from django.contrib import messages
from django.shortcuts import redirect, render

from ..forms import CancelForm, RescheduleForm
from ..models import Booking
from ..services.bookings import BookingError, cancel_booking, reschedule_booking
from .slots import slot_week, time_zone_from


def reschedule_page(
    request,
    booking: Booking,
    *,
    template: str,
    confirm_template: str,
    back_to: str,
    time_zone: str,
    moved_message: str,
    context: dict | None = None,
):
    """Shows the free slots (in `?tz=` or `time_zone`); a picked slot shows the change (old → new)
    on `confirm_template`, and only its confirmation moves the booking, then goes `back_to` it."""
    if booking.is_cancelled:
        messages.error(request, "This meeting was cancelled, so it cannot be moved.")
        return redirect(back_to)
    form = RescheduleForm(request.POST if request.method == "POST" else None)
    viewer_zone = time_zone_from(request.GET.get("tz"), time_zone)
    if request.method == "POST" and form.is_valid():
        if not form.confirmed:
            return render(
                request,
                confirm_template,
                {
                    "booking": booking,
                    "new_start": form.cleaned_data["start"],
                    "tz": viewer_zone,
                    **(context or {}),
                },
            )
        try:
            reschedule_booking(booking, start_at=form.cleaned_data["start"])
        except BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, moved_message)
            return redirect(back_to)
    week = slot_week(booking.meeting_type, viewer_zone, request.GET.get("from"), exclude=booking)
    return render(
        request, template, {"booking": booking, "form": form, "week": week, **(context or {})}
    )


def cancel_page(
    request,
    booking: Booking,
    *,
    by: Booking.Actor,
    template: str,
    tell: str,
    back_to: str,
    cancelled_message: str,
    context: dict | None = None,
):
    """Asks first (GET: what is cancelled, who is told, an optional reason); a POST cancels, the
    other side gets a cancellation with the reason, and goes `back_to` the booking."""
    if booking.is_cancelled:
        return redirect(back_to)
    form = CancelForm(request.POST if request.method == "POST" else None, tell=tell)
    if request.method == "POST" and form.is_valid():
        try:
            cancel_booking(booking, by=by, reason=form.cleaned_data["reason"])
        except BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, cancelled_message)
        return redirect(back_to)
    return render(request, template, {"booking": booking, "form": form, **(context or {})})
