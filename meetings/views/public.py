"""The prospect's booking pages: pick a slot, then give their details and book (the booking's own
pages, reached through a signed link, are meetings.views.guest)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial, wraps
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
from ..availability import Slot
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


@dataclass(frozen=True)
class BookingPages:
    """The two booking pages of one Meeting Type, and what differs between a rep's and a team's
    (the whole team, or one member): who hosts, the zone times show in until the prospect picks
    theirs, where each step is, whose free slots (`find_slots(start, end)`), and what books
    (`book(meeting_type, admission=…, start_at=…, guest_name=…, …)`: book_meeting, or the
    team's)."""

    meeting_type: MeetingType
    host_name: str
    default_time_zone: str
    book_url: str
    confirm_url: str
    find_slots: Callable[[datetime, datetime], list[Slot]]
    book: Callable[..., Booking]


def _rep_pages(rep: str, slug: str) -> BookingPages:
    meeting_type = _meeting_type(rep, slug)
    return BookingPages(
        meeting_type,
        host_name=meeting_type.rep.display_name,
        default_time_zone=meeting_type.rep.time_zone,
        book_url=reverse("meetings:book", args=[rep, meeting_type.slug]),
        confirm_url=reverse("meetings:book_confirm", args=[rep, meeting_type.slug]),
        find_slots=partial(selectors.available_slots, meeting_type),
        book=book_meeting,
    )


@follows_renamed_handle
def book(request, rep: str, meeting_type: str):
    return booking_page(request, _rep_pages(rep, meeting_type))


@follows_renamed_handle
def book_confirm(request, rep: str, meeting_type: str):
    return confirm_page(request, _rep_pages(rep, meeting_type))


def booking_page(request, pages: BookingPages):
    """The page where a prospect picks a time, in their language: of a rep's Meeting Type, or of
    a team's (whose slots are its members' together, and whose host is named once assigned)."""
    return languages.render_in(languages.for_request(request), _booking_page, request, pages)


def _booking_page(request, pages: BookingPages):
    time_zone = time_zone_from(request.GET.get("tz"), pages.default_time_zone)
    return render(
        request,
        "meetings/public/book.html",
        {
            "meeting_type": pages.meeting_type,
            "host_name": pages.host_name,
            "confirm_url": pages.confirm_url,
            "slots": slot_month(pages.meeting_type, time_zone, request.GET, pages.find_slots),
            "time_zone_detected": "tz" in request.GET,
            "tz_form": TimeZonePickForm(time_zone),
        },
    )


def confirm_page(request, pages: BookingPages):
    """The prospect's details for the picked time, in their language (which the booking keeps);
    a valid POST books, spending the public booking limits (BookingError when the time is gone,
    TooManyRequests when the limits refuse), then opens the guest's page."""
    return languages.render_in(languages.for_request(request), _confirm_page, request, pages)


def _confirm_page(request, pages: BookingPages):
    meeting_type = pages.meeting_type
    data = request.POST if request.method == "POST" else None
    time_zone = time_zone_from(
        (data or request.GET).get("time_zone") or request.GET.get("tz"), pages.default_time_zone
    )
    start = parse_slot((data or request.GET).get("start", ""))
    back = pages.book_url + f"?tz={time_zone}"
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
            booking = pages.book(
                meeting_type,
                admission=booking_limits.PublicAdmission(request, form.cleaned_data["email"]),
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
            "host_name": pages.host_name,
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
