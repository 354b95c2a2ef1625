"""The one reschedule flow and the one cancel flow, for the rep's pages and the guest's: the same
form, the same services, the same week of slots, the same confirmation step; only the pages, the
way back and the words differ."""

from collections.abc import Callable
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class ChangePages:
    """One side's reschedule and cancel pages (the rep's, or the guest's): what differs between
    them. `by`: who cancels; `templates`: the folder of reschedule.html, reschedule_confirm.html
    and cancel.html; `back_to`: the booking's page, where a change ends; `tell`: who hears of a
    cancellation; `moved`, `cancelled`: what the person is told once done; `context`: more for
    the templates; `admit` spends a move's limits once its new slot is known to be free
    (reschedule_booking), and what they refuse is answered by `refused`."""

    by: Booking.Actor
    templates: str
    back_to: str
    tell: str
    moved: str
    cancelled: str
    context: dict = field(default_factory=dict)
    admit: Callable[[Booking], None] | None = None
    refused: Callable[[TooManyRequests], HttpResponse] | None = None


def reschedule_page(request, booking: Booking, pages: ChangePages, *, time_zone: str):
    """Shows the free slots in `time_zone`; a picked slot (a POST, or a GET with `start` when the
    viewer changes the time zone on that step) shows the change (old → new) on the confirm page,
    and only its confirmation, a POST, moves the booking, then goes back to it."""
    if booking.is_cancelled:
        messages.error(request, "This meeting was cancelled, so it cannot be moved.")
        return redirect(pages.back_to)
    if request.method == "POST":
        form = RescheduleForm(request.POST)
    else:
        form = RescheduleForm(request.GET if "start" in request.GET else None)
    context = {"booking": booking, **zone_context(time_zone), **pages.context}
    if form.is_bound and form.is_valid():
        if request.method != "POST" or not form.confirmed:
            return render(
                request,
                f"{pages.templates}/reschedule_confirm.html",
                {**context, "new_start": form.cleaned_data["start"]},
            )
        try:
            reschedule_booking(booking, start_at=form.cleaned_data["start"], admit=pages.admit)
        except TooManyRequests as exc:
            return pages.refused(exc)
        except BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, pages.moved)
            return redirect(pages.back_to)

    def host_slots(start, end):
        # A team booking stays with its host: their free times, this booking's own included.
        return selectors.available_slots(
            booking.meeting_type, start, end, host=booking.rep, exclude=booking
        )

    slots = slot_month(booking.meeting_type, time_zone, request.GET, host_slots)
    return render(
        request, f"{pages.templates}/reschedule.html", {**context, "form": form, "slots": slots}
    )


def cancel_page(request, booking: Booking, pages: ChangePages, *, time_zone: str):
    """Asks first (GET: what is cancelled, when in `time_zone`, who is told, an optional reason);
    a POST cancels, the other side gets a cancellation with the reason, and goes back to the
    booking."""
    if booking.is_cancelled:
        return redirect(pages.back_to)
    form = CancelForm(request.POST if request.method == "POST" else None, tell=pages.tell)
    if request.method == "POST" and form.is_valid():
        try:
            cancel_booking(booking, by=pages.by, reason=form.cleaned_data["reason"])
        except BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, pages.cancelled)
        return redirect(pages.back_to)
    return render(
        request,
        f"{pages.templates}/cancel.html",
        {"booking": booking, "form": form, **zone_context(time_zone), **pages.context},
    )
