"""The rep marks what happened at a meeting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from meetings.selectors import bookings_of

from .services import OutcomeError, mark_outcome


@login_required
@require_POST
def mark(request, pk: int):
    booking = get_object_or_404(bookings_of(request.user), pk=pk)
    try:
        record = mark_outcome(booking, request.POST.get("outcome", ""), by=request.user)
    except OutcomeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Marked: {record.get_outcome_display()}.")
    return redirect("meetings:booking_detail", pk=booking.pk)
