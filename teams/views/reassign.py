"""Reassigning an upcoming team booking to another member (an admin, or a teammate with the
permission)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from meetings.models import Booking
from meetings.services.bookings import BookingError

from ..forms import ReassignForm
from ..reassignment import may_reassign, members_to_take, reassign_booking


@login_required
def reassign(request, pk: int):
    booking = get_object_or_404(Booking.objects.select_related("rep", "meeting_type__team"), pk=pk)
    if not may_reassign(request.user, booking):
        # Not found rather than forbidden: nobody learns of bookings they may not touch.
        raise Http404("No such booking.")
    members = members_to_take(booking)
    form = ReassignForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        new_host = form.cleaned_data["to_rep"]
        try:
            booking = reassign_booking(booking, new_host, by=request.user)
        except BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"{new_host.display_name} now hosts this meeting. {booking.guest_name} gets an "
                "updated invite with the new link.",
            )
            return redirect("teams:reassign", pk=booking.pk)
    return render(
        request,
        "teams/reassign.html",
        {
            "booking": booking,
            "form": form,
            "members": members,
            "closed": booking.is_cancelled or booking.end_at <= timezone.now(),
        },
    )
