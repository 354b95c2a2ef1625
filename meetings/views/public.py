"""The prospect's booking pages: pick a slot, then give their details and book (the booking's own
pages, reached through a signed link, are meetings.views.guest)."""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.services import current_booking_slug
from config import metrics

from .. import booking_limits, guest_access, languages, selectors
from ..forms import BookingForm, TimeZonePickForm, parse_slot
from ..meeting_types import MeetingType
from ..models import Booking
from ..services.bookings import BookingError, book_meeting
from .slots import slot_month, time_zone_from

# What the prospect typed (details, answers, other guests), kept when their time was taken
# meanwhile.
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


def booking_page(request, meeting_type: MeetingType, **page):
    """The page where a prospect picks a time, in their language: of a rep's Meeting Type, or of
    a team's (whose slots are its members' together, and whose host is named once assigned).
    `page`: host_name, default_time_zone, confirm_url, find_slots."""
    return languages.render_in(
        languages.for_request(request), _booking_page, request, meeting_type, **page
    )


def _booking_page(
    request, meeting_type: MeetingType, *, host_name, default_time_zone, confirm_url, find_slots
):
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
        book=lambda **details: book_meeting(
            meeting_type,
            admission=booking_limits.PublicAdmission(request, details["guest_email"]),
            **details,
        ),
    )


def confirm_page(request, meeting_type: MeetingType, **page):
    """The prospect's details for the picked time, in their language (which the booking keeps);
    a valid POST books (`book(start_at=…, guest_name=…, guest_email=…, guest_time_zone=…,
    language=…, answers=…, additional_guests=…)`: BookingError when the time is gone,
    TooManyRequests when the public limits it spends refuse), then opens the guest's page.
    `page`: host_name, default_time_zone, book_url, book."""
    return languages.render_in(
        languages.for_request(request), _confirm_page, request, meeting_type, **page
    )


def _confirm_page(
    request,
    meeting_type: MeetingType,
    *,
    host_name: str,
    default_time_zone: str,
    book_url: str,
    book: Callable[..., Booking],
):
    data = request.POST if request.method == "POST" else None
    time_zone = time_zone_from(
        (data or request.GET).get("time_zone") or request.GET.get("tz"), default_time_zone
    )
    start = parse_slot((data or request.GET).get("start", ""))
    back = book_url + f"?tz={time_zone}"
    if start is None:
        messages.error(request, gettext("Please pick a time first."))
        return redirect(back)
    typed = request.session.get(TYPED_DETAILS_KEY, {})
    form = BookingForm(
        data,
        initial={"start": start.isoformat(), "time_zone": time_zone, **typed},
        questions=selectors.questions_of(meeting_type),
    )
    switch_to = languages.supported(data.get("switch_language")) if data is not None else None
    if switch_to:
        # A language picked on the details form: what was typed so far is kept (as when the
        # time was taken meanwhile) and the same form comes back in that language.
        request.session[TYPED_DETAILS_KEY] = {
            name: data.get(name, "") for name in form.visible_names
        }
        query = urlencode({"start": start.isoformat(), "tz": time_zone})
        response = redirect(f"{request.path}?{query}")
        languages.remember_choice(response, switch_to)
        return response
    if data is not None and form.is_valid():
        try:
            booking = book(
                start_at=form.cleaned_data["start"],
                guest_name=form.cleaned_data["name"],
                guest_email=form.cleaned_data["email"],
                guest_time_zone=form.cleaned_data["time_zone"],
                language=translation.get_language(),
                answers=form.answers,
                additional_guests=form.cleaned_data["additional_guests"],
            )
        except booking_limits.TooManyRequests as refused:
            return too_many_requests(request, refused, back)
        except BookingError as exc:
            # The time is gone, not what they typed: the next time they pick is prefilled.
            request.session[TYPED_DETAILS_KEY] = {
                name: data.get(name, "") for name in form.visible_names
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
    metrics.BOOKINGS_REFUSED.labels(refused.reason).inc()
    response = render(
        request,
        "meetings/public/too_many_requests.html",
        {"message": refused.message, "back": back},
        status=429,
    )
    response["Retry-After"] = str(int(refused.retry_after) + 1)
    return response
