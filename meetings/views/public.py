"""The prospect's pages: pick a slot, book, and the booking's own page (link, reschedule,
cancel) reached through a signed link."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from accounts.services import current_booking_slug

from .. import booking_limits, calendar_links, guest_access, ics, selectors
from ..forms import BookingForm, TimeZonePickForm, parse_slot
from ..models import Booking, InviteDelivery, MeetingType
from ..services.bookings import BookingError, book_meeting
from .changes import cancel_page, reschedule_page, zone_context, zone_query
from .slots import slot_month, time_zone_from

# The prospect's name and email, kept when their time was taken meanwhile.
TYPED_DETAILS_KEY = "booking_guest_details"


class _RenamedHandle(Exception):
    def __init__(self, slug: str):
        self.slug = slug


def _meeting_type(rep_slug: str, slug: str) -> MeetingType:
    try:
        return selectors.bookable_meeting_type(rep_slug, slug)
    except MeetingType.DoesNotExist:
        renamed = current_booking_slug(rep_slug)
        if renamed is not None and renamed != rep_slug:
            raise _RenamedHandle(renamed) from None
        raise Http404("This booking page does not exist.") from None


def follows_renamed_handle(view):
    """Links shared before a rep changed their booking handle lead to the same page under the
    new one (a temporary redirect: the old handle may be taken back)."""

    @wraps(view)
    def wrapper(request, rep: str, meeting_type: str):
        try:
            return view(request, rep, meeting_type)
        except _RenamedHandle as renamed:
            url = reverse(request.resolver_match.view_name, args=[renamed.slug, meeting_type])
            query = request.META.get("QUERY_STRING")
            return redirect(f"{url}?{query}" if query else url)

    return wrapper


@follows_renamed_handle
def book(request, rep: str, meeting_type: str):
    meeting_type = _meeting_type(rep, meeting_type)
    return booking_page(
        request,
        meeting_type,
        host_name=meeting_type.rep.display_name,
        default_time_zone=meeting_type.rep.time_zone,
        confirm_url=reverse("meetings:book_confirm", args=[rep, meeting_type.slug]),
        find_slots=lambda start, end: selectors.available_slots(meeting_type, start, end),
    )


def booking_page(
    request, meeting_type: MeetingType, *, host_name, default_time_zone, confirm_url, find_slots
):
    """The page where a prospect picks a time: of a rep's Meeting Type, or of a team's (whose
    slots are its members' together, and whose host is named once assigned)."""
    time_zone = time_zone_from(request.GET.get("tz"), default_time_zone)
    return render(
        request,
        "meetings/public/book.html",
        {
            "meeting_type": meeting_type,
            "host_name": host_name,
            "confirm_url": confirm_url,
            "slots": slot_month(meeting_type, time_zone, request.GET, find_slots),
            "time_zone_detected": "tz" in request.GET,
            "tz_form": TimeZonePickForm(time_zone),
        },
    )


@follows_renamed_handle
def book_confirm(request, rep: str, meeting_type: str):
    meeting_type = _meeting_type(rep, meeting_type)
    return confirm_page(
        request,
        meeting_type,
        host_name=meeting_type.rep.display_name,
        default_time_zone=meeting_type.rep.time_zone,
        book_url=reverse("meetings:book", args=[rep, meeting_type.slug]),
        limit=lambda email: booking_limits.check_booking(request, meeting_type, email),
        book=lambda **details: book_meeting(meeting_type, **details),
    )


def confirm_page(
    request,
    meeting_type: MeetingType,
    *,
    host_name: str,
    default_time_zone: str,
    book_url: str,
    limit: Callable[[str], None],
    book: Callable[..., Booking],
):
    """The prospect's name and email for the picked time; a valid POST counts the public limits
    (`limit(email)`, TooManyRequests) and books (`book(start_at=…, guest_name=…, guest_email=…,
    guest_time_zone=…)`, BookingError when the time is gone), then opens the guest's page."""
    data = request.POST if request.method == "POST" else None
    time_zone = time_zone_from(
        (data or request.GET).get("time_zone") or request.GET.get("tz"), default_time_zone
    )
    start = parse_slot((data or request.GET).get("start", ""))
    back = book_url + f"?tz={time_zone}"
    if start is None:
        messages.error(request, "Please pick a time first.")
        return redirect(back)
    typed = request.session.get(TYPED_DETAILS_KEY, {})
    form = BookingForm(data, initial={"start": start.isoformat(), "time_zone": time_zone, **typed})
    if data is not None and form.is_valid():
        try:
            limit(form.cleaned_data["email"])
        except booking_limits.TooManyRequests as refused:
            return too_many_requests(request, refused, back)
        try:
            booking = book(
                start_at=form.cleaned_data["start"],
                guest_name=form.cleaned_data["name"],
                guest_email=form.cleaned_data["email"],
                guest_time_zone=form.cleaned_data["time_zone"],
            )
        except BookingError as exc:
            # The time is gone, not what they typed: the next time they pick is prefilled.
            request.session[TYPED_DETAILS_KEY] = {
                "name": form.cleaned_data["name"],
                "email": form.cleaned_data["email"],
            }
            messages.error(request, str(exc))
            return redirect(back)
        request.session.pop(TYPED_DETAILS_KEY, None)
        return redirect(guest_access.manage_path(booking))
    return render(
        request,
        "meetings/public/confirm.html",
        {
            "meeting_type": meeting_type,
            "host_name": host_name,
            "form": form,
            "start": start,
            "time_zone": time_zone,
            "back": back,
        },
    )


def too_many_requests(request, refused: booking_limits.TooManyRequests, back: str):
    response = render(
        request,
        "meetings/public/too_many_requests.html",
        {"message": refused.message, "back": back},
        status=429,
    )
    response["Retry-After"] = str(int(refused.retry_after) + 1)
    return response


class LinkExpired(Exception):
    pass


def _guest_booking(token: str) -> Booking:
    public_id = guest_access.public_id_from(token)
    if public_id is None:
        raise Http404("This booking link is not valid.")
    try:
        booking = selectors.booking_by_public_id(public_id)
    except Booking.DoesNotExist:
        raise Http404("This booking does not exist.") from None
    if guest_access.link_expired(booking):
        raise LinkExpired
    return booking


def guest_page(view):
    """A page reached with the guest's link, given the booking it names: never cached (the URL is
    the key), and gone once the link has expired."""

    @never_cache
    @wraps(view)
    def wrapper(request, token: str):
        try:
            return view(request, _guest_booking(token), token)
        except LinkExpired:
            return render(request, "meetings/public/link_expired.html", status=410)

    return wrapper


def _guest_zone(request, booking: Booking) -> str:
    """The zone the guest picked on these pages (`?tz=`), else the one they booked in."""
    return time_zone_from(request.GET.get("tz"), booking.guest_time_zone)


@guest_page
def guest_booking(request, booking: Booking, token: str):
    return render(
        request,
        "meetings/public/booking.html",
        {
            "booking": booking,
            "token": token,
            "guest_emailed": selectors.guest_was_emailed(booking),
            "google_url": calendar_links.google_url(booking),
            "outlook_url": calendar_links.outlook_url(booking),
            **zone_context(_guest_zone(request, booking)),
        },
    )


def guest_calendar(request, token: str):
    """The booking as an .ics file, for calendars the guest adds it to by hand."""
    booking = _guest_booking(token)
    if booking.is_cancelled:
        raise Http404("This meeting is cancelled.")
    response = HttpResponse(
        ics.build_invite(booking, InviteDelivery.Method.REQUEST), content_type="text/calendar"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{booking.reference}.ics"'
    return response


@guest_page
def guest_link(request, booking: Booking, token: str):
    """The link panel alone, polled by the booking page until the link settles."""
    return render(
        request,
        "meetings/includes/guest_link.html",
        {"booking": booking, "token": token},
    )


@guest_page
def guest_reschedule(request, booking: Booking, token: str):
    time_zone = _guest_zone(request, booking)
    back_to = guest_access.manage_path(booking) + zone_query(time_zone)

    def limit():
        try:
            booking_limits.check_guest_reschedule(request, booking)
        except booking_limits.TooManyRequests as refused:
            return too_many_requests(request, refused, back_to)
        return None

    return reschedule_page(
        request,
        booking,
        template="meetings/public/reschedule.html",
        confirm_template="meetings/public/reschedule_confirm.html",
        back_to=back_to,
        time_zone=time_zone,
        moved_message="Your meeting is moved. An updated invite is on its way.",
        context={"token": token},
        refuse=limit,
    )


@guest_page
def guest_cancel(request, booking: Booking, token: str):
    time_zone = _guest_zone(request, booking)
    return cancel_page(
        request,
        booking,
        by=Booking.Actor.GUEST,
        template="meetings/public/cancel.html",
        tell=booking.rep.display_name,
        back_to=guest_access.manage_path(booking) + zone_query(time_zone),
        time_zone=time_zone,
        cancelled_message="Your meeting is cancelled. We let the host know.",
        context={"token": token},
    )
