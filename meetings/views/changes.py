"""The one reschedule flow and the one cancel flow, for the rep's pages and the guest's: the same
form, the same services, the same week of slots, the same confirmation step; only the pages, the
way back and the words differ."""

from collections.abc import Callable
from urllib.parse import quote

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from .. import selectors
from ..booking_limits import TooManyRequests
from ..forms import CancelForm, RescheduleForm, TimeZonePickForm
from ..models import Booking
from ..services.bookings import BookingError, cancel_booking, reschedule_booking
from .slots import slot_month


def zone_query(time_zone: str) -> str:
    """The query string that keeps a viewer's time zone from one page to the next."""
    return "?tz=" + quote(time_zone, safe="/")


def zone_context(time_zone: str) -> dict:
    """What a page showing times in `time_zone` with the time zone picker needs."""
    return {
        "tz": time_zone,
        "tz_query": zone_query(time_zone),
        "tz_form": TimeZonePickForm(time_zone),
    }


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
    admit: Callable[[Booking], None] | None = None,
    refused: Callable[[TooManyRequests], HttpResponse] | None = None,
):
    """Shows the free slots in `time_zone`; a picked slot (a POST, or a GET with `start` when the
    viewer changes the time zone on that step) shows the change (old → new) on
    `confirm_template`, and only its confirmation, a POST, moves the booking, then goes `back_to`
    it. `admit` spends a move's limits once its new slot is known to be free (reschedule_booking);
    what they refuse is answered by `refused`."""
    if booking.is_cancelled:
        messages.error(request, "This meeting was cancelled, so it cannot be moved.")
        return redirect(back_to)
    if request.method == "POST":
        form = RescheduleForm(request.POST)
    else:
        form = RescheduleForm(request.GET if "start" in request.GET else None)
    context = {"booking": booking, **zone_context(time_zone), **(context or {})}
    if form.is_bound and form.is_valid():
        if request.method != "POST" or not form.confirmed:
            return render(
                request, confirm_template, {**context, "new_start": form.cleaned_data["start"]}
            )
        try:
            reschedule_booking(booking, start_at=form.cleaned_data["start"], admit=admit)
        except TooManyRequests as exc:
            return refused(exc)
        except BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, moved_message)
            return redirect(back_to)

    def host_slots(start, end):
        # A team booking stays with its host: their free times, this booking's own included.
        return selectors.available_slots(
            booking.meeting_type, start, end, host=booking.rep, exclude=booking
        )

    slots = slot_month(booking.meeting_type, time_zone, request.GET, host_slots)
    return render(request, template, {**context, "form": form, "slots": slots})


def cancel_page(
    request,
    booking: Booking,
    *,
    by: Booking.Actor,
    template: str,
    tell: str,
    back_to: str,
    time_zone: str,
    cancelled_message: str,
    context: dict | None = None,
):
    """Asks first (GET: what is cancelled, when in `time_zone`, who is told, an optional reason);
    a POST cancels, the other side gets a cancellation with the reason, and goes `back_to` the
    booking."""
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
    return render(
        request,
        template,
        {"booking": booking, "form": form, **zone_context(time_zone), **(context or {})},
    )
